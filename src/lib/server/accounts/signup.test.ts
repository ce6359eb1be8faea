/**
 * Issue 11, point 6: sign-up and identity. Each rule has a test that fails when the rule is removed:
 * the census birth date guards every takeover, a census match takes the DNI from an unverified holder, the typo
 * gets a message and a retry (no second account), 3 misses per DNI across accounts and deletions then the office,
 * the per-address growing delay that never locks out, and the office merge of duplicate accounts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import {
	censusEntries,
	committeeMembers,
	observations,
	participantAgents,
	persons,
	proposals,
	roleGrants,
	sessions,
	users,
	workshopAttendance,
	workshops
} from '../db/schema/index';
import { actorFor, deleteMyAccount, logIn, signUpResident } from './index';
import { mergeAccounts } from '../residents';
import { grantRoleInTx } from '../roles';
import { dniHmac } from '../platform/secret';
import { auditEventsOfType } from '../platform/audit';
import { createSession, generateSessionToken } from '../auth/session';
import { reserveSignupTurn, SIGNUP_PER_ADDRESS, signupDelayMs } from '../auth/signup-limit';
import { dniCheckCharacters } from '../../domain/dni';
import { castWebBallot, createStation, registerFromCensus } from '../voting';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
const PW = 'clave-segura-1';
let next = 31_000_000;

const withCheck = (dni: string) => `${dni}-${dniCheckCharacters(dni)[0]}`;
function newDni() {
	return String(next++);
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
function signUp(dni: string, birthDate = '1975-03-04', name = 'Elena Pariona', address?: string) {
	return signUpResident(
		db,
		town.municipalityId,
		{
			fullName: name,
			dni: withCheck(dni),
			birthDate,
			password: PW,
			passwordConfirm: PW,
			consent: 'on',
			locale: 'es'
		},
		address
	);
}
const refusal = (p: Promise<unknown>) =>
	p.then(
		() => null,
		(e) => ({ code: e.code, params: e.params })
	);
const personOf = (userId: number) =>
	db
		.select()
		.from(persons)
		.where(eq(persons.id, db.select().from(users).where(eq(users.id, userId)).get()!.personId))
		.get()!;
const holderOf = (dni: string) =>
	db
		.select()
		.from(persons)
		.where(eq(persons.dniHmac, dniHmac(dni)))
		.get();
const userCount = () => db.select().from(users).all().length;

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-signup-')), 't.db'));
	town = seedTown(db, '080105');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
});

describe('sign-up against the census', () => {
	it('a birth-date typo is refused with the message and changes nothing; the corrected date verifies', async () => {
		const dni = newDni();
		census(dni, '1975-03-04');
		const before = userCount();
		expect(await refusal(signUp(dni, '1975-03-05'))).toEqual({ code: 'signup.notVerified', params: { left: 2 } });
		expect(userCount()).toBe(before);
		expect(holderOf(dni)).toBeUndefined();
		const ok = await signUp(dni, '1975-03-04');
		expect(ok).toMatchObject({ verified: true, dniClaimPending: false });
		expect(userCount()).toBe(before + 1);
	});

	it('3 birth-date misses per DNI in total, across accounts and deletions; then the office', async () => {
		const dni = newDni();
		census(dni, '1960-01-01');
		expect((await refusal(signUp(dni, '1960-01-02')))?.params).toEqual({ left: 2 });
		expect((await refusal(signUp(dni, '1961-01-01')))?.params).toEqual({ left: 1 });
		const ok = await signUp(dni, '1960-01-01');
		expect(ok.verified).toBe(true);
		await deleteMyAccount(db, actorFor(db, db.select().from(users).where(eq(users.id, ok.userId)).get()!), PW);
		expect((await refusal(signUp(dni, '1962-01-01')))?.params).toEqual({ left: 0 });
		// The fourth attempt, even with the right date, is not checked online: an unverified account for the office.
		const office = await signUp(dni, '1960-01-01');
		expect(office).toMatchObject({ verified: false, office: true });
		expect(personOf(office.userId).verifiedAt).toBeNull();
	});

	it('joining a person record without an account needs the census birth date (station voter)', async () => {
		const dni = newDni();
		census(dni, '1995-06-21');
		const r = seedVotingRound(db, {
			municipalityId: town.municipalityId,
			authorPersonId: official.personId,
			ballot: { type: 'approval', maxChoices: 1 },
			budgets: [[null, 1_000_00]],
			proposals: [[null, 'Mesa', null, 10_00]]
		});
		const desk = createStation(db, official.actor, town.municipalityId, r.roundId, 'Mesa 1');
		const station = registerFromCensus(
			db,
			official.actor,
			town.municipalityId,
			r.roundId,
			desk.id,
			withCheck(dni),
			'Victoria Quispe',
			'1995-06-21'
		);
		expect(station.verifiedAt).not.toBeNull();
		expect((await refusal(signUp(dni, '1970-01-01', 'Atacante')))?.code).toBe('signup.notVerified');
		expect(holderOf(dni)!.fullName).toBe('Victoria Quispe');
		// Her own sign-up joins her record, and says so (L9: the reported state is the real one).
		const own = await signUp(dni, '1995-06-21', 'Victoria Quispe Huamán');
		expect(own).toMatchObject({ verified: true, dniClaimPending: false });
		expect(personOf(own.userId).id).toBe(station.id);
	});

	it('without a census entry, a recorded DNI (agent, proposal on behalf) is not taken over: a pending claim', async () => {
		const dni = newDni();
		const agent = db
			.insert(persons)
			.values({
				municipalityId: town.municipalityId,
				fullName: 'Julián Mamani Condori',
				dniHmac: dniHmac(dni),
				verifiedAt: Date.now(),
				verifiedMethod: 'in_person',
				createdAt: Date.now()
			})
			.returning()
			.get();
		const r = await signUp(dni, '1970-01-01', 'Renombrado');
		expect(r).toMatchObject({ verified: false, dniClaimPending: true });
		expect(personOf(r.userId).id).not.toBe(agent.id);
		expect(holderOf(dni)).toMatchObject({ id: agent.id, fullName: 'Julián Mamani Condori' });
	});

	it('a census match takes the DNI from an unverified account; a verified one keeps it', async () => {
		const dni = newDni();
		const squat = await signUp(dni, '1999-09-09', 'Impostor'); // before the census lists the DNI
		expect(squat.verified).toBe(false);
		census(dni, '1951-02-11');
		const owner = await signUp(dni, '1951-02-11', 'Dueña');
		expect(owner).toMatchObject({ verified: true, dniClaimPending: false });
		expect(holderOf(dni)!.id).toBe(personOf(owner.userId).id);
		expect(personOf(squat.userId)).toMatchObject({ dniHmac: null, pendingDniHmac: dniHmac(dni) });
		expect(auditEventsOfType(db, town.municipalityId, 'resident.dniTakenByCensusMatch')).toHaveLength(1);
		const late = await signUp(dni, '1951-02-11', 'Dueña otra vez');
		expect(late).toMatchObject({ verified: false, dniClaimPending: true });
		expect(holderOf(dni)!.id).toBe(personOf(owner.userId).id);
	});
});

describe('sign-up throttle per address', () => {
	it('20 an hour at once, then a growing delay that queues parallel requests; never a lock-out', () => {
		const t0 = 1_000_000_000;
		const waits = Array.from({ length: 27 }, () => reserveSignupTurn(db, '203.0.113.7', t0));
		expect(waits.slice(0, SIGNUP_PER_ADDRESS.free)).toEqual(Array(SIGNUP_PER_ADDRESS.free).fill(0));
		expect(waits.slice(20)).toEqual([2_000, 6_000, 14_000, 30_000, 60_000, 90_000, 120_000]);
		// A turn further than two minutes is not reserved: come back later (the flood cannot push it further)…
		expect(() => reserveSignupTurn(db, '203.0.113.7', t0)).toThrowError('signup.slowDown');
		// …and one sign-up every 30 s is always served, however long it goes on.
		let t = t0 + 200_000;
		for (let i = 0; i < 40; i++, t += 30_000)
			expect(reserveSignupTurn(db, '203.0.113.7', t)).toBeLessThanOrEqual(30_000);
		// Another address is unaffected; a new hour starts free again.
		expect(reserveSignupTurn(db, '198.51.100.1', t0)).toBe(0);
		expect(signupDelayMs(SIGNUP_PER_ADDRESS.free)).toBe(0);
	});

	it('the sign-up waits its turn', async () => {
		const saved = { ...SIGNUP_PER_ADDRESS };
		Object.assign(SIGNUP_PER_ADDRESS, { free: 1, firstDelayMs: 300 });
		try {
			await signUp(newDni(), '1975-03-04', 'Uno', '192.0.2.9');
			const start = Date.now();
			await signUp(newDni(), '1975-03-04', 'Dos', '192.0.2.9');
			expect(Date.now() - start).toBeGreaterThanOrEqual(280);
		} finally {
			Object.assign(SIGNUP_PER_ADDRESS, saved);
		}
	});
});

describe('the office merges duplicate accounts of one DNI', () => {
	it('proposals, observations, roles and consent move to the kept account; the other is disabled', async () => {
		const dni = newDni();
		census(dni, '1980-05-05');
		const a = await signUp(dni, '1980-05-05', 'Elena Pariona Ccente');
		const b = await signUp(dni, '1980-05-05', 'Elena Pariona Ccente');
		expect(b.dniClaimPending).toBe(true);
		const userA = db.select().from(users).where(eq(users.id, a.userId)).get()!;
		const personA = userA.personId;
		const r = seedVotingRound(db, {
			municipalityId: town.municipalityId,
			authorPersonId: personA,
			ballot: { type: 'approval', maxChoices: 2 },
			budgets: [[null, 1_000_000_00]],
			proposals: [
				[null, 'Losa', null, 10_00],
				[null, 'Riego', null, 10_00]
			]
		});
		db.transaction((tx) => grantRoleInTx(tx as unknown as Db, null, town.municipalityId, a.userId, 'auditor'));
		db.insert(observations)
			.values({
				municipalityId: town.municipalityId,
				roundId: r.roundId,
				seq: 1,
				text: 'Obra parada',
				filedByUserId: a.userId,
				filedAs: 'auditor',
				filerName: 'Elena',
				dueOn: '2030-01-01',
				filedAt: Date.now()
			})
			.run();
		db.update(users).set({ privacyConsentAt: 1, privacyNoticeVersion: 'old' }).where(eq(users.id, b.userId)).run();
		createSession(db, generateSessionToken(), a.userId);
		// A voted online with account A.
		castWebBallot(db, actorFor(db, userA), town.municipalityId, r.roundId, [{ approve: [r.proposalIds[0]] }]);

		const res = mergeAccounts(
			db,
			official.actor,
			town.municipalityId,
			withCheck(dni),
			personOf(b.userId).id,
			town.zones[0]
		);
		expect(res).toEqual({ kept: personOf(b.userId).id, merged: 1 });
		const kept = personOf(b.userId);
		expect(kept).toMatchObject({ dniHmac: dniHmac(dni), pendingDniHmac: null, verifiedMethod: 'in_person' });
		const authors = db.select().from(proposals).where(eq(proposals.roundId, r.roundId)).all();
		expect(authors.map((p) => p.authorPersonId)).toEqual(authors.map(() => kept.id));
		expect(db.select().from(observations).where(eq(observations.roundId, r.roundId)).get()!.filedByUserId).toBe(
			b.userId
		);
		expect(db.select().from(roleGrants).where(eq(roleGrants.userId, b.userId)).all()).toHaveLength(1);
		expect(db.select().from(users).where(eq(users.id, b.userId)).get()!.privacyNoticeVersion).toBe(
			userA.privacyNoticeVersion
		);
		expect(db.select().from(users).where(eq(users.id, a.userId)).get()!.disabledAt).not.toBeNull();
		expect(db.select().from(sessions).where(eq(sessions.userId, a.userId)).all()).toHaveLength(0);
		expect(personOf(a.userId)).toMatchObject({ dniHmac: null, pendingDniHmac: null, verifiedAt: null });
		await expect(logIn(db, town.municipalityId, dni, PW, '10.9.9.9')).resolves.toMatchObject({
			user: { id: b.userId }
		});
		// The kept account's vote replaces A's: still one counted ballot for the DNI.
		const userB = db.select().from(users).where(eq(users.id, b.userId)).get()!;
		const again = castWebBallot(db, actorFor(db, userB), town.municipalityId, r.roundId, [{ approve: [] }]);
		expect(again.replaced).toBe(true);
		expect(auditEventsOfType(db, town.municipalityId, 'resident.accountsMerged')).toHaveLength(1);
		// Nothing left to merge: a translated refusal.
		expect(() => mergeAccounts(db, official.actor, town.municipalityId, withCheck(dni), kept.id, null)).toThrowError(
			'resident.nothingToMerge'
		);
	});

	it('agents register entries, committee seats and workshop check-ins move too; one presence per workshop', async () => {
		const dni = newDni();
		census(dni, '1981-06-06');
		const a = await signUp(dni, '1981-06-06', 'Teodora Huillca');
		const b = await signUp(dni, '1981-06-06', 'Teodora Huillca');
		const pa = personOf(a.userId).id;
		const pb = personOf(b.userId).id;
		const m = town.municipalityId;
		const round = (title: string) =>
			seedVotingRound(db, {
				municipalityId: m,
				authorPersonId: pa,
				ballot: { type: 'approval', maxChoices: 1 },
				budgets: [[null, 1_000_00]],
				proposals: [[null, title, null, 10_00]]
			}).roundId;
		const r1 = round('Canal');
		const r2 = round('Puente');
		const agent = (roundId: number, personId: number) =>
			db
				.insert(participantAgents)
				.values({ municipalityId: m, roundId, personId, organisation: 'Comunidad', hasVote: true, registeredAt: 1 })
				.returning()
				.get().id;
		const workshop = (roundId: number) =>
			db
				.insert(workshops)
				.values({
					municipalityId: m,
					roundId,
					kind: 'training',
					title: 'Taller',
					date: '2030-01-01',
					startsAt: '10:00',
					place: 'Local',
					createdAt: 1
				})
				.returning()
				.get().id;
		const checkIn = (workshopId: number, personId: number, agentId: number | null) =>
			db.insert(workshopAttendance).values({ workshopId, personId, agentId, method: 'list', checkedInAt: 1 }).run();
		// A is the agent of round 1 and sits on its committee; both accounts checked in at one workshop, A at another.
		const agentA = agent(r1, pa);
		db.insert(committeeMembers)
			.values({ municipalityId: m, roundId: r1, agentId: agentA, personId: pa, addedAt: 1 })
			.run();
		const w1 = workshop(r1);
		const w2 = workshop(r1);
		checkIn(w1, pa, agentA);
		checkIn(w1, pb, null);
		checkIn(w2, pa, agentA);

		mergeAccounts(db, official.actor, m, withCheck(dni), pb, null);
		const of = <T extends { personId: number }>(rows: T[]) => rows.map((r) => r.personId);
		expect(of(db.select().from(participantAgents).where(eq(participantAgents.id, agentA)).all())).toEqual([pb]);
		expect(of(db.select().from(committeeMembers).where(eq(committeeMembers.agentId, agentA)).all())).toEqual([pb]);
		const w1Rows = db.select().from(workshopAttendance).where(eq(workshopAttendance.workshopId, w1)).all();
		// one person, one presence: the kept check-in stays and carries the agent entry the other one had
		expect(w1Rows).toHaveLength(1);
		expect(w1Rows[0]).toMatchObject({ personId: pb, agentId: agentA });
		expect(of(db.select().from(workshopAttendance).where(eq(workshopAttendance.workshopId, w2)).all())).toEqual([pb]);
		expect(db.select().from(workshopAttendance).where(eq(workshopAttendance.personId, pa)).all()).toHaveLength(0);
		const ev = auditEventsOfType(db, m, 'resident.accountsMerged').at(-1)!;
		expect(JSON.parse(ev.payload)).toMatchObject({ agents: 1, committee: 1, checkIns: 1, duplicateCheckIns: 1 });

		// Two active register entries of one person in the same round: refused, nothing changes; once the other
		// account's entry is withdrawn, the merge goes through and that withdrawn entry stays with it as history.
		const dni2 = newDni();
		census(dni2, '1982-07-07');
		const c = await signUp(dni2, '1982-07-07', 'Julián Condori');
		const d = await signUp(dni2, '1982-07-07', 'Julián Condori');
		const pc = personOf(c.userId).id;
		const pd = personOf(d.userId).id;
		agent(r2, pc);
		const agentD = agent(r2, pd);
		const before = db.select().from(participantAgents).where(eq(participantAgents.roundId, r2)).all();
		expect(() => mergeAccounts(db, official.actor, m, withCheck(dni2), pd, null)).toThrowError(
			'resident.mergeAgentTwice'
		);
		expect(db.select().from(participantAgents).where(eq(participantAgents.roundId, r2)).all()).toEqual(before);
		expect(db.select().from(users).where(eq(users.id, c.userId)).get()!.disabledAt).toBeNull();
		db.update(participantAgents).set({ withdrawnAt: 2 }).where(eq(participantAgents.personId, pc)).run();
		expect(mergeAccounts(db, official.actor, m, withCheck(dni2), pd, null)).toEqual({ kept: pd, merged: 1 });
		expect(db.select().from(participantAgents).where(eq(participantAgents.id, agentD)).get()!.personId).toBe(pd);
		expect(
			db.select().from(participantAgents).where(eq(participantAgents.personId, pc)).get()!.withdrawnAt
		).not.toBeNull();
	});
});
