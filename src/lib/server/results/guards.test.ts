/**
 * Guards before computing and publishing (issue 12 point 3): a pending paper batch and a station whose counts do not
 * agree (an over-count: a batch declared with 1 ballot that holds 2) refuse the count with a translated reason and
 * change nothing, until an official unblocks the station with an audited reason; zero ballots when votes decide
 * warn and change nothing until confirmed; publishing without the preview's confirmation changes nothing.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, ne } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { auditEvents, municipalities, paperBatches, resultSnapshots, stations, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { computeResults, publishResults, stationUnblocks, unblockStation } from './results';
import { computeBlocks, zeroBallotsMatter } from '../../domain/results-guards';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import { isUserError } from '../../domain/errors';
import type { Actor } from '../platform/policy';

let db: Db;
let official: Actor;
let municipalityId: number;
let zoneId: number;
let personId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-guards-')), 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'g',
				ubigeo: '080105',
				name: 'G',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const acc = createAccount(tx, m.id, {
			fullName: 'Rosa Quispe',
			dni: '70000138',
			birthDate: '1980-01-01',
			email: 'rosa@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	zoneId = base.z.id;
	personId = base.acc.person.id;
	official = {
		userId: base.acc.user.id,
		personId,
		municipalityId,
		roles: new Set(['official']),
		verified: true
	};
});

/** The refusal's code and params, or null when nothing was thrown. */
function refusal(fn: () => unknown) {
	try {
		fn();
		return null;
	} catch (e) {
		if (isUserError(e)) return { code: e.code, params: e.params };
		throw e;
	}
}

/** What a refused command must leave as it was (the voting seal, written once the window is over, aside). */
const state = () => ({
	snapshots: db.select({ n: count() }).from(resultSnapshots).get()!.n,
	audit: db.select({ n: count() }).from(auditEvents).where(ne(auditEvents.type, 'voting.sealed')).get()!.n
});

describe('guards (pure)', () => {
	const s = (id: number, pendingBatches: number, agrees: boolean) => ({
		stationId: id,
		name: `M${id}`,
		pendingBatches,
		agrees
	});
	it('a pending batch or counts that disagree block; an unblocked station does not', () => {
		expect(computeBlocks([s(1, 0, true)], new Set())).toEqual([]);
		expect(computeBlocks([s(1, 2, false)], new Set()).map((b) => [b.code, b.params.n])).toEqual([
			['results.guard.pending', 2]
		]);
		expect(computeBlocks([s(1, 0, false)], new Set()).map((b) => b.code)).toEqual(['results.guard.unreconciled']);
		expect(computeBlocks([s(1, 2, false), s(2, 0, false)], new Set([1])).map((b) => b.stationId)).toEqual([2]);
	});
	it('zero ballots matter when votes decide, alone or in a mix', () => {
		expect(zeroBallotsMatter({ rule: 'votes' }, 0)).toBe(true);
		expect(zeroBallotsMatter({ rule: 'mix', voteWeight: 50, scoreWeight: 50 }, 0)).toBe(true);
		expect(zeroBallotsMatter({ rule: 'scores' }, 0)).toBe(false);
		expect(zeroBallotsMatter({ rule: 'votes' }, 1)).toBe(false);
	});
});

describe('compute refuses and changes nothing', () => {
	it('while a station has a pending batch, then while its counts disagree (over-count), until unblocked', () => {
		const { round } = seedVotedRound(db, { municipalityId, zoneId, authorPersonId: personId });
		closeVoting(db, round.id);
		const station = db
			.insert(stations)
			.values({ municipalityId, roundId: round.id, name: 'Mesa Larapa', createdAt: 0 })
			.returning()
			.get();
		const batch = db
			.insert(paperBatches)
			.values({
				municipalityId,
				roundId: round.id,
				stationId: station.id,
				zoneId,
				label: 'A',
				declaredCount: 1,
				createdAt: 0
			})
			.returning()
			.get();
		const before = state();
		expect(refusal(() => computeResults(db, official, municipalityId, round.id))).toEqual({
			code: 'results.guard.pending',
			params: { station: 'Mesa Larapa', n: 1 }
		});
		expect(state()).toEqual(before);

		// accepted, but the envelope said 1 ballot and 2 were keyed: the station does not reconcile
		db.update(paperBatches)
			.set({ status: 'accepted', resolvedLines: ['1', '2'], acceptedAt: 1 })
			.where(eq(paperBatches.id, batch.id))
			.run();
		expect(refusal(() => computeResults(db, official, municipalityId, round.id))?.code).toBe(
			'results.guard.unreconciled'
		);
		expect(state()).toEqual(before);

		// an unblock needs a reason; a short one is refused and changes nothing
		expect(refusal(() => unblockStation(db, official, municipalityId, round.id, station.id, 'ok'))?.code).toBe(
			'results.guard.reasonRequired'
		);
		expect(state()).toEqual(before);
		unblockStation(db, official, municipalityId, round.id, station.id, 'Un sobre se contó dos veces; acta firmada.');
		expect(stationUnblocks(db, municipalityId, round.id)).toMatchObject([
			{ stationId: station.id, station: 'Mesa Larapa', reason: 'Un sobre se contó dos veces; acta firmada.' }
		]);
		const snap = computeResults(db, official, municipalityId, round.id);
		expect(snap.version).toBe(1);
	});

	it('at zero ballots when votes decide, until the official confirms', () => {
		const { round } = seedVotedRound(db, { municipalityId, zoneId, authorPersonId: personId });
		closeVoting(db, round.id);
		// this round's ballots are not counted
		writeTx(db, (tx) => tx.run(`update ballot set status = 'voided' where round_id = ${round.id}`));
		const before = state();
		expect(refusal(() => computeResults(db, official, municipalityId, round.id))?.code).toBe(
			'results.guard.zeroBallots'
		);
		expect(state()).toEqual(before);
		const snap = computeResults(db, official, municipalityId, round.id, { confirmZeroBallots: true });
		expect(snap.parsed.budgets.every((b) => b.voters === 0)).toBe(true);

		// publishing without the preview's confirmation changes nothing
		const mid = state();
		expect(refusal(() => publishResults(db, official, municipalityId, round.id, 1, { confirmed: false }))?.code).toBe(
			'results.guard.confirmPublish'
		);
		expect(state()).toEqual(mid);
		expect(db.select().from(resultSnapshots).where(eq(resultSnapshots.id, snap.id)).get()!.publishedAt).toBeNull();
		publishResults(db, official, municipalityId, round.id, 1, { confirmed: true });
		expect(db.select().from(resultSnapshots).where(eq(resultSnapshots.id, snap.id)).get()!.publishedAt).not.toBeNull();
	});
});
