import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctVotes } from '../../src/lib/domain/tally/distinct';
import { buildElection, parsePb, pbFromInput } from '../../src/lib/domain/tally/pb';
import {
	approvalProfile,
	neighbourLists,
	utilityProfile,
	type ApprovalProfile
} from '../../src/lib/domain/tally/profile';
import type { Election } from '../../src/lib/domain/tally/types';
import { prng, shuffled } from '../support/prng';

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

/** What approvalProfile must say, the slow way: sorted set → number of ballots casting it (blank ones left out). */
function expectedSets(e: Election): Map<string, number> {
	const out = new Map<string, number>();
	for (const v of e.voters) {
		if (v.vote.length === 0) continue;
		const key = [...v.vote].sort((a, b) => a - b).join(',');
		out.set(key, (out.get(key) ?? 0) + 1);
	}
	return out;
}

/** The profile read back as sorted set → weight, checking its own invariants on the way. */
function profileSets(p: ApprovalProfile): Map<string, number> {
	const out = new Map<string, number>();
	const W = new Float64Array(p.m);
	for (let b = 0; b < p.nB; b++) {
		const set = Array.from(p.bProj.subarray(p.bStart[b], p.bStart[b + 1]));
		expect(set.length, `ballot ${b} is empty`).toBeGreaterThan(0);
		// stored as sorted indices, as its doc says
		expect(set).toEqual([...set].sort((a, b) => a - b));
		const key = set.join(',');
		expect(out.has(key), `set ${key} stored twice`).toBe(false);
		out.set(key, p.weight[b]);
		for (const q of set) W[q] += p.weight[b];
	}
	expect(Array.from(p.W)).toEqual(Array.from(W));
	// the project-side index lists exactly the ballots naming each project
	for (let q = 0; q < p.m; q++) {
		const naming = Array.from(p.sIdx.subarray(p.sStart[q], p.sStart[q + 1]));
		const expected: number[] = [];
		for (let b = 0; b < p.nB; b++) if (p.bProj.subarray(p.bStart[b], p.bStart[b + 1]).includes(q)) expected.push(b);
		expect(naming).toEqual(expected);
	}
	return out;
}

/** The same election with its voters built in memory (fresh arrays, no grouping from the parse). */
function inMemory(e: Election): Election {
	const built = { ...e, voters: e.voters.map((v) => ({ ...v, vote: [...v.vote] })) };
	expect(distinctVotes(built)).toBeNull();
	return built;
}

function electionOf(m: number, votes: number[][]): Election {
	const ids = Array.from({ length: m }, (_, i) => `P${i}`);
	return buildElection({
		budget: '100',
		projects: ids.map((id) => ({ id, cost: '10' })),
		ballots: votes.map((v, i) => ({ id: String(i + 1), vote: v.map((q) => ids[q]) }))
	});
}

function checkBothPaths(e: Election): void {
	const expected = expectedSets(e);
	for (const election of [e, inMemory(e)]) {
		const p = approvalProfile(election);
		expect(p.n).toBe(e.voters.length);
		expect(p.m).toBe(e.projects.length);
		expect(profileSets(p)).toEqual(expected);
	}
}

describe('approvalProfile against a slow reference', () => {
	// Sets of every length from 0 to 40 (past the 16 entries the sort's scratch starts with), each cast 1 to 3
	// times in its own order, all shuffled: twins meet long after the tables have grown, and a set follows a
	// longer one (whatever a longer set left behind must not count).
	it('4 000 sets of mixed lengths, cast in shuffled orders, on both paths', () => {
		const rnd = prng(17);
		const m = 60;
		const votes: number[][] = [];
		const seen = new Set<string>();
		while (seen.size < 4000) {
			const len = rnd() < 0.05 ? 0 : 1 + Math.floor(rnd() * (rnd() < 0.2 ? 40 : 6));
			const set = shuffled(
				Array.from({ length: m }, (_, i) => i),
				rnd
			).slice(0, len);
			const key = [...set].sort((a, b) => a - b).join(',');
			if (seen.has(key)) continue;
			seen.add(key);
			const copies = 1 + Math.floor(rnd() * 3);
			for (let c = 0; c < copies; c++) votes.push(shuffled(set, rnd));
		}
		const e = electionOf(m, shuffled(votes, rnd));
		expect(e.voters.some((v) => v.vote.length === 0)).toBe(true);
		expect(e.voters.some((v) => v.vote.length > 16)).toBe(true);
		checkBothPaths(e);
	});

	it('any small election, blank ballots included (property)', () => {
		fc.assert(
			fc.property(
				fc
					.integer({ min: 1, max: 8 })
					.chain((m) =>
						fc.tuple(
							fc.constant(m),
							fc.array(fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { maxLength: m }), { maxLength: 30 })
						)
					),
				([m, votes]) => checkBothPaths(electionOf(m, votes))
			),
			{ numRuns: 150 }
		);
	});

	// Found by a birthday search over 6-subsets of 40 projects: the two sets have the same 32-bit hash, so
	// only comparing the projects themselves keeps them apart.
	it('two sets with the same hash stay two ballots', () => {
		const a = [0, 8, 10, 18, 37, 38];
		const b = [2, 9, 22, 32, 35, 37];
		const e = electionOf(40, [a, b, [...b].reverse(), a]);
		checkBothPaths(e);
		expect(approvalProfile(e).nB).toBe(2);
	});

	it('one ballot naming 2 100 projects (more than the table first holds), built in memory', () => {
		const m = 2100;
		const all = Array.from({ length: m }, (_, i) => m - 1 - i);
		const e = electionOf(m, [all, all.slice(0, 3)]);
		checkBothPaths(e);
	});

	it('a parsed election is profiled from its grouped votes: no voter object is built', () => {
		const e = electionOf(4, [[0, 1], [1, 0], [2], []]);
		const p = approvalProfile(e);
		expect(typeof Object.getOwnPropertyDescriptor(e, 'voters')?.get).toBe('function');
		expect(p.n).toBe(4);
		expect(profileSets(p)).toEqual(
			new Map([
				['0,1', 2],
				['2', 1]
			])
		);
	});
});

describe('utilityProfile', () => {
	it('ordinal ballots: len … 1 points by rank, identical rankings merged, blank ones counted in n only', () => {
		const e = buildElection({
			voteType: 'ordinal',
			budget: '100',
			projects: ['A', 'B', 'C'].map((id) => ({ id, cost: '10' })),
			ballots: [
				{ id: '1', vote: ['A', 'B', 'C'] },
				{ id: '2', vote: ['C', 'A'] },
				{ id: '3', vote: ['A', 'B', 'C'] },
				{ id: '4', vote: [] }
			]
		});
		const u = utilityProfile(e);
		expect(u.n).toBe(4);
		expect(u.m).toBe(3);
		expect(u.ballots).toEqual([
			[
				[0, 3n],
				[1, 2n],
				[2, 1n]
			],
			[
				[0, 1n],
				[2, 2n]
			]
		]);
		expect(u.weights).toEqual([2n, 1n]);
	});

	it('cumulative ballots: their points, zero points left out, the same points in another order merged', () => {
		const e = buildElection({
			voteType: 'cumulative',
			budget: '100',
			projects: ['A', 'B', 'C'].map((id) => ({ id, cost: '10' })),
			ballots: [
				{ id: '1', vote: ['B', 'A'], points: [3, 2] },
				{ id: '2', vote: ['A', 'B', 'C'], points: [2, 3, 0] },
				{ id: '3', vote: ['C'], points: [0] },
				{ id: '4', vote: ['A', 'B'], points: [3, 2] }
			]
		});
		const u = utilityProfile(e);
		expect(u.n).toBe(4);
		expect(u.ballots).toEqual([
			[
				[0, 2n],
				[1, 3n]
			],
			[
				[0, 3n],
				[1, 2n]
			]
		]);
		expect(u.weights).toEqual([2n, 1n]);
	});

	it('approval and choose-1 ballots are worth 1 to each project named', () => {
		for (const voteType of ['approval', 'choose-1'] as const) {
			const e = buildElection({
				voteType,
				budget: '100',
				projects: ['A', 'B'].map((id) => ({ id, cost: '10' })),
				ballots: [
					{ id: '1', vote: ['B'] },
					{ id: '2', vote: ['B'] }
				]
			});
			expect(utilityProfile(e)).toEqual({ n: 2, m: 2, weights: [2n], ballots: [[[1, 1n]]] });
		}
	});
	it('approval ballots that carry points (some pabulib files do) are still worth 1 to each project', () => {
		const e = buildElection({
			budget: '100',
			projects: ['A', 'B'].map((id) => ({ id, cost: '10' })),
			ballots: [
				{ id: '1', vote: ['A', 'B'], points: [3, 2] },
				{ id: '2', vote: ['B', 'A'], points: [5, 1] }
			]
		});
		expect(e.hasPoints).toBe(true);
		expect(utilityProfile(e)).toEqual({
			n: 2,
			m: 2,
			weights: [2n],
			ballots: [
				[
					[0, 1n],
					[1, 1n]
				]
			]
		});
	});

	it('choose-1 ballots that carry points are worth 1 too', () => {
		const e = buildElection({
			voteType: 'choose-1',
			budget: '100',
			projects: ['A', 'B'].map((id) => ({ id, cost: '10' })),
			ballots: [
				{ id: '1', vote: ['B'], points: [3] },
				{ id: '2', vote: ['B'], points: [5] }
			]
		});
		expect(e.hasPoints).toBe(true);
		expect(utilityProfile(e)).toEqual({ n: 2, m: 2, weights: [2n], ballots: [[[1, 1n]]] });
	});

	// written one after another without a separator, 1:2 + 34:5 and 1:23 + 4:5 would read the same
	it('ballots whose projects and points would run together stay apart', () => {
		const ids = Array.from({ length: 35 }, (_, i) => `P${i}`);
		const e = buildElection({
			voteType: 'cumulative',
			budget: '100',
			projects: ids.map((id) => ({ id, cost: '10' })),
			ballots: [
				{ id: '1', vote: ['P34', 'P1'], points: [5, 2] },
				{ id: '2', vote: ['P1', 'P4'], points: [23, 5] }
			]
		});
		expect(utilityProfile(e).weights).toEqual([1n, 1n]);
	});
});

describe('neighbourLists', () => {
	it('each project with the projects it shares a ballot with, itself included; a project on no ballot has none', () => {
		const p = approvalProfile(electionOf(5, [[1, 0], [1, 2], [3], [2, 1]]));
		expect(neighbourLists(p)!.map((l) => Array.from(l))).toEqual([[0, 1], [0, 1, 2], [1, 2], [3], []]);
	});

	it('up to 4 096 projects; beyond that no m × m table (null)', () => {
		const empty = (m: number): ApprovalProfile => ({
			n: 0,
			m,
			nB: 0,
			weight: new Float64Array(0),
			bStart: new Int32Array(1),
			bProj: new Int32Array(0),
			sStart: new Int32Array(m + 1),
			sIdx: new Int32Array(0),
			W: new Float64Array(m)
		});
		expect(neighbourLists(empty(4096))).toHaveLength(4096);
		expect(neighbourLists(empty(4097))).toBeNull();
	});
});
