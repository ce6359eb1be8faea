/**
 * Issue 11, point 5 (review L8): an official looks up the roll only during voting, from a station of the round,
 * with the DNI and the birth date on the card; each look-up is counted per station and audited (the DNI keyed by
 * the round's key, the official, the station); after close nobody can look up and only the counts remain.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { auditEvents, censusEntries, persons, rollLookups } from '../db/schema/index';
import { dniHmac } from '../platform/secret';
import {
	castAssisted,
	castWebBallot,
	createStation,
	endVotingWindow,
	lookUpRoll,
	markForPaper,
	reconciliation,
	registerFromCensus,
	voidWebBallot
} from './index';
import { lookupTag, roundKey } from './keys';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let roundId: number;

const code = (fn: () => unknown) => {
	try {
		fn();
		return null;
	} catch (e) {
		return (e as { code?: string }).code ?? String(e);
	}
};

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-lookup-')), 't.db'));
	town = seedTown(db, '080106');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	roundId = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'approval', maxChoices: 2 },
		budgets: [[null, 1_000_000_00]],
		proposals: [[null, 'Riego', null, 10_00]]
	}).roundId;
});

describe('roll look-ups by officials', () => {
	it('need a station of the round and the birth date on the card; a wrong date reveals nothing', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa 1');
		const online = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '1970-07-07' });
		castWebBallot(db, online.actor, town.municipalityId, roundId, [{ approve: [] }]);
		const look = (stationId: number, birthDate: unknown) =>
			lookUpRoll(db, official.actor, town.municipalityId, roundId, stationId, online.dni, birthDate, 'es');
		expect(code(() => look(station.id, ''))).toBe('ballot.cardRequired');
		expect(code(() => look(station.id, '1970-07-08'))).toBe('ballot.cardMismatch');
		expect(code(() => look(station.id + 999, '1970-07-07'))).toBe('ballot.stationUnknown');
		expect(db.select().from(rollLookups).all()).toHaveLength(0);
		expect(look(station.id, '1970-07-07').kind).toBe('votedOnline');
		// The acts that would answer the same question need the card too (the station form always sends it).
		expect(
			code(() => markForPaper(db, official.actor, town.municipalityId, roundId, station.id, online.dni, '1970-07-08'))
		).toBe('ballot.cardMismatch');
		expect(
			code(() =>
				voidWebBallot(db, official.actor, town.municipalityId, roundId, station.id, online.dni, 'x', '1970-07-08')
			)
		).toBe('ballot.cardMismatch');
		expect(
			code(() =>
				registerFromCensus(db, official.actor, town.municipalityId, roundId, station.id, online.dni, 'X', '1970-07-08')
			)
		).toBe('ballot.cardMismatch');
	});

	it('answer what the roll says: unknown, in the census only (with its zone), marked at a station (which)', () => {
		// a round of its own: the last test counts this round's look-ups per station
		const ownRound = seedVotingRound(db, {
			municipalityId: town.municipalityId,
			authorPersonId: official.personId,
			ballot: { type: 'approval', maxChoices: 2 },
			budgets: [[null, 1_000_000_00]],
			proposals: [[null, 'Canal', null, 10_00]]
		}).roundId;
		const station = createStation(db, official.actor, town.municipalityId, ownRound, 'Mesa roll');
		const look = (dni: string, birthDate: string) =>
			lookUpRoll(db, official.actor, town.municipalityId, ownRound, station.id, dni, birthDate, 'es');
		expect(look('40999111', '1980-01-01')).toEqual({ kind: 'unknown' });
		const censusDni = '45678555';
		db.insert(censusEntries)
			.values({
				municipalityId: town.municipalityId,
				dniHmac: dniHmac(censusDni),
				birthDate: '1961-03-04',
				zoneId: town.zones[0],
				importedAt: 1
			})
			.run();
		expect(code(() => look(censusDni, '1961-03-05'))).toBe('ballot.cardMismatch');
		expect(look(censusDni, '1961-03-04')).toEqual({ kind: 'censusOnly', zoneName: 'Sector Norte' });
		const paper = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '1975-05-06' });
		expect(look(paper.dni, '1975-05-06')).toMatchObject({ kind: 'eligible', personId: paper.personId });
		markForPaper(db, official.actor, town.municipalityId, ownRound, station.id, paper.dni, '1975-05-06');
		expect(look(paper.dni, '1975-05-06')).toEqual({
			kind: 'marked',
			fullName: `Vecino ${paper.dni}`,
			stationName: 'Mesa roll',
			markKind: 'paper'
		});
	});

	it('every station act needs the card, whoever calls it (no in-process exception)', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa sin fecha');
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '1977-04-05' });
		const m = town.municipalityId;
		const blank = () => [{ approve: [] }];
		for (const missing of [undefined, null, '']) {
			expect(code(() => markForPaper(db, official.actor, m, roundId, station.id, v.dni, missing))).toBe(
				'ballot.cardRequired'
			);
			expect(code(() => castAssisted(db, official.actor, m, roundId, station.id, v.dni, blank, 'es', missing))).toBe(
				'ballot.cardRequired'
			);
			expect(code(() => voidWebBallot(db, official.actor, m, roundId, station.id, v.dni, 'x', missing))).toBe(
				'ballot.cardRequired'
			);
			expect(code(() => registerFromCensus(db, official.actor, m, roundId, station.id, v.dni, 'X', missing))).toBe(
				'ballot.cardRequired'
			);
			expect(code(() => lookUpRoll(db, official.actor, m, roundId, station.id, v.dni, missing, 'es'))).toBe(
				'ballot.cardRequired'
			);
		}
		// nothing was marked, cast, voided or counted by the refused acts
		expect(db.select().from(rollLookups).where(eq(rollLookups.stationId, station.id)).all()).toHaveLength(0);
		expect(markForPaper(db, official.actor, m, roundId, station.id, v.dni, '1977-04-05')).toMatchObject({
			sectionCount: 1
		});
	});

	it('recording a census resident at a station is a station act: a station of the round, while voting', () => {
		const dni = '45678123';
		db.insert(censusEntries)
			.values({
				municipalityId: town.municipalityId,
				dniHmac: dniHmac(dni),
				birthDate: '1966-01-02',
				zoneId: town.zones[0],
				importedAt: 1
			})
			.run();
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa censo');
		const register = (stationId: number) =>
			registerFromCensus(db, official.actor, town.municipalityId, roundId, stationId, dni, 'Rosa Ccahua', '1966-01-02');
		expect(code(() => register(station.id + 999))).toBe('ballot.stationUnknown');
		expect(
			db
				.select()
				.from(persons)
				.where(eq(persons.dniHmac, dniHmac(dni)))
				.all()
		).toHaveLength(0);
		expect(register(station.id).verifiedMethod).toBe('census');
	});

	it('each look-up is counted per station and audited: keyed DNI, official, station', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa 2');
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '1981-02-03' });
		lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1981-02-03', 'es');
		lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '03/02/1981', 'es');
		const rows = db.select().from(rollLookups).where(eq(rollLookups.stationId, station.id)).all();
		expect(rows).toHaveLength(2);
		expect(Object.keys(rows[0]).sort()).toEqual(['byUserId', 'id', 'roundId', 'stationId']);
		expect(rows[0].byUserId).toBe(official.userId);
		const events = db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.municipalityId, town.municipalityId), eq(auditEvents.type, 'voting.rollLookup')))
			.all();
		const mine = events.map((e) => JSON.parse(e.payload)).filter((p) => p.stationId === station.id);
		const hmac = db.select().from(persons).where(eq(persons.id, v.personId)).get()!.dniHmac!;
		// During voting the office can tell whether a given DNI was looked up (with the round's key)…
		expect(mine).toEqual([
			{ roundId, stationId: station.id, dni: lookupTag(roundKey(db, roundId, false)!, hmac) },
			{ roundId, stationId: station.id, dni: lookupTag(roundKey(db, roundId, false)!, hmac) }
		]);
		expect(events.every((e) => e.personal && e.actorUserId === official.userId && e.payloadSalt)).toBe(true);
		expect(JSON.stringify(mine)).not.toContain(hmac);
		const rec = reconciliation(db, official.actor, town.municipalityId, roundId);
		expect(rec.find((r) => r.stationId === station.id)!.lookups).toBe(2);
	});

	it('after close: no look-up, the key that names DNIs is gone, only the counts remain', () => {
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa 3');
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], birthDate: '1990-01-01' });
		lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1990-01-01', 'es');
		endVotingWindow(db, roundId);
		expect(
			code(() => lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1990-01-01', 'es'))
		).toBe('ballot.closed');
		expect(roundKey(db, roundId, false)).toBeNull();
		const counts = reconciliation(db, official.actor, town.municipalityId, roundId).map((r) => [r.name, r.lookups]);
		// (the stations of the card-only tests made no look-up)
		expect(counts.filter(([, n]) => n)).toEqual([
			['Mesa 1', 1],
			['Mesa 2', 2],
			['Mesa 3', 1]
		]);
	});
});
