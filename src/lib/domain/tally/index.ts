/**
 * Minka's result engine: pabulib `.pb` reader/writer and the rules greedy, greedy-stop80, mes,
 * mes-points, mes-add1, mes-add1-exhaustive, mes-add1-exhaustive-greedy and phragmen.
 * Pure TypeScript (no Node, SvelteKit or database imports): runs on the server, in the CLI and in a browser.
 */
import { mesAdd1 } from './add1';
import { countVotes, type Counts } from './count';
import { voterCount } from './distinct';
import { formatUnits, parseDecimal, toScale } from './decimal';
import { greedy, greedyStop80 } from './greedy';
import { MesEngine } from './mes';
import { mesExact } from './mes-exact';
import { phragmen } from './phragmen';
import { fieldCI } from './pb';
import { approvalProfile, utilityProfile } from './profile';
import * as R from './rational';
import { drawSeed, tieRanks } from './ties';
import {
	PbError,
	TIE_MODES,
	type Election,
	type RankedProject,
	type RuleId,
	type RunOptions,
	type ScoreFrom,
	type TallyResult,
	type TieMode
} from './types';

export * from './types';
export {
	parsePb,
	writePb,
	buildElection,
	pbFromInput,
	naturalCompare,
	type ElectionInput,
	type WriteOptions
} from './pb';
export { countVotes, type Counts } from './count';
export { drawSeed, drawLots } from './ties';
export { formatUnits, parseDecimal } from './decimal';

export const ENGINE_VERSION = '1.0.0';

export interface RuleInfo {
	id: RuleId;
	/** tie-breaking used when none is given (as in ../shared/pabulib/README.md) */
	defaultTies: TieMode;
	summary: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
	greedy: {
		id: 'greedy',
		defaultTies: 'file',
		summary: 'Rank by votes (or points / positional score), fund each project that still fits, skip the rest.'
	},
	'greedy-stop80': {
		id: 'greedy-stop80',
		defaultTies: 'file',
		summary:
			'Poznań variant: stop at the first project that does not fit, but fund it if at least 80 % of its cost is left.'
	},
	mes: {
		id: 'mes',
		defaultTies: 'lex',
		summary:
			'Method of Equal Shares, cost utility, no completion (ballots count as approval of the projects they name).'
	},
	'mes-points': {
		id: 'mes-points',
		defaultTies: 'lex',
		summary: "Method of Equal Shares with each voter's points as utilities, no completion."
	},
	'mes-add1': {
		id: 'mes-add1',
		defaultTies: 'lex',
		summary:
			'MES + Add1 as used in Wieliczka 2023: from floor(B/n), add 1 per voter while the next outcome fits the budget.'
	},
	'mes-add1-exhaustive': {
		id: 'mes-add1-exhaustive',
		defaultTies: 'lex',
		summary: 'MES + Add1 from B/n, stopping at the first exhaustive outcome (pabutools voter_budget_increment=1).'
	},
	'mes-add1-exhaustive-greedy': {
		id: 'mes-add1-exhaustive-greedy',
		defaultTies: 'lex',
		summary: 'mes-add1-exhaustive, then a greedy top-up by votes.'
	},
	phragmen: {
		id: 'phragmen',
		defaultTies: 'lex',
		summary: 'Sequential Phragmén (stops at the first best project that does not fit).'
	}
};

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function isRuleId(x: string): x is RuleId {
	return Object.prototype.hasOwnProperty.call(RULES, x);
}

export function isTieMode(x: string): x is TieMode {
	return (TIE_MODES as readonly string[]).includes(x);
}

/** Scores from the PROJECTS `score` column (exact), for rounds decided by criteria scores. */
function projectScores(e: Election): { score: bigint[]; scale: number } {
	const decs = e.projects.map((p) => {
		const raw = fieldCI(p.fields, 'score');
		if (raw === undefined || raw === '' || raw.toLowerCase() === 'none') {
			throw new PbError(`--score-from projects: project ${p.id} has no score`, p.line || null);
		}
		const d = parseDecimal(raw);
		if (!d)
			throw new PbError(`--score-from projects: score "${raw}" of project ${p.id} is not a number`, p.line || null);
		return d;
	});
	const scale = Math.max(0, ...decs.map((d) => d.scale));
	return { score: decs.map((d) => toScale(d, scale)), scale };
}

function formatRat(r: R.Rat, scale: number): string {
	return r.d === 1n ? formatUnits(r.n, scale) : `${formatUnits(r.n, scale)}/${r.d}`;
}

/** Runs one rule on an election. Throws PbError for input the rule cannot use. */
export function runRule(e: Election, opts: RunOptions): TallyResult {
	const rule = opts.rule;
	if (!isRuleId(rule)) throw new PbError(`unknown rule "${String(rule)}" (expected one of ${RULE_IDS.join(', ')})`);
	const ties = opts.ties ?? RULES[rule].defaultTies;
	if (!isTieMode(ties))
		throw new PbError(`unknown tie-breaking "${String(ties)}" (expected one of ${TIE_MODES.join(', ')})`);
	const isGreedy = rule === 'greedy' || rule === 'greedy-stop80';
	const scoreFrom: ScoreFrom | null = isGreedy ? (opts.scoreFrom ?? 'ballots') : null;
	if (!isGreedy && opts.scoreFrom === 'projects')
		throw new PbError(`--score-from projects only applies to greedy rules, not ${rule}`);
	const warnings = [...e.warnings];
	const counts: Counts = countVotes(e);
	// A file without ballot lines (a small budget kept private) carries each project's totals: with --score-from
	// projects its `votes` column stands for the recount (tie-breaks by votes, the votes reported).
	if (scoreFrom === 'projects' && voterCount(e) === 0) {
		const cols = e.projects.map((p) => fieldCI(p.fields, 'votes'));
		if (cols.every((c) => c !== undefined && /^\d+$/.test(c.trim()))) counts.votes = cols.map((c) => Number(c));
	}
	const rank = tieRanks(e, counts.votes, ties, opts.drawSeed);
	const cost = e.projects.map((p) => p.cost);
	const n = voterCount(e);
	const unit = 10n ** BigInt(e.scale);

	let selected: number[];
	let order: number[] | null = null;
	let rankScore = counts.score;
	let rankScale = counts.scoreScale;
	let mesInfo: TallyResult['mes'];

	if (isGreedy) {
		if (scoreFrom === 'projects') {
			const ps = projectScores(e);
			rankScore = ps.score;
			rankScale = ps.scale;
		}
		let eligible: boolean[] | undefined;
		const thrRaw = e.meta['min_project_score_threshold'];
		if ((opts.useThreshold ?? true) && thrRaw !== undefined && thrRaw !== '' && thrRaw.toLowerCase() !== 'none') {
			const thr = parseDecimal(thrRaw);
			if (!thr) throw new PbError(`min_project_score_threshold "${thrRaw}" is not a number`);
			const s = Math.max(thr.scale, rankScale);
			const t = toScale(thr, s);
			const f = 10n ** BigInt(s - rankScale);
			eligible = rankScore.map((x) => x * f >= t);
			const out = eligible.filter((x) => !x).length;
			if (out > 0) warnings.push(`${out} project(s) below min_project_score_threshold ${thrRaw} are not eligible`);
		}
		const input = { score: rankScore, cost, budget: e.budget, rank, eligible };
		const res = rule === 'greedy' ? greedy(input) : greedyStop80(input);
		selected = res.selected;
		order = res.order;
	} else if (rule === 'mes-points') {
		if (e.voteType === 'approval' || e.voteType === 'choose-1') {
			warnings.push('mes-points on approval ballots: every approval has utility 1 (MES with cardinality utility)');
		}
		const up = utilityProfile(e);
		const endowment = n > 0 ? R.rat(e.budget, BigInt(n)) : R.ZERO;
		const res = mesExact({ profile: up, cost, endowment, rank, costUtility: false });
		selected = res.selected;
		if (res.zeroCost.length)
			warnings.push(`zero-cost project(s) selected up front: ${res.zeroCost.map((p) => e.projects[p].id).join(', ')}`);
		mesInfo = { endowment: formatRat(endowment, e.scale), initialEndowment: formatRat(endowment, e.scale), steps: 0 };
	} else if (rule === 'phragmen') {
		selected = phragmen({ profile: approvalProfile(e), cost, budget: e.budget, rank }).selected;
	} else {
		const prof = approvalProfile(e);
		const engine = new MesEngine(prof, cost, rank);
		const zeroCost = e.projects.filter((p, i) => p.cost === 0n && prof.W[i] > 0);
		if (zeroCost.length)
			warnings.push(`MES with cost utility never selects zero-cost projects: ${zeroCost.map((p) => p.id).join(', ')}`);
		if (rule === 'mes') {
			const endowment = n > 0 ? R.rat(e.budget, BigInt(n)) : R.ZERO;
			selected = n > 0 ? engine.run(endowment).selected : [];
			mesInfo = { endowment: formatRat(endowment, e.scale), initialEndowment: formatRat(endowment, e.scale), steps: 0 };
		} else {
			const variant = rule === 'mes-add1' ? 'wieliczka' : 'exhaustive';
			const res = mesAdd1(engine, e.budget, n, R.rat(unit), variant, opts.onPass);
			selected = res.selected;
			mesInfo = {
				endowment: formatRat(res.endowment, e.scale),
				initialEndowment: formatRat(res.initial, e.scale),
				steps: res.steps,
				...(res.note ? { note: res.note } : {})
			};
			if (rule === 'mes-add1-exhaustive-greedy') {
				const g = greedy({
					score: counts.votes.map((v) => BigInt(v)),
					cost,
					budget: e.budget,
					rank,
					initial: selected
				});
				mesInfo.completedByGreedy = g.selected.slice(selected.length).map((p) => e.projects[p].id);
				selected = g.selected;
			}
		}
	}

	// ---- result ------------------------------------------------------------------------------
	let total = 0n;
	for (const p of selected) total += cost[p];
	if (total > e.budget)
		warnings.push(`selected projects cost ${formatUnits(total - e.budget, e.scale)} more than the budget`);
	const selOrder = new Map<number, number>();
	selected.forEach((p, i) => selOrder.set(p, i + 1));
	let rows: number[];
	if (order) rows = order;
	else {
		const rest = e.projects
			.map((_, i) => i)
			.filter((p) => !selOrder.has(p))
			.sort((a, b) => (rankScore[a] > rankScore[b] ? -1 : rankScore[a] < rankScore[b] ? 1 : rank[a] - rank[b]));
		rows = [...selected, ...rest];
	}
	let running = 0n;
	const ranking: RankedProject[] = rows.map((p) => {
		const pr = e.projects[p];
		if (selOrder.has(p)) running += cost[p];
		return {
			id: pr.id,
			name: fieldCI(pr.fields, 'name') ?? null,
			cost: formatUnits(pr.cost, e.scale),
			votes: counts.votes[p],
			score: formatUnits(rankScore[p], rankScale),
			selected: selOrder.has(p),
			selectionOrder: selOrder.get(p) ?? null,
			runningTotal: formatUnits(running, e.scale)
		};
	});
	const result: TallyResult = {
		engine: 'minka-tally',
		engineVersion: ENGINE_VERSION,
		rule,
		ties,
		scoreFrom,
		voteType: e.voteType,
		voters: n,
		projects: e.projects.length,
		budget: formatUnits(e.budget, e.scale),
		selected: selected.map((p) => e.projects[p].id),
		totalCost: formatUnits(total, e.scale),
		unspent: formatUnits(e.budget - total, e.scale),
		ranking,
		...(mesInfo ? { mes: mesInfo } : {}),
		...(ties === 'draw' ? { drawSeed: opts.drawSeed ?? drawSeed(e) } : {}),
		warnings
	};
	return result;
}
