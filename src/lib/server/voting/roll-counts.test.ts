/**
 * Issue 11: after publication the roll is reduced to counts. Publishing deletes every roll row (no DNI HMAC stays
 * beside a round's votes) and keeps their counts, so reconciliation and turnout read the same figures as before.
 * Issue 13 point 5: the scrub of the file that follows (VACUUM, WAL truncated) runs in a worker, not on the request;
 * once it has run, neither the file nor its WAL holds any of the roll's DNI HMACs.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { rollCounts, rollEntries, rounds } from '../db/schema/index';
import { castAssisted, castWebBallot, createStation, reconciliation, reduceRollToCounts, sealsSettled } from './index';
import { computeResults, publishResults } from '../results';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown } from '../../../../tests/support/voting-people';
import { hexFound, hexOwners } from '../../../../tests/support/file-bytes';

process.env.MINKA_SECRET = 'test';

function votedRound(ubigeo: string) {
	const file = join(mkdtempSync(join(tmpdir(), 'minka-rollcount-')), 't.db');
	const db = openDatabase(file);
	const town = seedTown(db, ubigeo);
	const official = seedPerson(db, town.municipalityId, { roles: ['official', 'admin'], zoneId: town.zones[0] });
	const { roundId, proposalIds } = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'approval', maxChoices: 2 },
		budgets: [[null, 1_000_000_00]],
		proposals: [
			[null, 'Riego', null, 10_00],
			[null, 'Losa', null, 10_00]
		]
	});
	const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa');
	for (let i = 0; i < 3; i++) {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [proposalIds[i % 2]] }]);
	}
	for (let i = 0; i < 2; i++) {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		castAssisted(
			db,
			official.actor,
			town.municipalityId,
			roundId,
			station.id,
			v.dni,
			() => [{ approve: [proposalIds[0]] }],
			'es',
			'1980-01-01'
		);
	}
	db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, roundId)).run();
	const hmacs = db
		.select()
		.from(rollEntries)
		.where(eq(rollEntries.roundId, roundId))
		.all()
		.map((e) => e.dniHmac);
	return { file, db, town, official, roundId, hmacs };
}

/**
 * The voters' DNI HMACs stay on their person rows; none may be left on a page of the roll or a free page, nor in the
 * WAL. (Found before: the scan sees them.)
 */
function rollLeftovers(file: string, hmacs: string[]) {
	const { owners, inWal } = hexOwners(file, hmacs);
	const left = [...owners].flatMap(([h, at]) =>
		[...at].filter((o) => o.startsWith('roll_entry') || o === '(free)').map((o) => `${h.slice(0, 8)} on ${o}`)
	);
	return [...left, ...inWal.map((h) => `${h.slice(0, 8)} in the WAL`)];
}

const scrubPending = (db: Db) => db.$client.prepare('SELECT count(*) FROM file_scrub_pending').pluck().get();

describe('after publication', () => {
	it('the roll is reduced to counts; reconciliation reads the same figures; the file is scrubbed in a worker', async () => {
		const { file, db, town, official, roundId, hmacs } = votedRound('080107');
		const before = reconciliation(db, official.actor, town.municipalityId, roundId);
		expect(db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all()).toHaveLength(5);
		const snap = computeResults(db, official.actor, town.municipalityId, roundId);
		await sealsSettled(); // the seal the first officials' read started, and its scrub
		expect(scrubPending(db)).toBe(0);
		publishResults(db, official.actor, town.municipalityId, roundId, snap.version);
		expect(db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all()).toHaveLength(0);
		const counts = db.select().from(rollCounts).where(eq(rollCounts.roundId, roundId)).all();
		expect(counts.reduce((s, c) => s + c.n, 0)).toBe(5);
		expect(Object.keys(counts[0])).not.toContain('dniHmac');
		expect(reconciliation(db, official.actor, town.municipalityId, roundId)).toEqual(before);
		// publishing answered before the scrub: it is left to a worker
		expect(scrubPending(db)).toBe(1);
		await sealsSettled();
		expect(scrubPending(db)).toBe(0);
		expect(hmacs).toHaveLength(5);
		expect(rollLeftovers(file, hmacs)).toEqual([]);
		db.$client.close();
	});

	it("the server's connection zeroes the deleted DNI HMACs at once (secure_delete), before any scrub", () => {
		const { file, db, roundId, hmacs } = votedRound('080112');
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(hexFound(file, hmacs)).toHaveLength(5);
		expect(rollLeftovers(file, hmacs).filter((x) => x.endsWith('on roll_entry'))).toHaveLength(5);
		writeTx(db, (tx) => reduceRollToCounts(tx, roundId));
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		expect(rollLeftovers(file, hmacs)).toEqual([]);
		db.$client.close();
	});
});
