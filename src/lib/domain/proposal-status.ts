/**
 * A proposal's life, as a table (beside the round phases in phases.ts). Pure: the one writer,
 * src/lib/server/proposals/status.ts, loads the current status and asks `checkStatusMove` before it writes.
 *
 *   submitted ──(evaluation starts: the round enters «evaluación»)──▶ under_evaluation
 *   under_evaluation ──(intake reopens: the round goes back to «propuestas», no verdict yet)──▶ submitted
 *   submitted / under_evaluation / feasible / not_feasible ──(verdict of the technical team)──▶
 *       under_evaluation / feasible / not_feasible
 *   feasible ──(the vote opens)──▶ on_ballot
 *   feasible / on_ballot / selected / reserve / not_selected ──(results published)──▶ selected / reserve / not_selected
 */
export const PROPOSAL_STATUSES = [
	'submitted',
	'under_evaluation',
	'feasible',
	'not_feasible',
	'on_ballot',
	'selected',
	'reserve',
	'not_selected'
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Waiting for the technical team's verdict: voting cannot open while any proposal is here. */
export const AWAITING_VERDICT = ['submitted', 'under_evaluation'] as const satisfies readonly ProposalStatus[];

/**
 * The one list of proposals that count: passed the evaluation and stand (or stood) on the ballot. The ballot paper,
 * the "is anything feasible?" guard of opening the vote and the results all read this list.
 */
export const ON_BALLOT = [
	'feasible',
	'on_ballot',
	'selected',
	'reserve',
	'not_selected'
] as const satisfies readonly ProposalStatus[];

export const VERDICTS = ['feasible', 'not_feasible', 'under_evaluation'] as const satisfies readonly ProposalStatus[];
export type Verdict = (typeof VERDICTS)[number];

const OUTCOMES = ['selected', 'reserve', 'not_selected'] as const satisfies readonly ProposalStatus[];

/** Why a status changes. Each cause is written by one function of proposals/status.ts. */
export type StatusCause = 'evaluationStarts' | 'intakeReopens' | 'verdict' | 'voteOpens' | 'published';

type Moves = Partial<Record<ProposalStatus, readonly ProposalStatus[]>>;
export const STATUS_MOVES: Record<StatusCause, Moves> = {
	evaluationStarts: { submitted: ['under_evaluation'] },
	intakeReopens: { under_evaluation: ['submitted'] },
	verdict: {
		submitted: VERDICTS,
		under_evaluation: VERDICTS,
		feasible: VERDICTS,
		not_feasible: VERDICTS
	},
	voteOpens: { feasible: ['on_ballot'] },
	published: Object.fromEntries(ON_BALLOT.map((s) => [s, OUTCOMES]))
};

export type StatusMoveCheck = { ok: true } | { ok: false; error: 'proposals.statusMove' };

/** May a proposal go from `from` to `to` for this cause? */
export function checkStatusMove(from: ProposalStatus, to: ProposalStatus, cause: StatusCause): StatusMoveCheck {
	return STATUS_MOVES[cause][from]?.includes(to) ? { ok: true } : { ok: false, error: 'proposals.statusMove' };
}

/** The status a published result gives a proposal: selected; else reserve if it got votes (or was ranked by score). */
export function outcomeStatus(
	row: { selected: boolean; votes: number; ineligible?: string },
	rankedByScore: boolean
): ProposalStatus {
	if (row.selected) return 'selected';
	// failed a gate or nobody scored it: it could never be funded, so it is not in reserve either
	if (row.ineligible) return 'not_selected';
	return row.votes > 0 || rankedByScore ? 'reserve' : 'not_selected';
}
