import { describe, expect, it } from 'vitest';
import {
	AWAITING_VERDICT,
	checkStatusMove,
	ON_BALLOT,
	outcomeStatus,
	PROPOSAL_STATUSES,
	STATUS_MOVES,
	type ProposalStatus,
	type StatusCause
} from './proposal-status';

const CAUSES: StatusCause[] = ['evaluationStarts', 'intakeReopens', 'verdict', 'voteOpens', 'published'];

/** Every allowed move, written out by hand: the table must say exactly this. */
const ALLOWED = new Set([
	'evaluationStarts submitted→under_evaluation',
	'intakeReopens under_evaluation→submitted',
	...['submitted', 'under_evaluation', 'feasible', 'not_feasible'].flatMap((f) =>
		['under_evaluation', 'feasible', 'not_feasible'].map((t) => `verdict ${f}→${t}`)
	),
	'voteOpens feasible→on_ballot',
	...['feasible', 'on_ballot', 'selected', 'reserve', 'not_selected'].flatMap((f) =>
		['selected', 'reserve', 'not_selected'].map((t) => `published ${f}→${t}`)
	)
]);

describe('proposal status table', () => {
	it('allows exactly the listed moves and refuses every other pair, for every cause', () => {
		for (const cause of CAUSES)
			for (const from of PROPOSAL_STATUSES)
				for (const to of PROPOSAL_STATUSES) {
					const key = `${cause} ${from}→${to}`;
					expect(checkStatusMove(from, to, cause), key).toEqual(
						ALLOWED.has(key) ? { ok: true } : { ok: false, error: 'proposals.statusMove' }
					);
				}
		expect(Object.keys(STATUS_MOVES).sort()).toEqual([...CAUSES].sort());
	});

	it('never lets anything but evaluation or intake touch a proposal awaiting its verdict', () => {
		for (const from of AWAITING_VERDICT)
			for (const to of PROPOSAL_STATUSES) {
				expect(checkStatusMove(from, to, 'voteOpens').ok).toBe(false);
				expect(checkStatusMove(from, to, 'published').ok).toBe(false);
			}
	});

	it('keeps one list of proposals that count, disjoint from those awaiting a verdict', () => {
		expect(ON_BALLOT.filter((s) => (AWAITING_VERDICT as readonly ProposalStatus[]).includes(s))).toEqual([]);
		expect(ON_BALLOT).not.toContain('not_feasible');
		expect(ON_BALLOT).toContain('feasible');
	});

	it('gives a published proposal its outcome: one vote makes a reserve, none does not', () => {
		expect(outcomeStatus({ selected: true, votes: 0 }, false)).toBe('selected');
		expect(outcomeStatus({ selected: false, votes: 1 }, false)).toBe('reserve');
		expect(outcomeStatus({ selected: false, votes: 0 }, false)).toBe('not_selected');
		expect(outcomeStatus({ selected: false, votes: 0 }, true)).toBe('reserve');
	});
});
