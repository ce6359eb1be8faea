/**
 * Issue 13 point 2: four eyes on paper ballots. A keying difference is resolved by a person who keyed neither
 * version; a batch keyed beyond its declared count is refused at keying; who keyed and who resolved is public and
 * each resolution audited. (The few-staff path, both keyers confirming, is in voting.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { ballots, paperBatches } from '../db/schema/index';
import { auditEventsOfType } from '../platform/audit';
import {
	batchDetail,
	createBatch,
	createStation,
	enterBatch,
	markForPaper,
	publicBatches,
	resolveBatch,
	stationStaffPersons
} from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedOfficials, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let roundId: number;
let staff: Person[];

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	town = seedTown(db, '080102');
	staff = seedOfficials(db, town.municipalityId, town.zones[0], 3);
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: staff[0].personId,
		ballot: { type: 'approval', maxChoices: 3 },
		budgets: [[null, 100_000_00]],
		proposals: [
			[null, 'Agua potable', null, 10_000_00],
			[null, 'Veredas', null, 10_000_00],
			[null, 'Puente', null, 10_000_00]
		]
	});
	roundId = r.roundId;
});

describe('four eyes on paper batches', () => {
	it('refuses keying beyond the declared count; a keyer cannot resolve; a third person does, publicly and audited', () => {
		const [a, b, c] = staff;
		const m = town.municipalityId;
		expect(stationStaffPersons(db, m)).toBe(3);
		const station = createStation(db, a.actor, m, roundId, 'Mesa 1');
		for (let i = 0; i < 3; i++)
			markForPaper(db, a.actor, m, roundId, station.id, seedPerson(db, m, { zoneId: town.zones[0] }).dni, '1980-01-01');
		const batch = createBatch(db, a.actor, m, roundId, {
			stationId: String(station.id),
			zoneId: '',
			label: 'Sobre 1',
			declaredCount: '2'
		});
		// three lines in an envelope of two papers: refused at keying, nothing stored
		expect(userErrorCode(() => enterBatch(db, a.actor, m, roundId, batch.id, '1\n2\n3'))).toBe(
			'ballot.batchOverDeclared'
		);
		expect(batchDetail(db, a.actor, m, roundId, batch.id, 'es').entries).toHaveLength(0);

		expect(enterBatch(db, a.actor, m, roundId, batch.id, '1 2\n3')).toEqual({ state: 'waiting' });
		expect(enterBatch(db, b.actor, m, roundId, batch.id, '1 2\n2')).toEqual({ state: 'discrepancy', count: 1 });

		// the keyers see both versions but may not choose between them
		const pickFirst = (n: string) => (n === 'line2' ? 'first' : null);
		expect(batchDetail(db, a.actor, m, roundId, batch.id, 'es')).toMatchObject({ canResolve: false });
		expect(userErrorCode(() => resolveBatch(db, a.actor, m, roundId, batch.id, pickFirst))).toBe(
			'ballot.resolverKeyed'
		);
		expect(userErrorCode(() => resolveBatch(db, b.actor, m, roundId, batch.id, pickFirst))).toBe(
			'ballot.resolverKeyed'
		);
		expect(db.select().from(ballots).where(eq(ballots.batchId, batch.id)).all()).toHaveLength(0);
		expect(db.select().from(paperBatches).where(eq(paperBatches.id, batch.id)).get()!.status).toBe('discrepancy');

		// a person who keyed neither version resolves
		const detail = batchDetail(db, c.actor, m, roundId, batch.id, 'es');
		expect(detail).toMatchObject({ canResolve: true, resolution: 'other' });
		expect(detail.discrepancies).toEqual([{ line: 2, first: '3', second: '2' }]);
		expect(resolveBatch(db, c.actor, m, roundId, batch.id, pickFirst)).toEqual({
			state: 'accepted',
			accepted: 2,
			void: 0
		});
		const [event] = auditEventsOfType(db, m, 'paper.batchResolved');
		expect(JSON.parse(event.payload)).toMatchObject({
			batchId: batch.id,
			keyedBy: [a.userId, b.userId],
			resolvedBy: c.userId,
			confirmedBy: null,
			lines: [{ line: 2, pick: 'first', value: '3' }]
		});
		expect(publicBatches(db, m, roundId)).toEqual([
			expect.objectContaining({
				label: 'Sobre 1',
				declaredCount: 2,
				counted: 2,
				keyedBy: [`Vecino ${a.dni}`, `Vecino ${b.dni}`],
				resolvedBy: `Vecino ${c.dni}`,
				confirmedBy: null
			})
		]);
	});
});
