/**
 * A round's rules: configuration fixed by the municipality's ordinance, stored (JSON) with the round and frozen
 * when voting opens. Pure: no storage, no framework.
 */

export const PHASES = [
	'preparacion',
	'propuestas',
	'evaluacion',
	'votacion',
	'resultados',
	'formalizacion',
	'seguimiento'
] as const;
export type Phase = (typeof PHASES)[number];

export const BALLOT_TYPES = ['approval', 'knapsack', 'cumulative', 'ranked'] as const;
export type BallotType = (typeof BALLOT_TYPES)[number];

/** What a voter may put in one ballot section. */
export type BallotRule =
	/** Approve at most maxChoices projects. */
	| { type: 'approval'; maxChoices: number }
	/** Approve any set whose costs fit the section's budget. */
	| { type: 'knapsack' }
	/** Spread `points` over the projects, at most `maxPerProject` on one. */
	| { type: 'cumulative'; points: number; maxPerProject: number }
	/** Rank the top k projects. */
	| { type: 'ranked'; k: number };

export const VOTE_SCOPES = ['own_zone', 'own_zone_and_wide'] as const;
export type VoteScope = (typeof VOTE_SCOPES)[number];

export const DECISION_RULES = ['votes', 'scores', 'mix'] as const;
export type DecisionRuleKind = (typeof DECISION_RULES)[number];

/** Who decides: residents' votes, agents' criteria scores, or a weighted mix (each input ÷ its maximum, then weighted). */
export type DecisionRule =
	{ rule: 'votes' } | { rule: 'scores' } | { rule: 'mix'; voteWeight: number; scoreWeight: number };

export const ALLOCATIONS = ['greedy', 'mes'] as const;
export type Allocation = (typeof ALLOCATIONS)[number];

/**
 * How MES completes an outcome that leaves money unspent: 'add1' raises every voter's share by S/ 1 while the
 * outcome still fits (Wieliczka 2023; engine rule `mes-add1`), 'none' is plain MES. Points ballots run MES with
 * their points as utilities (`mes-points`), which has no completion.
 */
export const MES_COMPLETIONS = ['add1', 'none'] as const;
export type MesCompletion = (typeof MES_COMPLETIONS)[number];

/**
 * Tie-breaks an ordinance can state (engine tie modes of the same name, except 'proposal' = `file`):
 * 'cost' lower cost, then the earlier proposal; 'proposal' the earlier proposal; 'votes' most votes, then lower
 * cost, then the earlier proposal; 'draw' the public draw seeded by the ballots (anyone can repeat it).
 */
export const TIE_BREAKS = ['cost', 'proposal', 'votes', 'draw'] as const;
export type TieBreak = (typeof TIE_BREAKS)[number];

export interface RoundRules {
	ballot: BallotRule;
	voteScope: VoteScope;
	/** Minimum age in whole years on the day voting opens. */
	minAge: number;
	decision: DecisionRule;
	allocation: Allocation;
	/** only with allocation 'mes'; rules frozen before it existed have none, meaning plain MES */
	mesCompletion?: MesCompletion;
	tieBreak: TieBreak;
	/**
	 * k: a budget with fewer voters than this publishes no ballot lines (only each project's totals), so a small
	 * zone's few ballots cannot be told apart. Rules frozen before it existed have none, meaning PRIVATE_BELOW_DEFAULT.
	 */
	privateBelow?: number;
}

export const PRIVATE_BELOW_DEFAULT = 10;

export const DEFAULT_RULES: RoundRules = {
	ballot: { type: 'approval', maxChoices: 3 },
	voteScope: 'own_zone_and_wide',
	minAge: 16,
	decision: { rule: 'votes' },
	allocation: 'greedy',
	tieBreak: 'cost',
	privateBelow: PRIVATE_BELOW_DEFAULT
};

export type RulesCheck =
	{ ok: true; rules: RoundRules } | { ok: false; error: string; params?: Record<string, string | number> };

const isInt = (v: unknown, min: number, max: number): v is number =>
	typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Validates an untrusted rules object (from a form or JSON). Error codes live under `errors.rules.*`. */
export function validateRules(input: unknown): RulesCheck {
	if (!input || typeof input !== 'object') return { ok: false, error: 'rules.invalid' };
	const r = input as Record<string, unknown>;
	const b = (r.ballot ?? {}) as Record<string, unknown>;
	let ballot: BallotRule;
	switch (b.type) {
		case 'approval':
			if (!isInt(b.maxChoices, 1, 100)) return { ok: false, error: 'rules.maxChoices', params: { min: 1, max: 100 } };
			ballot = { type: 'approval', maxChoices: b.maxChoices };
			break;
		case 'knapsack':
			ballot = { type: 'knapsack' };
			break;
		case 'cumulative':
			if (!isInt(b.points, 1, 1000)) return { ok: false, error: 'rules.points', params: { min: 1, max: 1000 } };
			if (!isInt(b.maxPerProject, 1, b.points))
				return { ok: false, error: 'rules.maxPerProject', params: { max: b.points } };
			ballot = { type: 'cumulative', points: b.points, maxPerProject: b.maxPerProject };
			break;
		case 'ranked':
			if (!isInt(b.k, 1, 100)) return { ok: false, error: 'rules.k', params: { min: 1, max: 100 } };
			ballot = { type: 'ranked', k: b.k };
			break;
		default:
			return { ok: false, error: 'rules.ballotType' };
	}
	if (!VOTE_SCOPES.includes(r.voteScope as VoteScope)) return { ok: false, error: 'rules.voteScope' };
	if (!isInt(r.minAge, 14, 120)) return { ok: false, error: 'rules.minAge', params: { min: 14, max: 120 } };
	const d = (r.decision ?? {}) as Record<string, unknown>;
	let decision: DecisionRule;
	if (d.rule === 'votes' || d.rule === 'scores') decision = { rule: d.rule };
	else if (d.rule === 'mix') {
		if (!isInt(d.voteWeight, 0, 100) || !isInt(d.scoreWeight, 0, 100) || d.voteWeight + d.scoreWeight !== 100)
			return { ok: false, error: 'rules.weights' };
		if (d.voteWeight === 0 || d.scoreWeight === 0) return { ok: false, error: 'rules.weights' };
		decision = { rule: 'mix', voteWeight: d.voteWeight, scoreWeight: d.scoreWeight };
	} else return { ok: false, error: 'rules.decision' };
	if (!ALLOCATIONS.includes(r.allocation as Allocation)) return { ok: false, error: 'rules.allocation' };
	// Method of Equal Shares needs residents' ballots as the only input.
	if (r.allocation === 'mes' && decision.rule !== 'votes') return { ok: false, error: 'rules.mesNeedsVotes' };
	if (r.allocation === 'mes' && ballot.type === 'ranked') return { ok: false, error: 'rules.mesRanked' };
	let mesCompletion: MesCompletion | undefined;
	if (r.allocation === 'mes') {
		mesCompletion = (r.mesCompletion ?? 'add1') as MesCompletion;
		if (!MES_COMPLETIONS.includes(mesCompletion)) return { ok: false, error: 'rules.mesCompletion' };
		// Points are utilities for MES (mes-points), and that rule has no completion.
		if (ballot.type === 'cumulative' && mesCompletion !== 'none') return { ok: false, error: 'rules.mesPointsAdd1' };
	}
	if (!TIE_BREAKS.includes(r.tieBreak as TieBreak)) return { ok: false, error: 'rules.tieBreak' };
	const privateBelow = r.privateBelow ?? PRIVATE_BELOW_DEFAULT;
	if (!isInt(privateBelow, 1, 1000)) return { ok: false, error: 'rules.privateBelow', params: { min: 1, max: 1000 } };
	return {
		ok: true,
		rules: {
			ballot,
			voteScope: r.voteScope as VoteScope,
			minAge: r.minAge as number,
			decision,
			allocation: r.allocation as Allocation,
			...(mesCompletion ? { mesCompletion } : {}),
			tieBreak: r.tieBreak as TieBreak,
			privateBelow
		}
	};
}

/** Scoring matrix (prioritisation criteria of the ordinance). */
export const CRITERION_KINDS = ['gate', 'points'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** A measurable basis a band can be read from automatically; 'judgement' means a scorer picks the band. */
export const CRITERION_MEASURES = ['judgement', 'beneficiaries', 'cost'] as const;
export type CriterionMeasure = (typeof CRITERION_MEASURES)[number];

/** One band of a points criterion: "beneficiaries ≥ 1 000 → 20 points". `min` applies to measured criteria. */
export interface CriterionBand {
	labelEs: string;
	labelQu: string;
	min?: number;
	points: number;
}
