import { describe, expect, it } from 'vitest';
import { distinctVotes, voterCount } from './distinct';
import { buildElection } from './pb';
import { approvalProfile } from './profile';

function parsed() {
	return buildElection({
		budget: '100',
		projects: ['A', 'B', 'C'].map((id) => ({ id, cost: '10' })),
		ballots: [
			{ id: '1', vote: ['A', 'B'] },
			{ id: '2', vote: ['B'] },
			{ id: '3', vote: ['A', 'B'] },
			{ id: '4', vote: [] }
		]
	});
}

describe('distinctVotes: the parse grouping is used only while the voters still hold what was parsed', () => {
	it('before and after the voters are read, as long as nothing changed them', () => {
		const e = parsed();
		expect(distinctVotes(e)!.count).toBe(3);
		expect(e.voters).toHaveLength(4);
		const dv = distinctVotes(e)!;
		expect(Array.from(dv.voteIdx)).toEqual([0, 1, 0, 2]);
		expect(e.voters[0].vote).toBe(dv.voteArray(0));
		expect(e.voters[2].vote).toBe(e.voters[0].vote);
	});

	it('not once a voter casts something else (same number of voters)', () => {
		const e = parsed();
		e.voters[1] = { ...e.voters[1], vote: [2] };
		expect(distinctVotes(e)).toBeNull();
		// and what counts is then what the voters say
		expect(approvalProfile(e).W).toEqual(Float64Array.from([2, 2, 1]));
	});

	it('not once the voters are replaced wholesale, even by equal votes in new arrays', () => {
		const e = parsed();
		e.voters = e.voters.map((v) => ({ ...v, vote: [...v.vote] }));
		expect(distinctVotes(e)).toBeNull();
		expect(voterCount(e)).toBe(4);
	});

	it('not once a voter is removed', () => {
		const e = parsed();
		e.voters = e.voters.slice(1);
		expect(distinctVotes(e)).toBeNull();
		expect(voterCount(e)).toBe(3);
	});

	it('an election that never came from the parser has none', () => {
		const e = parsed();
		expect(distinctVotes({ ...e, voters: [...e.voters] })).toBeNull();
	});
});
