/**
 * From a round's rows to the engine's input, and from the engine's output to a frozen result. Pure: the results
 * module loads the rows, this file decides what goes into each budget's `.pb` and how the outcome reads.
 */
import { centsToSolesString } from './money';
import type { RoundRules } from './round-rules';
import type { SectionChoices } from './ballot';
import type { ElectionInput, RuleId, TallyResult, TieMode } from './tally/index';

export interface CandidateProject {
	proposalId: number;
	seq: number;
	title: string;
	costCents: number;
	/** Integer criteria-score key (exact, order-preserving); see scoreKeys(). */
	scoreKey?: bigint;
}

export interface CountedSection {
	publicId: string;
	choices: SectionChoices;
}

/**
 * Which engine rule a round's decision and allocation rules mean (DESIGN.md §3, "Decision and allocation").
 * MES: points ballots → `mes-points` (no completion); otherwise add-one completion → `mes-add1`, none → `mes`
 * (rules frozen before the completion was a choice have none).
 */
export function engineRuleFor(rules: RoundRules): { rule: RuleId; scoreFrom: 'ballots' | 'projects'; ties: TieMode } {
	const ties = engineTiesFor(rules);
	if (rules.decision.rule !== 'votes') return { rule: 'greedy', scoreFrom: 'projects', ties };
	if (rules.allocation === 'mes') {
		if (rules.ballot.type === 'cumulative') return { rule: 'mes-points', scoreFrom: 'ballots', ties };
		return { rule: rules.mesCompletion === 'add1' ? 'mes-add1' : 'mes', scoreFrom: 'ballots', ties };
	}
	return { rule: 'greedy', scoreFrom: 'ballots', ties };
}

/**
 * The other allocation rule, for the fairness comparison residents read next to the ranking: MES when greedy
 * allocated (with points as utilities for points ballots), greedy when MES did; none for ranked ballots (MES does
 * not apply) and when criteria scores decide.
 */
export function otherRuleFor(rules: RoundRules): RuleId | null {
	if (rules.decision.rule !== 'votes' || rules.ballot.type === 'ranked') return null;
	if (rules.allocation === 'mes') return 'greedy';
	return rules.ballot.type === 'cumulative' ? 'mes-points' : 'mes-add1';
}

/** The ordinance's tie-break as an engine tie mode ('proposal' = file order, which is proposal order). */
export function engineTiesFor(rules: RoundRules): TieMode {
	switch (rules.tieBreak) {
		case 'proposal':
			return 'file';
		case 'votes':
			return 'votes';
		case 'draw':
			return 'draw';
		default:
			return 'cost';
	}
}

/** The command that recounts a published `.pb` with the round's rule (printed on the results page, run by tests). */
export function recountArgs(r: { rule: string; ties: string; scoreFrom: string }): string[] {
	return ['--rule', r.rule, '--ties', r.ties, ...(r.scoreFrom === 'projects' ? ['--score-from', 'projects'] : [])];
}

export function voteTypeFor(rules: RoundRules): 'approval' | 'cumulative' | 'ordinal' {
	return rules.ballot.type === 'cumulative' ? 'cumulative' : rules.ballot.type === 'ranked' ? 'ordinal' : 'approval';
}

/**
 * One budget's election: projects in proposal order (so the `cost` tie-break's "then earlier proposal" is file
 * order), ids = proposal numbers, money in soles with céntimos as decimals, ballots under their random public ids.
 * Every section cast for this budget is a voter, blank ones included.
 */
export function budgetElection(input: {
	rules: RoundRules;
	budgetCents: number;
	projects: CandidateProject[];
	sections: CountedSection[];
	meta: Record<string, string>;
}): ElectionInput {
	const projects = [...input.projects].sort((a, b) => a.seq - b.seq);
	const idOf = new Map(projects.map((p) => [p.proposalId, String(p.seq)]));
	const withScore = projects.some((p) => p.scoreKey !== undefined);
	return {
		meta: { currency: 'PEN', ...input.meta },
		voteType: voteTypeFor(input.rules),
		budget: centsToSolesString(input.budgetCents),
		projects: projects.map((p) => ({
			id: String(p.seq),
			cost: centsToSolesString(p.costCents),
			name: p.title,
			...(withScore ? { score: String(p.scoreKey ?? 0n) } : {})
		})),
		ballots: [...input.sections]
			.sort((a, b) => (a.publicId < b.publicId ? -1 : a.publicId > b.publicId ? 1 : 0))
			.map((s) => {
				const c = s.choices;
				if ('points' in c) {
					const pairs = c.points.filter(([id]) => idOf.has(id)).sort((x, y) => y[1] - x[1]);
					return { id: s.publicId, vote: pairs.map(([id]) => idOf.get(id)!), points: pairs.map(([, p]) => p) };
				}
				const ids = 'approve' in c ? c.approve : c.rank;
				return { id: s.publicId, vote: ids.filter((id) => idOf.has(id)).map((id) => idOf.get(id)!) };
			})
	};
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * Criteria scores as exact integer keys: the mean of a proposal's scorers is total/scorers (hundredths of a point);
 * multiplying every mean by the lcm of the scorer counts gives integers in the same order, so the engine compares
 * exactly. Returns the keys and that common scale (key / scale = mean points).
 */
export function scoreKeys(scores: Map<number, { totalHundredths: number; scorers: number }>): {
	keys: Map<number, bigint>;
	scale: bigint;
} {
	let l = 1n;
	for (const s of scores.values()) if (s.scorers > 0) l = (l * BigInt(s.scorers)) / gcd(l, BigInt(s.scorers));
	const keys = new Map<number, bigint>();
	for (const [id, s] of scores) keys.set(id, s.scorers > 0 ? (BigInt(s.totalHundredths) * l) / BigInt(s.scorers) : 0n);
	return { keys, scale: 100n * l };
}

/**
 * The weighted mix, exact: (votes/maxVotes)·wv + (score/maxScore)·ws over the common denominator
 * maxVotes·maxScore, so only the numerator matters for the order.
 */
export function mixKeys(
	votes: Map<number, bigint>,
	score: Map<number, bigint>,
	voteWeight: number,
	scoreWeight: number
): Map<number, bigint> {
	const maxV = [...votes.values()].reduce((m, v) => (v > m ? v : m), 0n);
	const maxS = [...score.values()].reduce((m, v) => (v > m ? v : m), 0n);
	const out = new Map<number, bigint>();
	for (const id of new Set([...votes.keys(), ...score.keys()])) {
		const v = votes.get(id) ?? 0n;
		const s = score.get(id) ?? 0n;
		out.set(id, BigInt(voteWeight) * v * (maxS > 0n ? maxS : 1n) + BigInt(scoreWeight) * s * (maxV > 0n ? maxV : 1n));
	}
	return out;
}

/**
 * The support figure a resident reads for one row, per kind of round: ballots naming it (approval, knapsack),
 * points with the number of voters who gave any (points, ranked), the agents' mean criteria score out of the
 * matrix maximum, or the weighted mix with its two parts and weights (value out of 100).
 */
export type SupportFigure =
	| { kind: 'votes'; votes: number }
	| { kind: 'points'; points: string; voters: number }
	| { kind: 'score'; mean: string; max: number }
	| {
			kind: 'mix';
			value: string;
			votes: string;
			maxVotes: string;
			mean: string;
			maxMean: string;
			voteWeight: number;
			scoreWeight: number;
	  };

/** Why a proposal could not be funded at all when criteria scores decide. */
export type Ineligible = 'gate' | 'unscored';

export interface BudgetOutcomeRow {
	proposalId: number;
	seq: number;
	title: string;
	costCents: number;
	votes: number;
	/** exact decimal string from the engine */
	score: string;
	selected: boolean;
	/** running total of selected costs in céntimos up to this row */
	runningTotalCents: number;
	/** absent in snapshots made before figures were stored */
	figure?: SupportFigure;
	/** set on proposals left out of the `.pb` (failed gate / nobody scored): never funded */
	ineligible?: Ineligible;
}

/** Ranked rows in the engine's order: selected in selection order (greedy: ranking order), then the reserve list. */
export function outcomeRows(
	result: TallyResult,
	projects: CandidateProject[],
	figureOf?: (p: CandidateProject, r: TallyResult['ranking'][number]) => SupportFigure
): BudgetOutcomeRow[] {
	const bySeq = new Map(projects.map((p) => [String(p.seq), p]));
	let running = 0;
	return result.ranking.map((r) => {
		const p = bySeq.get(r.id)!;
		if (r.selected) running += p.costCents;
		return {
			proposalId: p.proposalId,
			seq: p.seq,
			title: p.title,
			costCents: p.costCents,
			votes: r.votes,
			score: r.score,
			selected: r.selected,
			runningTotalCents: running,
			...(figureOf ? { figure: figureOf(p, r) } : {})
		};
	});
}
