/**
 * The cast path kept short (issue 17): the form read once against the ballot the transaction sees (ids and costs,
 * no display), and the round key read from its file once, the file staying the authority.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { ballots, ballotSections, proposals } from '../db/schema/index';
import { roundKey, roundKeyPath, deleteRoundKey } from './keys';
import { castWebBallot, castWebBallotGrouped } from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let roundId: number;
let ids: number[];

const form = (entries: [string, string][]) => ({
	form: (n: string) => entries.filter(([k]) => k === n).map(([, x]) => x)
});
const counted = () =>
	db
		.select()
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
		.all().length;

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	town = seedTown(db, '080101');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'knapsack' },
		budgets: [
			[town.zones[0], 100_000_00],
			[null, 80_000_00]
		],
		proposals: [
			[town.zones[0], 'Agua potable', 'Unu', 60_000_00],
			[town.zones[0], 'Veredas', null, 40_000_00],
			[town.zones[0], 'Losa deportiva', null, 40_000_01],
			[null, 'Puente', 'Chaka', 80_000_00]
		]
	});
	roundId = r.roundId;
	ids = r.proposalIds;
});

describe('casting from the form fields', () => {
	it('stores the canonical choices (sorted, resubmitted checkbox once) read against the ballot in the transaction', async () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const before = counted();
		const { receipt } = await castWebBallotGrouped(
			db,
			v.actor,
			town.municipalityId,
			roundId,
			form([
				['s0', String(ids[1])],
				['s0', String(ids[0])],
				['s0', String(ids[1])],
				['s1', String(ids[3])]
			])
		);
		expect(receipt).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
		expect(counted()).toBe(before + 1);
		const stored = db.select({ choices: ballotSections.choices }).from(ballotSections).all();
		expect(stored.map((s) => JSON.stringify(s.choices))).toContain(JSON.stringify({ approve: [ids[0], ids[1]] }));
	});

	it('refuses, storing nothing, a form over budget, naming a project of another zone, or not a number', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const before = counted();
		const cast = (entries: [string, string][]) =>
			userErrorCode(() => castWebBallot(db, v.actor, town.municipalityId, roundId, form(entries)));
		expect(
			cast([
				['s0', String(ids[0])],
				['s0', String(ids[2])]
			])
		).toBe('ballot.overBudget');
		expect(cast([['s0', String(ids[3])]])).toBe('ballot.unknownProject');
		expect(cast([['s1', 'uno']])).toBe('ballot.unknownProject');
		expect(counted()).toBe(before);
	});

	it('checks against the ballot as it is at the moment of casting (a proposal taken off is refused)', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		db.update(proposals).set({ status: 'not_feasible' }).where(eq(proposals.id, ids[1])).run();
		try {
			expect(
				userErrorCode(() => castWebBallot(db, v.actor, town.municipalityId, roundId, form([['s0', String(ids[1])]])))
			).toBe('ballot.unknownProject');
		} finally {
			db.update(proposals).set({ status: 'on_ballot' }).where(eq(proposals.id, ids[1])).run();
		}
	});
});

describe('the round key held in memory', () => {
	it('follows its file: a replaced file gives the new key, a deleted one none', () => {
		const first = roundKey(db, roundId, true)!;
		expect(roundKey(db, roundId, false)!.equals(first)).toBe(true);
		const other = randomBytes(32);
		writeFileSync(roundKeyPath(db, roundId), other);
		expect(roundKey(db, roundId, false)!.equals(other)).toBe(true);
		rmSync(roundKeyPath(db, roundId));
		expect(roundKey(db, roundId, false)).toBeNull();
		const made = roundKey(db, roundId, true)!;
		expect(made.equals(other)).toBe(false);
		deleteRoundKey(db, roundId);
		expect(roundKey(db, roundId, false)).toBeNull();
	});
});
