/**
 * Issue 11: one person, one counted ballot on every path. Each scenario walks one way a DNI could get a second
 * counted ballot (account deletion and re-sign-up, duplicate accounts, verification moves, station after web and
 * web after station, paper marks, replacements) and checks the invariant after every act; a fast-check property
 * runs random interleavings of the same acts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNotNull } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { ballots, censusEntries, persons, rollEntries, users } from '../db/schema/index';
import { actorFor, createAccount, deleteMyAccount, signUpResident } from '../accounts';
import { moveVerification } from '../residents';
import { dniHmac } from '../platform/secret';
import { dniCheckCharacters } from '../../domain/dni';
import { UserError } from '../../domain/errors';
import {
	castAssisted,
	castWebBallot,
	createBatch,
	createStation,
	enterBatch,
	markForPaper,
	reconciliation,
	voidWebBallot
} from './index';
import { ballotTag, roundKey } from './keys';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { fcRuns } from '../../../../tests/support/fc-runs';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let official2: Person;

let dniCounter = 0;
function newDni() {
	const digits = String(41_000_000 + process.pid * 10 + dniCounter++ * 977);
	return digits.slice(0, 8);
}
function census(dni: string, birthDate = '1975-03-04') {
	db.insert(censusEntries)
		.values({
			municipalityId: town.municipalityId,
			dniHmac: dniHmac(dni),
			birthDate,
			zoneId: town.zones[0],
			importedAt: Date.now()
		})
		.run();
}
function newRound() {
	return seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		budgets: [
			[town.zones[0], 100_000_00],
			[null, 80_000_00]
		],
		proposals: [
			[town.zones[0], 'Agua potable', null, 60_000_00],
			[null, 'Puente', null, 80_000_00]
		]
	});
}
const withCheck = (dni: string) => `${dni}-${dniCheckCharacters(dni)[0]}`;
const actorOf = (userId: number) => actorFor(db, db.select().from(users).where(eq(users.id, userId)).get()!);
const blank = [{ approve: [] }, { approve: [] }];

/**
 * The invariant: on the round's roll one row per DNI (the database's unique index), and exactly one counted ballot
 * for each DNI marked web or assisted — a web one found under its tag — and never more paper ballots at a station
 * than paper claims there. Returns the number of counted ballots.
 */
function checkInvariant(roundId: number) {
	const rows = db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all();
	expect(new Set(rows.map((r) => r.dniHmac)).size).toBe(rows.length);
	const counted = db
		.select()
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
		.all();
	const key = roundKey(db, roundId, false);
	const web = rows.filter((r) => r.channel === 'web');
	for (const r of web) {
		const tag = ballotTag(key!, r.dniHmac);
		expect(counted.filter((b) => b.tag === tag)).toHaveLength(1);
	}
	expect(counted.filter((b) => b.channel === 'web')).toHaveLength(web.length);
	expect(counted.filter((b) => b.channel === 'assisted')).toHaveLength(
		rows.filter((r) => r.channel === 'assisted').length
	);
	const paperClaims = new Map<number, number>();
	for (const r of rows)
		if (r.channel === 'paper') paperClaims.set(r.stationId!, (paperClaims.get(r.stationId!) ?? 0) + 1);
	for (const b of counted.filter((x) => x.channel === 'paper'))
		expect(paperClaims.get(b.stationId!) ?? 0).toBeGreaterThan(0);
	return counted.length;
}

async function signUp(dni: string, birthDate = '1975-03-04', name = 'Rosa Mamani') {
	return signUpResident(db, town.municipalityId, {
		fullName: name,
		dni: `${dni}-${dniCheckCharacters(dni)[0]}`,
		birthDate,
		password: 'clave-segura-1',
		passwordConfirm: 'clave-segura-1',
		consent: 'on',
		locale: 'es'
	});
}

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-one-')), 't.db'));
	town = seedTown(db, '080102');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	official2 = seedPerson(db, town.municipalityId, { roles: ['official', 'admin'], zoneId: town.zones[0] });
});

describe('every path to a second counted ballot yields exactly one', () => {
	it('re-sign-up after account deletion: the second web ballot replaces the first', async () => {
		const { roundId } = newRound();
		const dni = newDni();
		census(dni);
		const first = await signUp(dni);
		expect(first.verified).toBe(true);
		castWebBallot(db, actorOf(first.userId), town.municipalityId, roundId, blank);
		await deleteMyAccount(db, actorOf(first.userId), 'clave-segura-1');
		const again = await signUp(dni);
		expect(again.verified).toBe(true);
		const r = castWebBallot(db, actorOf(again.userId), town.municipalityId, roundId, blank);
		expect(r.replaced).toBe(true);
		expect(checkInvariant(roundId)).toBe(1);
	});

	it('duplicate accounts and a verification move, before and after a vote', async () => {
		const { roundId } = newRound();
		const dni = newDni();
		const holder = seedPersonWithDni(dni);
		castWebBallot(db, holder.actor, town.municipalityId, roundId, blank);
		// A second account for the same DNI waits for an official; it cannot vote meanwhile.
		const claimant = await signUp(dni, '1980-01-01', 'Otra Persona');
		expect(claimant.dniClaimPending).toBe(true);
		expect(userErrorCode(() => castWebBallot(db, actorOf(claimant.userId), town.municipalityId, roundId, blank))).toBe(
			'notVerified'
		);
		// The official moves the DNI to the claimant (after the holder voted): her vote replaces the holder's.
		const claimantPerson = db.select().from(users).where(eq(users.id, claimant.userId)).get()!.personId;
		moveVerification(db, official2.actor, town.municipalityId, withCheck(dni), claimantPerson, town.zones[0]);
		expect(userErrorCode(() => castWebBallot(db, actorOf(holder.userId), town.municipalityId, roundId, blank))).toBe(
			'notVerified'
		);
		expect(castWebBallot(db, actorOf(claimant.userId), town.municipalityId, roundId, blank).replaced).toBe(true);
		expect(checkInvariant(roundId)).toBe(1);
		// Move before a vote: the new holder votes once.
		const dni2 = newDni();
		const h2 = seedPersonWithDni(dni2);
		const c2 = await signUp(dni2, '1980-01-01', 'Tercera');
		moveVerification(
			db,
			official2.actor,
			town.municipalityId,
			withCheck(dni2),
			db.select().from(users).where(eq(users.id, c2.userId)).get()!.personId,
			town.zones[0]
		);
		expect(userErrorCode(() => castWebBallot(db, actorOf(h2.userId), town.municipalityId, roundId, blank))).toBe(
			'notVerified'
		);
		expect(castWebBallot(db, actorOf(c2.userId), town.municipalityId, roundId, blank).replaced).toBe(false);
		expect(checkInvariant(roundId)).toBe(2);
	});

	it('station after web, web after station, paper mark after web, assisted after paper', () => {
		const { roundId } = newRound();
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa 1');
		const a = seedPersonWithDni(newDni());
		castWebBallot(db, a.actor, town.municipalityId, roundId, blank);
		expect(
			userErrorCode(() =>
				markForPaper(db, official.actor, town.municipalityId, roundId, station.id, a.dni, '1975-03-04')
			)
		).toBe('ballot.votedOnline');
		expect(
			userErrorCode(() =>
				castAssisted(
					db,
					official.actor,
					town.municipalityId,
					roundId,
					station.id,
					a.dni,
					() => blank,
					'es',
					'1975-03-04'
				)
			)
		).toBe('ballot.votedOnline');
		const b = seedPersonWithDni(newDni());
		markForPaper(db, official.actor, town.municipalityId, roundId, station.id, b.dni, '1975-03-04');
		expect(userErrorCode(() => castWebBallot(db, b.actor, town.municipalityId, roundId, blank))).toBe(
			'ballot.markedAtStation'
		);
		expect(
			userErrorCode(() =>
				castAssisted(
					db,
					official.actor,
					town.municipalityId,
					roundId,
					station.id,
					b.dni,
					() => blank,
					'es',
					'1975-03-04'
				)
			)
		).toBe('ballot.alreadyMarked');
		const c = seedPersonWithDni(newDni());
		castAssisted(db, official.actor, town.municipalityId, roundId, station.id, c.dni, () => blank, 'es', '1975-03-04');
		expect(userErrorCode(() => castWebBallot(db, c.actor, town.municipalityId, roundId, blank))).toBe(
			'ballot.markedAtStation'
		);
		expect(
			userErrorCode(() =>
				markForPaper(db, official.actor, town.municipalityId, roundId, station.id, c.dni, '1975-03-04')
			)
		).toBe('ballot.alreadyMarked');
		expect(checkInvariant(roundId)).toBe(2);
	});

	it('a census resident whose DNI an unverified account squats is served at a station', async () => {
		const { roundId } = newRound();
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa censo');
		const dni = newDni();
		// Someone signs up with her DNI before the census lists it (a wrong birth date on a listed DNI is refused
		// since issue 11 point 6): unverified, holds the DNI.
		const squat = await signUp(dni, '1999-09-09', 'Impostor');
		census(dni, '1960-06-06');
		expect(squat.verified).toBe(false);
		expect(userErrorCode(() => castWebBallot(db, actorOf(squat.userId), town.municipalityId, roundId, blank))).toBe(
			'notVerified'
		);
		castAssisted(db, official.actor, town.municipalityId, roundId, station.id, dni, () => blank, 'es', '1960-06-06');
		expect(checkInvariant(roundId)).toBe(1);
	});

	it('paper: a batch is refused beyond the station’s paper claims', () => {
		const { roundId, proposalIds } = newRound();
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa papel');
		const voters = [0, 1].map(() => seedPersonWithDni(newDni()));
		for (const v of voters)
			markForPaper(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1975-03-04');
		const batch = createBatch(db, official.actor, town.municipalityId, roundId, {
			stationId: String(station.id),
			zoneId: String(town.zones[0]),
			label: 'Sobre 1',
			declaredCount: '3'
		});
		void proposalIds;
		const three = '1 | 2\n1 | -\n- | 2';
		enterBatch(db, official.actor, town.municipalityId, roundId, batch.id, three);
		expect(userErrorCode(() => enterBatch(db, official2.actor, town.municipalityId, roundId, batch.id, three))).toBe(
			'ballot.batchOverRoll'
		);
		// At exactly the claims it is accepted.
		const batch2 = createBatch(db, official.actor, town.municipalityId, roundId, {
			stationId: String(station.id),
			zoneId: String(town.zones[0]),
			label: 'Sobre 2',
			declaredCount: '2'
		});
		const two = '1 | 2\n- | -';
		enterBatch(db, official.actor, town.municipalityId, roundId, batch2.id, two);
		expect(enterBatch(db, official2.actor, town.municipalityId, roundId, batch2.id, two)).toMatchObject({
			state: 'accepted'
		});
		expect(checkInvariant(roundId)).toBe(2);
	});

	it('in-person void: impostor votes, the owner is checked in person, only her ballot counts', () => {
		const { roundId } = newRound();
		const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa anular');
		const dni = newDni();
		census(dni);
		const impostor = seedPersonWithDni(dni);
		castWebBallot(db, impostor.actor, town.municipalityId, roundId, blank);
		expect(checkInvariant(roundId)).toBe(1);
		expect(
			userErrorCode(() =>
				voidWebBallot(db, official.actor, town.municipalityId, roundId, station.id, dni, '   ', '1975-03-04')
			)
		).toBe('required');
		voidWebBallot(
			db,
			official.actor,
			town.municipalityId,
			roundId,
			station.id,
			dni,
			'DNI visto en persona',
			'1975-03-04'
		);
		expect(checkInvariant(roundId)).toBe(0);
		castAssisted(db, official.actor, town.municipalityId, roundId, station.id, dni, () => blank, 'es', '1975-03-04');
		expect(checkInvariant(roundId)).toBe(1);
		// The impostor's account cannot vote again, nor can the void be repeated on a station vote.
		expect(userErrorCode(() => castWebBallot(db, impostor.actor, town.municipalityId, roundId, blank))).toBe(
			'ballot.markedAtStation'
		);
		expect(
			userErrorCode(() =>
				voidWebBallot(db, official.actor, town.municipalityId, roundId, station.id, dni, 'x', '1975-03-04')
			)
		).toBe('ballot.noWebBallot');
		expect(reconciliation(db, official.actor, town.municipalityId, roundId)[0]).toMatchObject({ webVoided: 1 });
		expect(checkInvariant(roundId)).toBe(1);
	});

	it('without the round key a replacement is refused rather than adding a ballot', () => {
		const { roundId } = newRound();
		const v = seedPersonWithDni(newDni());
		castWebBallot(db, v.actor, town.municipalityId, roundId, blank);
		// The key file is lost: a new one is made for newcomers, but the old ballot cannot be found through it.
		const keyPath = join(db.$client.name, '..', 'round-keys', `round-${roundId}.key`);
		rmSync(keyPath);
		expect(userErrorCode(() => castWebBallot(db, v.actor, town.municipalityId, roundId, blank))).toBe(
			'ballot.replaceUnavailable'
		);
		expect(
			db
				.select()
				.from(ballots)
				.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
				.all()
		).toHaveLength(1);
	});
});

/** An account holding this DNI, verified in person (as an official would), in zone 1. */
function seedPersonWithDni(dni: string) {
	return writeTx(db, (tx) => {
		const existing = tx
			.select()
			.from(persons)
			.where(and(eq(persons.municipalityId, town.municipalityId), eq(persons.dniHmac, dniHmac(dni))))
			.get();
		if (existing) throw new Error('DNI already held');
		const { person, user } = createAccount(tx, town.municipalityId, {
			fullName: `Vecina ${dni}`,
			dni,
			birthDate: '1975-03-04',
			email: null,
			passwordHash: 'x',
			locale: 'es'
		});
		tx.update(persons)
			.set({ zoneId: town.zones[0], verifiedAt: Date.now(), verifiedMethod: 'in_person' })
			.where(eq(persons.id, person.id))
			.run();
		return {
			userId: user.id,
			dni: `${dni}-${dniCheckCharacters(dni)[0]}`,
			actor: {
				userId: user.id,
				personId: person.id,
				municipalityId: town.municipalityId,
				roles: new Set<never>(),
				verified: true
			}
		};
	});
}

describe('property: random interleavings of every act keep one counted ballot per DNI', () => {
	it('holds over random sequences', () => {
		const act = fc.oneof(
			fc.record({ kind: fc.constant('web' as const), who: fc.nat(3), acct: fc.nat(2) }),
			fc.record({ kind: fc.constant('paper' as const), who: fc.nat(3) }),
			fc.record({ kind: fc.constant('assisted' as const), who: fc.nat(3) }),
			fc.record({ kind: fc.constant('delete' as const), who: fc.nat(3), acct: fc.nat(2) }),
			fc.record({ kind: fc.constant('resignup' as const), who: fc.nat(3) }),
			fc.record({ kind: fc.constant('duplicate' as const), who: fc.nat(3) }),
			fc.record({ kind: fc.constant('move' as const), who: fc.nat(3), acct: fc.nat(2) }),
			fc.record({ kind: fc.constant('void' as const), who: fc.nat(3) })
		);
		fc.assert(
			fc.property(fc.array(act, { minLength: 1, maxLength: 14 }), (acts) => {
				const { roundId } = newRound();
				const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa');
				const dnis = [0, 1, 2, 3].map(() => newDni());
				for (const d of dnis.slice(0, 2)) census(d);
				// Accounts per DNI (index = who): each holds the DNI, a pending claim, or nothing (deleted/moved).
				const accounts: { userId: number; personId: number }[][] = dnis.map(() => []);
				const add = (who: number, verified: boolean) =>
					writeTx(db, (tx) => {
						const holder = tx
							.select()
							.from(persons)
							.where(and(eq(persons.municipalityId, town.municipalityId), eq(persons.dniHmac, dniHmac(dnis[who]))))
							.get();
						const { person, user } = createAccount(tx, town.municipalityId, {
							fullName: 'P',
							dni: holder ? newDni() : dnis[who],
							birthDate: '1975-03-04',
							email: null,
							passwordHash: 'x',
							locale: 'es'
						});
						tx.update(persons)
							.set({
								zoneId: town.zones[0],
								verifiedAt: verified && !holder ? Date.now() : null,
								...(holder ? { dniHmac: null } : {}),
								pendingDniHmac: holder ? dniHmac(dnis[who]) : null
							})
							.where(eq(persons.id, person.id))
							.run();
						accounts[who].push({ userId: user.id, personId: person.id });
					});
				for (let w = 0; w < 4; w++) add(w, true);
				const full = (who: number) => `${dnis[who]}-${dniCheckCharacters(dnis[who])[0]}`;
				for (const a of acts) {
					const who = a.who;
					const acct = accounts[who][('acct' in a ? a.acct : 0) % Math.max(1, accounts[who].length)];
					const attempt = (fn: () => unknown) => {
						try {
							fn();
						} catch (e) {
							if (!(e instanceof UserError)) throw e;
						}
					};
					if (a.kind === 'web' && acct)
						attempt(() => castWebBallot(db, actorOf(acct.userId), town.municipalityId, roundId, blank));
					else if (a.kind === 'paper')
						attempt(() =>
							markForPaper(db, official.actor, town.municipalityId, roundId, station.id, full(who), '1975-03-04')
						);
					else if (a.kind === 'assisted')
						attempt(() =>
							castAssisted(
								db,
								official.actor,
								town.municipalityId,
								roundId,
								station.id,
								full(who),
								() => blank,
								'es',
								'1975-03-04'
							)
						);
					else if (a.kind === 'delete' && acct)
						// What deleteMyAccount does to the person row (synchronously: no password hashing here).
						db.update(persons)
							.set({ dniHmac: null, pendingDniHmac: null, verifiedAt: null })
							.where(eq(persons.id, acct.personId))
							.run();
					else if (a.kind === 'resignup' || a.kind === 'duplicate') add(who, true);
					else if (a.kind === 'move') {
						const pending = accounts[who].find(
							(x) => db.select().from(persons).where(eq(persons.id, x.personId)).get()!.pendingDniHmac
						);
						if (pending)
							attempt(() =>
								moveVerification(db, official2.actor, town.municipalityId, full(who), pending.personId, town.zones[0])
							);
					} else if (a.kind === 'void')
						attempt(() =>
							voidWebBallot(
								db,
								official.actor,
								town.municipalityId,
								roundId,
								station.id,
								full(who),
								'visto',
								'1975-03-04'
							)
						);
					checkInvariant(roundId);
				}
				// At most one roll row per DNI, and never more counted ballots than DNIs.
				const voted = db
					.select()
					.from(rollEntries)
					.where(and(eq(rollEntries.roundId, roundId), isNotNull(rollEntries.channel)))
					.all().length;
				expect(voted).toBeLessThanOrEqual(4);
			}),
			fcRuns(25)
		);
	}, 60_000);
});
