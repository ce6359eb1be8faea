/**
 * One budget's result: which proposals go into its `.pb`, the engine run on that file, and the rows residents read.
 * Pure apart from its inputs (rows already loaded by compute.ts), so each rule is one function call.
 */
import {
	budgetElection,
	mixKeys,
	otherRuleFor,
	outcomeRows,
	scoreKeys,
	type BudgetOutcomeRow,
	type CandidateProject,
	type CountedSection,
	type SupportFigure
} from '../../domain/results';
import { PRIVATE_BELOW_DEFAULT, type RoundRules } from '../../domain/round-rules';
import {
	countVotes,
	drawSeed,
	formatUnits,
	parsePb,
	pbFromInput,
	runRule,
	type RuleId,
	type TieMode
} from '../../domain/tally/index';
import { createHash } from 'node:crypto';
import { fairness, type Fairness } from '../../domain/results-explain';

/** A proposal's criteria score as the evaluation ranking gives it. */
export interface CriteriaScore {
	totalHundredths: number;
	scorers: number;
	gatesPassed: boolean;
}

export interface BudgetResult {
	budgetZoneId: number | null;
	zoneName: string | null;
	budgetCents: number;
	fileName: string;
	pbSha256: string;
	/** voters who cast this section, blank ones included */
	voters: number;
	rows: BudgetOutcomeRow[];
	totalCents: number;
	unspentCents: number;
	warnings: string[];
	/**
	 * Fewer voters than the round's k: the `.pb` holds no ballot lines, only each project's totals (votes, score).
	 * 'projects': recount it with `--score-from projects` (greedy); 'auditors': MES needs the ballots, which only the
	 * auditors' per-voter file holds. Absent: the file holds every ballot.
	 */
	withheld?: 'projects' | 'auditors';
	/**
	 * A budget kept private whose ties are broken by the public draw: the seed, which is the published file's
	 * (drawSeed of its totals), so anyone can derive it; the auditors count the ballots with `--draw-seed` and it.
	 */
	drawSeed?: string;
	/** the auditors' per-voter file of a budget kept private counted by MES: its SHA-256 (the file is not public) */
	auditorPbSha256?: string;
	/**
	 * When votes decide (and the ballots are published): how many voters the outcome served, and how many the other
	 * allocation rule would have served on the same ballots (absent for ranked ballots and in older snapshots).
	 */
	fairness?: { used: FairnessOf; other: FairnessOf | null };
}

export interface FairnessOf extends Fairness {
	rule: RuleId;
}

export interface BudgetInput {
	rules: RoundRules;
	rule: RuleId;
	ties: TieMode;
	scoreFrom: 'ballots' | 'projects';
	budgetZoneId: number | null;
	zoneName: string | null;
	budgetCents: number;
	fileName: string;
	projects: CandidateProject[];
	sections: CountedSection[];
	/** per proposal id, when criteria scores or a mix decide */
	criteria: Map<number, CriteriaScore> | null;
	/** highest score the matrix allows (points) */
	maxScore: number;
	/** k: with fewer voters than this (and votes deciding) the published file holds no ballot lines */
	privateBelow?: number;
	meta: Record<string, string>;
}

const mean = (c: CriteriaScore) => (c.scorers ? c.totalHundredths / c.scorers / 100 : 0);

export interface ComputedBudget {
	result: BudgetResult;
	/** the `.pb` it was computed from (the published file) */
	pb: string;
	/** a budget kept private counted by MES: the file with every ballot, for the auditors only */
	auditorPb?: string;
}

/** How far a compute is: budget `budget` (1-based) of `budgets`, and the MES completion passes of that budget. */
export interface ComputeProgress {
	budget: number;
	budgets: number;
	passes: number;
}

/** Runs every budget of a round in order, telling `progress` before each budget and after each MES pass. */
export function computeBudgets(inputs: BudgetInput[], progress?: (p: ComputeProgress) => void): ComputedBudget[] {
	return inputs.map((input, i) => {
		progress?.({ budget: i + 1, budgets: inputs.length, passes: 0 });
		return computeBudget(input, (passes) => progress?.({ budget: i + 1, budgets: inputs.length, passes }));
	});
}

/** Runs one budget. Returns its result and the `.pb` it was computed from. `onPass`: progress of an MES completion. */
export function computeBudget(input: BudgetInput, onPass?: (passes: number) => void): ComputedBudget {
	const { rules, criteria } = input;
	const decision = rules.decision;
	// Scores or a mix decide: a proposal that failed a gate or that nobody scored cannot be funded, so it is left
	// out of the `.pb` (nothing to fund from leftovers) and listed after the ranking with the reason.
	const ineligible = new Map<number, 'gate' | 'unscored'>();
	if (criteria)
		for (const p of input.projects) {
			const c = criteria.get(p.proposalId);
			if (!c || c.scorers === 0) ineligible.set(p.proposalId, 'unscored');
			else if (!c.gatesPassed) ineligible.set(p.proposalId, 'gate');
		}
	const projects = input.projects.filter((p) => !ineligible.has(p.proposalId)).map((p) => ({ ...p }));
	const base = { rules, budgetCents: input.budgetCents, sections: input.sections };

	// Support from the ballots through the engine itself (votes, points or positional points), for the mix.
	let ballotSupport = new Map<number, bigint>();
	if (criteria && decision.rule === 'mix') {
		const counts = countVotes(parsePb(pbFromInput(budgetElection({ ...base, projects, meta: {} }))));
		const sorted = [...projects].sort((a, b) => a.seq - b.seq);
		ballotSupport = new Map(sorted.map((p, i) => [p.proposalId, counts.score[i]]));
	}
	let maxVotes = 0n;
	let maxMean = 0;
	if (criteria) {
		const sk = scoreKeys(new Map(projects.map((p) => [p.proposalId, criteria.get(p.proposalId)!])));
		let keys = sk.keys;
		if (decision.rule === 'mix') {
			keys = mixKeys(ballotSupport, sk.keys, decision.voteWeight, decision.scoreWeight);
			for (const v of ballotSupport.values()) if (v > maxVotes) maxVotes = v;
		}
		for (const p of projects) {
			p.scoreKey = keys.get(p.proposalId) ?? 0n;
			maxMean = Math.max(maxMean, mean(criteria.get(p.proposalId)!));
		}
		if (decision.rule !== 'mix') input.meta.score_scale = sk.scale.toString();
	}
	if (ineligible.size)
		input.meta.comment = `#1: not in this file (failed a gate or not scored): ${[...ineligible.keys()]
			.map((id) => input.projects.find((p) => p.proposalId === id)!.seq)
			.sort((a, b) => a - b)
			.join(', ')}`;

	let pb = pbFromInput(budgetElection({ ...base, projects, meta: input.meta }));
	const election = parsePb(pb);
	let outcome = runRule(election, { rule: input.rule, ties: input.ties, scoreFrom: input.scoreFrom, onPass });
	// A small budget stays private: its file carries each project's totals and no ballot lines. Greedy is then
	// counted from that very file (`--score-from projects`), so the published file recounts to the published result.
	let withheld: BudgetResult['withheld'];
	let drawSeedUsed: string | undefined;
	let auditorPb: string | undefined;
	const k = input.privateBelow ?? PRIVATE_BELOW_DEFAULT;
	if (!criteria && input.sections.length < k) {
		const counts = countVotes(election);
		const at = new Map(election.projects.map((p, i) => [p.id, i]));
		const e = budgetElection({ ...base, sections: [], projects, meta: input.meta });
		e.meta = {
			...e.meta,
			comment: `#1: fewer than ${k} voters: no ballot lines; votes and score are each project's totals from ${input.sections.length} ballot(s)`
		};
		e.projects = e.projects.map((p) => {
			const i = at.get(p.id)!;
			return {
				...p,
				score: formatUnits(counts.score[i], counts.scoreScale),
				fields: { ...p.fields, votes: String(counts.votes[i]) }
			};
		});
		const full = pb;
		pb = pbFromInput(e);
		const published = parsePb(pb);
		// The public draw is seeded by what is published (the totals), never by ballots only the auditors hold.
		if (input.ties === 'draw') drawSeedUsed = drawSeed(published);
		if (input.rule === 'greedy') {
			withheld = 'projects';
			outcome = runRule(published, { rule: 'greedy', ties: input.ties, scoreFrom: 'projects' });
		} else {
			withheld = 'auditors';
			auditorPb = full;
			if (drawSeedUsed)
				outcome = runRule(election, {
					rule: input.rule,
					ties: 'draw',
					scoreFrom: input.scoreFrom,
					drawSeed: drawSeedUsed,
					onPass
				});
		}
	}

	// Fairness, for the rule used and the other one, on the same ballots (not for a budget kept private).
	let fair: BudgetResult['fairness'];
	if (!criteria && !withheld) {
		const other = otherRuleFor(rules);
		fair = {
			used: { rule: input.rule, ...fairness(election, outcome.selected) },
			other: other
				? {
						rule: other,
						...fairness(
							election,
							runRule(election, { rule: other, ties: input.ties, scoreFrom: 'ballots', onPass }).selected
						)
					}
				: null
		};
	}

	const figureOf = (p: CandidateProject, r: { votes: number; score: string }): SupportFigure => {
		if (!criteria) {
			return rules.ballot.type === 'cumulative' || rules.ballot.type === 'ranked'
				? { kind: 'points', points: r.score, voters: r.votes }
				: { kind: 'votes', votes: r.votes };
		}
		const c = criteria.get(p.proposalId)!;
		if (decision.rule !== 'mix') return { kind: 'score', mean: mean(c).toFixed(2), max: input.maxScore };
		const v = ballotSupport.get(p.proposalId) ?? 0n;
		const value = (decision.voteWeight * (maxVotes > 0n ? Number(v) / Number(maxVotes) : 0) +
			decision.scoreWeight * (maxMean > 0 ? mean(c) / maxMean : 0)) as number;
		return {
			kind: 'mix',
			value: value.toFixed(1),
			votes: v.toString(),
			maxVotes: maxVotes.toString(),
			mean: mean(c).toFixed(2),
			maxMean: maxMean.toFixed(2),
			voteWeight: decision.voteWeight,
			scoreWeight: decision.scoreWeight
		};
	};
	const rows = outcomeRows(outcome, projects, figureOf);
	const running = rows.length ? rows[rows.length - 1].runningTotalCents : 0;
	for (const p of [...input.projects].sort((a, b) => a.seq - b.seq)) {
		const why = ineligible.get(p.proposalId);
		if (!why) continue;
		const c = criteria!.get(p.proposalId);
		rows.push({
			proposalId: p.proposalId,
			seq: p.seq,
			title: p.title,
			costCents: p.costCents,
			votes: 0,
			score: '0',
			selected: false,
			runningTotalCents: running,
			figure: { kind: 'score', mean: c ? mean(c).toFixed(2) : '0.00', max: input.maxScore },
			ineligible: why
		});
	}
	const totalCents = rows.filter((r) => r.selected).reduce((s, r) => s + r.costCents, 0);
	return {
		pb,
		...(auditorPb ? { auditorPb } : {}),
		result: {
			budgetZoneId: input.budgetZoneId,
			zoneName: input.zoneName,
			budgetCents: input.budgetCents,
			fileName: input.fileName,
			// node's SHA-256 (native) rather than the domain's pure one: the same digest, a multi-megabyte file in ms
			pbSha256: createHash('sha256').update(pb).digest('hex'),
			voters: input.sections.length,
			rows,
			totalCents,
			unspentCents: input.budgetCents - totalCents,
			warnings: outcome.warnings,
			...(withheld ? { withheld } : {}),
			...(drawSeedUsed ? { drawSeed: drawSeedUsed } : {}),
			...(auditorPb ? { auditorPbSha256: createHash('sha256').update(auditorPb).digest('hex') } : {}),
			...(fair ? { fairness: fair } : {})
		}
	};
}
