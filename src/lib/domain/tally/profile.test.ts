import { describe, expect, it } from 'vitest';
import { distinctVotes } from './distinct';
import { buildElection, parsePb, pbFromInput } from './pb';
import { approvalProfile } from './profile';

/** Every 3-subset of 24 projects (2 024 sets) and every 4-subset of the first 12 (495), each cast twice in two orders. */
function manySets(): { ids: string[]; sets: string[][] } {
	const ids = Array.from({ length: 24 }, (_, i) => `P${i}`);
	const sets: string[][] = [];
	for (let a = 0; a < 24; a++)
		for (let b = a + 1; b < 24; b++) for (let c = b + 1; c < 24; c++) sets.push([ids[a], ids[b], ids[c]]);
	for (let a = 0; a < 12; a++)
		for (let b = a + 1; b < 12; b++)
			for (let c = b + 1; c < 12; c++) for (let d = c + 1; d < 12; d++) sets.push([ids[a], ids[b], ids[c], ids[d]]);
	return { ids, sets };
}

describe('approvalProfile merges identical ballots', () => {
	// the tables grow at 1 024, 2 048, 4 096 entries: an entry lost at a growth left its twin unmerged
	it('one ballot per distinct set, past every growth of the tables, whatever the order written', () => {
		const { ids, sets } = manySets();
		const ballots = sets.flatMap((s, i) => [
			{ id: String(2 * i + 1), vote: s },
			{ id: String(2 * i + 2), vote: [...s].reverse() }
		]);
		const e = buildElection({
			budget: '100',
			projects: ids.map((id) => ({ id, cost: '10' })),
			ballots
		});
		expect(sets.length).toBe(2024 + 495);
		// texts: each set is written in two orders, so twice as many distinct texts as sets
		expect(distinctVotes(e)!.count).toBe(2 * sets.length);
		const p = approvalProfile(e);
		expect(p.nB).toBe(sets.length);
		for (let b = 0; b < p.nB; b++) expect(p.weight[b]).toBe(2);
		expect(p.n).toBe(ballots.length);
		// an election built in memory (no grouping from the parse): the table starts small and grows past 2 048
		const built = { ...e, voters: e.voters.map((v) => ({ ...v, vote: [...v.vote] })) };
		expect(distinctVotes(built)).toBeNull();
		const q = approvalProfile(built);
		expect(q.nB).toBe(sets.length);
		expect(Array.from(q.weight)).toEqual(Array.from(p.weight));
	});

	it('the same texts cast again are grouped with the first (every voter in a group of two)', () => {
		const { ids, sets } = manySets();
		const ballots = [...sets, ...sets].map((vote, i) => ({ id: String(i + 1), vote }));
		const text = pbFromInput({ budget: '100', projects: ids.map((id) => ({ id, cost: '10' })), ballots });
		// with META num_votes the reader is sized ahead; without it, its tables grow as it reads
		for (const file of [text, text.replace(/^num_votes;\d+\n/m, '')]) {
			const dv = distinctVotes(parsePb(file))!;
			expect(dv.count).toBe(sets.length);
			for (let i = 0; i < sets.length; i++) expect(dv.voteIdx[i + sets.length]).toBe(dv.voteIdx[i]);
		}
	});
});
