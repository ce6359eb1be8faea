/**
 * Issue 11: after publication the roll is reduced to counts. Publishing deletes every roll row (no DNI HMAC stays
 * beside a round's votes) and keeps their counts, so reconciliation and turnout read the same figures as before.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { rollCounts, rollEntries, rounds } from '../db/schema/index';
import { castAssisted, castWebBallot, createStation, reconciliation } from './index';
import { computeResults, publishResults } from '../results';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

describe('after publication', () => {
	it('the roll is reduced to counts; reconciliation reads the same figures', () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-rollcount-')), 't.db'));
		const town = seedTown(db, '080107');
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
		const before = reconciliation(db, official.actor, town.municipalityId, roundId);
		expect(db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all()).toHaveLength(5);
		const snap = computeResults(db, official.actor, town.municipalityId, roundId);
		publishResults(db, official.actor, town.municipalityId, roundId, snap.version);
		expect(db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all()).toHaveLength(0);
		const counts = db.select().from(rollCounts).where(eq(rollCounts.roundId, roundId)).all();
		expect(counts.reduce((s, c) => s + c.n, 0)).toBe(5);
		expect(Object.keys(counts[0])).not.toContain('dniHmac');
		expect(reconciliation(db, official.actor, town.municipalityId, roundId)).toEqual(before);
	});
});
