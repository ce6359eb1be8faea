import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { auditEvents, ballots, ballotSections, persons, receipts, rollEntries } from '../db/schema/index';
import { ballotTag, roundKey } from './keys';
import {
	ballotForVoter,
	castAssisted,
	castWebBallot,
	checkReceipt,
	createBatch,
	createStation,
	enterBatch,
	lookUpRoll,
	markForPaper,
	readBallotForm,
	reconciliation,
	resolveBatch,
	publicBatches,
	turnout
} from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let dir: string;
let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let official2: Person;
let roundId: number;
let ids: number[];

/** The web ballots held under a person's DNI (through the round key, as a replacement finds them). */
const ballotsOf = (personId: number) => {
	const dni = db.select().from(persons).where(eq(persons.id, personId)).get()!.dniHmac!;
	const tag = ballotTag(roundKey(db, roundId, false)!, dni);
	return db
		.select()
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.tag, tag)))
		.all();
};
const rollOf = (personId: number) => {
	const dni = db.select().from(persons).where(eq(persons.id, personId)).get()!.dniHmac!;
	return db
		.select()
		.from(rollEntries)
		.where(and(eq(rollEntries.roundId, roundId), eq(rollEntries.dniHmac, dni)))
		.all();
};

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'minka-'));
	db = openDatabase(join(dir, 't.db'));
	town = seedTown(db, '080101');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	official2 = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'knapsack' },
		budgets: [
			[town.zones[0], 100_000_00],
			[town.zones[1], 50_000_00],
			[null, 80_000_00]
		],
		proposals: [
			[town.zones[0], 'Agua potable', 'Unu', 60_000_00],
			[town.zones[0], 'Veredas', null, 40_000_00],
			[town.zones[0], 'Losa deportiva', null, 40_000_01],
			[town.zones[1], 'Posta', null, 30_000_00],
			[null, 'Puente', 'Chaka', 80_000_00],
			[null, 'Biblioteca', null, 10_000_00]
		]
	});
	roundId = r.roundId;
	ids = r.proposalIds;
});

describe('web ballots', () => {
	it('shows the voter their zone section and the municipality-wide one, in their language', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const { paper, state } = ballotForVoter(db, v.actor, town.municipalityId, roundId, 'qu');
		expect(state).toEqual({ kind: 'none' });
		expect(paper.sections.map((s) => [s.zoneId, s.projects.map((p) => p.title)])).toEqual([
			[town.zones[0], ['Unu', 'Veredas', 'Losa deportiva']],
			[null, ['Chaka', 'Biblioteca']]
		]);
	});

	it('casts exactly at the budget, refuses one céntimo over, replaces, and keeps one counted ballot', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const { paper } = ballotForVoter(db, v.actor, town.municipalityId, roundId, 'es');
		const form = (entries: [string, string][]) => (n: string) => entries.filter(([k]) => k === n).map(([, x]) => x);
		expect(
			userErrorCode(() =>
				readBallotForm(
					paper,
					form([
						['s0', String(ids[0])],
						['s0', String(ids[2])]
					])
				)
			)
		).toBe('ballot.overBudget');
		const choices = readBallotForm(
			paper,
			form([
				['s0', String(ids[0])],
				['s0', String(ids[1])],
				['s1', String(ids[4])]
			])
		);
		const first = castWebBallot(db, v.actor, town.municipalityId, roundId, choices);
		expect(first.replaced).toBe(false);
		expect(first.receipt).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
		expect(checkReceipt(db, town.municipalityId, roundId, first.receipt.toLowerCase().replace(/-/g, ' '))).toBe(
			'counted'
		);
		const second = castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [ids[1]] }, { approve: [] }]);
		expect(second.replaced).toBe(true);
		expect(checkReceipt(db, town.municipalityId, roundId, first.receipt)).toBe('superseded');
		expect(checkReceipt(db, town.municipalityId, roundId, second.receipt)).toBe('counted');
		const mine = ballotsOf(v.personId);
		expect(mine.map((b) => b.status).sort()).toEqual(['counted', 'superseded']);
		// The receipt code itself is nowhere in the database, only its hash.
		expect(JSON.stringify(db.select().from(receipts).all())).not.toContain(second.receipt.replace(/-/g, ''));
		expect(userErrorCode(() => checkReceipt(db, town.municipalityId, roundId, 'AAAA-AAAA-AAAA-AAAA'))).toBe(
			'ballot.receiptUnknown'
		);
		expect(userErrorCode(() => checkReceipt(db, town.municipalityId, roundId, '123'))).toBe('ballot.receiptFormat');
	});

	it('re-checks the rules inside the transaction (a forged over-budget ballot changes nothing)', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const before = db.select().from(ballots).all().length;
		expect(
			userErrorCode(() =>
				castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [ids[0], ids[2]] }, { approve: [] }])
			)
		).toBe('ballot.overBudget');
		expect(
			userErrorCode(() =>
				castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [ids[3]] }, { approve: [] }])
			)
		).toBe('ballot.unknownProject');
		expect(userErrorCode(() => castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [] }]))).toBe(
			'ballot.invalid'
		);
		expect(db.select().from(ballots).all().length).toBe(before);
	});

	it('refuses the unverified, the too young and a resident without a zone budget, clearly', () => {
		const unverified = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], verified: false });
		expect(userErrorCode(() => ballotForVoter(db, unverified.actor, town.municipalityId, roundId, 'es'))).toBe(
			'notVerified'
		);
		const young = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '2020-01-01' });
		expect(userErrorCode(() => ballotForVoter(db, young.actor, town.municipalityId, roundId, 'es'))).toBe(
			'ballot.tooYoung'
		);
		expect(
			userErrorCode(() =>
				castWebBallot(db, young.actor, town.municipalityId, roundId, [{ approve: [] }, { approve: [] }])
			)
		).toBe('ballot.tooYoung');
	});

	it('the database itself refuses a second roll row for a DNI and a second counted ballot under one tag', () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[1] });
		castWebBallot(db, v.actor, town.municipalityId, roundId, [{ approve: [] }, { approve: [] }]);
		const [row] = rollOf(v.personId);
		expect(() =>
			db.insert(rollEntries).values({ roundId, dniHmac: row.dniHmac, channel: 'paper', day: '2026-01-01' }).run()
		).toThrow(/UNIQUE/);
		const tag = ballotsOf(v.personId)[0].tag;
		expect(() =>
			db
				.insert(ballots)
				.values({ municipalityId: town.municipalityId, roundId, tag, channel: 'web', status: 'counted' })
				.run()
		).toThrow(/UNIQUE/);
	});

	it('the audit event names neither the voter, nor the ballot, nor its order, nor the choices', () => {
		const events = db.select().from(auditEvents).where(eq(auditEvents.type, 'ballot.accepted')).all();
		expect(events.length).toBeGreaterThan(0);
		for (const e of events) {
			expect(e.actorUserId).toBeNull();
			expect(Object.keys(JSON.parse(e.payload)).sort()).toEqual(['channel', 'roundId']);
		}
	});
});

describe('polling stations', () => {
	it('a voter who voted online gets no paper ballot; a voter marked at a station cannot vote online', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Local comunal');
		const online = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		castWebBallot(db, online.actor, town.municipalityId, roundId, [{ approve: [] }, { approve: [] }]);
		expect(
			lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, online.dni, '1980-01-01', 'es').kind
		).toBe('votedOnline');
		expect(
			userErrorCode(() =>
				markForPaper(db, official.actor, town.municipalityId, roundId, station.id, online.dni, '1980-01-01')
			)
		).toBe('ballot.votedOnline');

		const walkIn = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		expect(
			lookUpRoll(
				db,
				official.actor,
				town.municipalityId,
				roundId,
				station.id,
				walkIn.dni.slice(0, 8),
				'1980-01-01',
				'es'
			).kind
		).toBe('eligible');
		expect(
			markForPaper(db, official.actor, town.municipalityId, roundId, station.id, walkIn.dni, '1980-01-01')
		).toMatchObject({
			sectionCount: 2
		});
		expect(
			userErrorCode(() =>
				markForPaper(db, official.actor, town.municipalityId, roundId, station.id, walkIn.dni, '1980-01-01')
			)
		).toBe('ballot.alreadyMarked');
		expect(userErrorCode(() => ballotForVoter(db, walkIn.actor, town.municipalityId, roundId, 'es'))).toBe(
			'ballot.markedAtStation'
		);
		expect(
			userErrorCode(() =>
				castWebBallot(db, walkIn.actor, town.municipalityId, roundId, [{ approve: [] }, { approve: [] }])
			)
		).toBe('ballot.markedAtStation');
		// Residents cannot run a station.
		expect(
			userErrorCode(() =>
				markForPaper(db, walkIn.actor, town.municipalityId, roundId, station.id, online.dni, '1980-01-01')
			)
		).toBe('forbidden');
	});

	it('assisted voting stores an anonymous ballot and marks the roll in one transaction', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Oficina municipal');
		const helped = seedPerson(db, town.municipalityId, { zoneId: town.zones[1] });
		const { receipt } = castAssisted(
			db,
			official.actor,
			town.municipalityId,
			roundId,
			station.id,
			helped.dni,
			() => [{ approve: [ids[3]] }, { approve: [ids[5]] }],
			'es',
			'1980-01-01'
		);
		expect(checkReceipt(db, town.municipalityId, roundId, receipt)).toBe('counted');
		const b = db.select().from(ballots).where(eq(ballots.channel, 'assisted')).all();
		expect(b).toHaveLength(1);
		expect(b[0].tag).toBeNull();
		expect(rollOf(helped.personId)).toMatchObject([{ channel: 'assisted', stationId: station.id }]);
		// A failing ballot leaves no roll mark behind.
		const other = seedPerson(db, town.municipalityId, { zoneId: town.zones[1] });
		expect(
			userErrorCode(() =>
				castAssisted(
					db,
					official.actor,
					town.municipalityId,
					roundId,
					station.id,
					other.dni,
					() => [{ approve: [ids[0]] }, { approve: [] }],
					'es',
					'1980-01-01'
				)
			)
		).toBe('ballot.unknownProject');
		expect(rollOf(other.personId)).toHaveLength(0);
	});

	it('paper batches: double entry, discrepancy, resolution, reconciliation', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Centro poblado Huaylla');
		const voters = [0, 1, 2].map(() => seedPerson(db, town.municipalityId, { zoneId: town.zones[0] }));
		for (const v of voters)
			markForPaper(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1980-01-01');
		const batch = createBatch(db, official.actor, town.municipalityId, roundId, {
			stationId: String(station.id),
			zoneId: String(town.zones[0]),
			label: 'Sobre 1',
			declaredCount: '3'
		});
		// Proposal numbers as printed: 1 Agua (60 000), 2 Veredas (40 000), 3 Losa (40 000,01), 5 Puente, 6 Biblioteca.
		expect(
			userErrorCode(() =>
				enterBatch(db, official.actor, town.municipalityId, roundId, batch.id, '1 2 | 5\n1 9 | -\nNULO')
			)
		).toBe('ballot.paperLine');
		expect(enterBatch(db, official.actor, town.municipalityId, roundId, batch.id, '1 2 | 5\n1 3 | -\nNULO')).toEqual({
			state: 'waiting'
		});
		expect(userErrorCode(() => enterBatch(db, official.actor, town.municipalityId, roundId, batch.id, '1 2 | 5'))).toBe(
			'ballot.batchSameOfficial'
		);
		expect(enterBatch(db, official2.actor, town.municipalityId, roundId, batch.id, '1 2|5\n2 | 6\nnulo')).toEqual({
			state: 'discrepancy',
			count: 1
		});
		const before = reconciliation(db, official.actor, town.municipalityId, roundId).find(
			(r) => r.stationId === station.id
		)!;
		expect(before).toMatchObject({ markedPaper: 3, pendingBatches: 1, agrees: false });
		expect(
			userErrorCode(() => resolveBatch(db, official.actor, town.municipalityId, roundId, batch.id, () => null))
		).toBe('ballot.resolveMissing');
		// Two staff persons only: a keyer's resolution waits for the other keyer to confirm each resolved line.
		const pickSecond = (n: string) => (n === 'line2' ? 'second' : null);
		expect(resolveBatch(db, official.actor, town.municipalityId, roundId, batch.id, pickSecond)).toEqual({
			state: 'proposed'
		});
		expect(
			userErrorCode(() => resolveBatch(db, official.actor, town.municipalityId, roundId, batch.id, pickSecond))
		).toBe('ballot.resolveAwaitingOther');
		expect(db.select().from(ballots).where(eq(ballots.batchId, batch.id)).all()).toHaveLength(0);
		expect(resolveBatch(db, official2.actor, town.municipalityId, roundId, batch.id, pickSecond)).toEqual({
			state: 'accepted',
			accepted: 2,
			void: 1
		});
		expect(publicBatches(db, town.municipalityId, roundId)).toMatchObject([
			{ label: 'Sobre 1', counted: 3, resolvedBy: `Vecino ${official.dni}`, confirmedBy: `Vecino ${official2.dni}` }
		]);
		const paper = db.select().from(ballots).where(eq(ballots.batchId, batch.id)).all();
		expect(paper).toHaveLength(2);
		expect(paper.every((b) => b.tag === null)).toBe(true);
		// Ids are random: compare the set of ballots, each as its sections in budget order (zone first, wide last).
		const contents = paper
			.map((b) =>
				JSON.stringify(
					db
						.select()
						.from(ballotSections)
						.where(eq(ballotSections.ballotId, b.id))
						.all()
						.sort((x, y) => (y.budgetZoneId ?? -1) - (x.budgetZoneId ?? -1))
						.map((c) => c.choices)
				)
			)
			.sort();
		expect(contents).toEqual(
			[
				[{ approve: [ids[0], ids[1]] }, { approve: [ids[4]] }],
				[{ approve: [ids[1]] }, { approve: [ids[5]] }]
			]
				.map((x) => JSON.stringify(x))
				.sort()
		);
		const after = reconciliation(db, official.actor, town.municipalityId, roundId).find(
			(r) => r.stationId === station.id
		)!;
		expect(after).toMatchObject({
			markedPaper: 3,
			declared: 3,
			keyed: 3,
			paperAccepted: 2,
			paperVoid: 1,
			pendingBatches: 0,
			agrees: true
		});
	});

	it('turnout: counts by channel and zone, no choices', () => {
		const t = turnout(db, official.actor, town.municipalityId, roundId);
		expect(t.totals.assisted).toBe(1);
		expect(t.totals.paper).toBe(2);
		expect(t.totals.web).toBeGreaterThan(0);
		expect(t.totals.replaced).toBe(1);
		expect(t.perZone.find((z) => z.zoneId === town.zones[1])!.assisted).toBe(1);
		expect(JSON.stringify(t)).not.toContain('approve');
		expect(
			userErrorCode(() => turnout(db, seedPerson(db, town.municipalityId).actor, town.municipalityId, roundId))
		).toBe('forbidden');
	});
});
