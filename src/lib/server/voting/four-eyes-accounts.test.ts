/**
 * Issue 13 point 2 across account changes: four eyes count persons by DNI, whatever happens to their accounts. Each
 * path that gives a DNI to another person record is tried: an account deleted and signed up again, a DNI taken from
 * an unverified holder by a census match, a DNI moved by the office to its rightful claimant, duplicate accounts
 * merged, and a DNI recorded on a person without an account (at a station) that the human then joins by signing up.
 * In each, the human who keyed version 1 (and proposed a resolution) under the old account gets a staff role on the
 * new one and is refused keying version 2, confirming their own proposal as "the other keyer", resolving on the
 * committee path and resolving alone; only the DNI HMAC recorded with the keying tells them apart (the user and person
 * ids all differ), so each test fails without that comparison. The census path also shows that an account left
 * without a DNI keys nothing and is no pair of eyes; the last tests, that the HMACs go when no longer needed and what
 * migration 0028 gives back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import {
	ballots,
	batchEntries,
	censusEntries,
	paperBatches,
	participantAgents,
	persons,
	rounds,
	users
} from '../db/schema/index';
import { limaToday } from '../../domain/clock';
import { addDays } from '../../domain/council';
import type { Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import { hashPassword } from '../auth/password';
import { grantRole, grantRoleInTx } from '../roles';
import { actorFor, deleteMyAccount, signUpResident } from '../accounts';
import { mergeAccounts, moveVerification } from '../residents';
import { addCommitteeMember } from '../committee';
import { computeResults, publishResults, unblockStation } from '../results';
import {
	batchDetail,
	committeeBatchDetail,
	createBatch,
	createStation,
	enterBatch,
	markForPaper,
	registerFromCensus,
	resolveBatch,
	resolveBatchAsCommittee,
	stationStaffPersons
} from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

const PW = 'clave-segura-1';
const BIRTH = '1980-01-01';
let db: Db;
let pwHash: string;
const today = limaToday();

const actorOf = (userId: number): Actor => actorFor(db, db.select().from(users).where(eq(users.id, userId)).get()!);
const pickFirst = (n: string) => (n === 'line1' ? 'first' : null);
const signUpAgain = (dni: string) =>
	signUpResident(db, town().municipalityId, {
		fullName: 'Marcelino Huamán',
		dni,
		birthDate: BIRTH,
		password: PW,
		passwordConfirm: PW,
		consent: 'on',
		locale: 'es'
	});

/** One municipality per path: staff y (admin, official) and x (official), a round with a station and two batches. */
interface Scene {
	town: ReturnType<typeof seedTown>;
	roundId: number;
	stationId: number;
	x: Person;
	y: Person;
	/** keyed by x only */
	batch1: number;
	/** keyed by x and y, differing; x proposed a resolution that waits for the other keyer */
	batch2: number;
}
let scene: Scene;
const town = () => scene.town;

function setUp(ubigeo: string, opts: { xVerified?: boolean } = {}): Scene {
	const t = seedTown(db, ubigeo);
	const m = t.municipalityId;
	const y = seedPerson(db, m, { roles: ['admin', 'official'], zoneId: t.zones[0], passwordHash: pwHash });
	const x = seedPerson(db, m, {
		roles: ['official'],
		zoneId: t.zones[0],
		passwordHash: pwHash,
		verified: opts.xVerified ?? true
	});
	writeTx(db, (tx) => {
		grantRoleInTx(tx, null, m, y.userId, 'admin');
		grantRoleInTx(tx, null, m, y.userId, 'official');
		grantRoleInTx(tx, null, m, x.userId, 'official');
	});
	const roundId = seedVotingRound(db, {
		municipalityId: m,
		authorPersonId: y.personId,
		ballot: { type: 'approval', maxChoices: 3 },
		budgets: [[null, 100_000_00]],
		proposals: [
			[null, 'Agua potable', null, 10_000_00],
			[null, 'Veredas', null, 10_000_00],
			[null, 'Puente', null, 10_000_00]
		]
	}).roundId;
	const stationId = createStation(db, y.actor, m, roundId, 'Mesa 1').id;
	for (let i = 0; i < 3; i++)
		markForPaper(db, y.actor, m, roundId, stationId, seedPerson(db, m, { zoneId: t.zones[0] }).dni, BIRTH);
	const batch = (label: string) =>
		createBatch(db, y.actor, m, roundId, { stationId: String(stationId), zoneId: '', label, declaredCount: '1' }).id;
	const batch1 = batch('Sobre 1');
	expect(enterBatch(db, x.actor, m, roundId, batch1, '1')).toEqual({ state: 'waiting' });
	const batch2 = batch('Sobre 2');
	enterBatch(db, x.actor, m, roundId, batch2, '1');
	expect(enterBatch(db, y.actor, m, roundId, batch2, '2')).toEqual({ state: 'discrepancy', count: 1 });
	// two staff persons: a keyer proposes, the other keyer must confirm
	expect(stationStaffPersons(db, m)).toBe(2);
	expect(resolveBatch(db, x.actor, m, roundId, batch2, pickFirst)).toEqual({ state: 'proposed' });
	return { town: t, roundId, stationId, x, y, batch1, batch2 };
}

/** Registers the person as an agent of the scene's round and seats them on its Comité de Vigilancia, in term. */
function seat(personId: number) {
	const { town: t, roundId, y } = scene;
	const agent = db
		.insert(participantAgents)
		.values({
			municipalityId: t.municipalityId,
			roundId,
			personId,
			organisation: 'Junta vecinal',
			hasVote: true,
			registeredAt: Date.now()
		})
		.returning()
		.get();
	addCommitteeMember(db, y.actor, t.municipalityId, roundId, {
		agentId: agent.id,
		termStart: addDays(today, -1),
		termEnd: addDays(today, 30)
	});
}

/** Census row for a DNI (as the office's import leaves it), with the birth date everyone here was seeded with. */
function inCensus(dni: string) {
	db.insert(censusEntries)
		.values({
			municipalityId: town().municipalityId,
			dniHmac: dniHmac(dni.slice(0, 8)),
			birthDate: BIRTH,
			zoneId: town().zones[0],
			importedAt: Date.now()
		})
		.run();
}

/** The keyer's new account: a person and a user other than the ones that keyed. */
function expectOtherAccount(again: Actor) {
	expect(again.userId).not.toBe(scene.x.userId);
	expect(again.personId).not.toBe(scene.x.personId);
	expect(again.roles.has('official')).toBe(true);
}

/**
 * The human who keyed version 1 of both batches (and proposed batch 2's resolution), now acting as `again`: refused
 * on every four-eyes act, and nothing counts; a third staff person then resolves.
 */
function expectRefusedEverywhere(again: Actor) {
	const { town: t, roundId, batch1, batch2, y } = scene;
	const m = t.municipalityId;
	// x's old account is gone, disabled, or without a DNI: still two staff persons
	expect(stationStaffPersons(db, m)).toBe(2);

	// keying version 2
	expect(batchDetail(db, again, m, roundId, batch1, 'es')).toMatchObject({ keyedByMe: true, noDni: false });
	expect(userErrorCode(() => enterBatch(db, again, m, roundId, batch1, '1'))).toBe('ballot.batchSameOfficial');

	// confirming their own proposal as the other keyer
	expect(batchDetail(db, again, m, roundId, batch2, 'es')).toMatchObject({
		keyedByMe: true,
		canResolve: false,
		pending: { mine: true }
	});
	expect(userErrorCode(() => resolveBatch(db, again, m, roundId, batch2, pickFirst))).toBe(
		'ballot.resolveAwaitingOther'
	);

	// the committee path: seated on the round's Comité de Vigilancia, with few staff
	seat(again.personId);
	expect(committeeBatchDetail(db, again, m, roundId, batch2)).toMatchObject({
		keyedByMe: true,
		canResolve: false,
		fewStaff: true
	});
	expect(userErrorCode(() => resolveBatchAsCommittee(db, again, m, roundId, batch2, pickFirst))).toBe(
		'ballot.resolverKeyed'
	);

	// resolving alone: a third staff person makes four eyes the rule; y keys batch 1's version 2
	const z = seedPerson(db, m, { roles: ['official'], zoneId: t.zones[0] });
	writeTx(db, (tx) => grantRoleInTx(tx, null, m, z.userId, 'official'));
	expect(stationStaffPersons(db, m)).toBe(3);
	expect(enterBatch(db, y.actor, m, roundId, batch1, '2')).toEqual({ state: 'discrepancy', count: 1 });
	expect(batchDetail(db, again, m, roundId, batch1, 'es')).toMatchObject({ canResolve: false });
	expect(userErrorCode(() => resolveBatch(db, again, m, roundId, batch1, pickFirst))).toBe('ballot.resolverKeyed');

	// nothing counted, both batches still open
	const rows = db
		.select()
		.from(paperBatches)
		.where(inArray(paperBatches.id, [batch1, batch2]))
		.all();
	expect(rows.map((b) => b.status)).toEqual(['discrepancy', 'discrepancy']);
	expect(
		db
			.select()
			.from(ballots)
			.where(inArray(ballots.batchId, [batch1, batch2]))
			.all()
	).toHaveLength(0);

	// a person who keyed neither version does resolve
	expect(resolveBatch(db, z.actor, m, roundId, batch1, pickFirst)).toMatchObject({ state: 'accepted', accepted: 1 });
}

beforeAll(async () => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	pwHash = await hashPassword(PW);
});

describe('four eyes count DNIs across account changes', () => {
	it('an account deleted and signed up again with the same DNI is the same pair of eyes', async () => {
		scene = setUp('080111');
		const { x, y } = scene;
		const m = town().municipalityId;
		await deleteMyAccount(db, actorOf(x.userId), PW);
		const again = await signUpAgain(x.dni);
		grantRole(db, actorOf(y.userId), m, x.dni, 'official');
		const actor = actorOf(again.userId);
		expectOtherAccount(actor);
		expectRefusedEverywhere(actor);
	});

	it('a DNI a census match takes from an unverified holder stays its keyer; the holder left without it keys nothing', async () => {
		scene = setUp('080112', { xVerified: false });
		const { x, y, roundId } = scene;
		const m = town().municipalityId;
		inCensus(x.dni);
		const again = await signUpAgain(x.dni);
		expect(again).toMatchObject({ verified: true, dniClaimPending: false });
		const old = db.select().from(persons).where(eq(persons.id, x.personId)).get()!;
		expect(old.dniHmac).toBeNull();
		grantRole(db, actorOf(y.userId), m, x.dni, 'official');
		const actor = actorOf(again.userId);
		expectOtherAccount(actor);

		// the old account still holds its staff role but no DNI: it keys and resolves nothing, and is no pair of eyes
		const oldActor = actorOf(x.userId);
		expect(oldActor.roles.has('official')).toBe(true);
		const fresh = createBatch(db, oldActor, m, roundId, {
			stationId: String(scene.stationId),
			zoneId: '',
			label: 'Sobre 3',
			declaredCount: '1'
		}).id;
		expect(batchDetail(db, oldActor, m, roundId, fresh, 'es')).toMatchObject({ noDni: true, canResolve: false });
		expect(userErrorCode(() => enterBatch(db, oldActor, m, roundId, fresh, '1'))).toBe('ballot.keyerNoDni');
		expect(userErrorCode(() => resolveBatch(db, oldActor, m, roundId, scene.batch2, pickFirst))).toBe(
			'ballot.keyerNoDni'
		);
		// nor does a Comité de Vigilancia member whose DNI a census match took (who keyed nothing here)
		const member = seedPerson(db, m, { zoneId: town().zones[0], verified: false });
		seat(member.personId);
		inCensus(member.dni);
		await signUpAgain(member.dni);
		expect(committeeBatchDetail(db, member.actor, m, roundId, scene.batch2)).toMatchObject({
			keyedByMe: false,
			fewStaff: true,
			noDni: true,
			canResolve: false
		});
		expect(userErrorCode(() => resolveBatchAsCommittee(db, member.actor, m, roundId, scene.batch2, pickFirst))).toBe(
			'ballot.keyerNoDni'
		);

		expectRefusedEverywhere(actor);
	});

	it('a DNI the office moves to its rightful claimant stays its keyer', async () => {
		scene = setUp('080113');
		const { x, y } = scene;
		const m = town().municipalityId;
		// the claimant signs up with the DNI x's account holds: a pending claim, settled in person
		const again = await signUpAgain(x.dni);
		expect(again.dniClaimPending).toBe(true);
		const claimant = db.select().from(users).where(eq(users.id, again.userId)).get()!;
		moveVerification(db, actorOf(y.userId), m, x.dni, claimant.personId, null);
		grantRole(db, actorOf(y.userId), m, x.dni, 'official');
		const actor = actorOf(again.userId);
		expectOtherAccount(actor);
		expectRefusedEverywhere(actor);
	});

	it('merged accounts: the kept account is the keyer of what the merged-away one keyed', async () => {
		scene = setUp('080114');
		const { x, y } = scene;
		const m = town().municipalityId;
		const again = await signUpAgain(x.dni);
		expect(again.dniClaimPending).toBe(true);
		const kept = db.select().from(users).where(eq(users.id, again.userId)).get()!;
		// the office keeps the newer account: x's is disabled and its staff role moves to the kept one
		expect(mergeAccounts(db, actorOf(y.userId), m, x.dni, kept.personId, null)).toMatchObject({ merged: 1 });
		expect(db.select().from(users).where(eq(users.id, x.userId)).get()!.disabledAt).not.toBeNull();
		const actor = actorOf(again.userId);
		expectOtherAccount(actor);
		expectRefusedEverywhere(actor);
	});
});

describe('four eyes count DNIs across account changes: a record without an account in between', () => {
	it('a DNI the station records on a new person, joined by signing up again, stays its keyer; so for a proposal made before 0028', async () => {
		scene = setUp('080117');
		const { x, y, roundId, stationId, batch2 } = scene;
		const m = town().municipalityId;
		// a proposal from before migration 0028 names only its proposer's account, not their keying
		const legacy = { ...db.select().from(paperBatches).where(eq(paperBatches.id, batch2)).get()!.pendingResolution! };
		delete legacy.entryNo;
		db.update(paperBatches).set({ pendingResolution: legacy }).where(eq(paperBatches.id, batch2)).run();
		await deleteMyAccount(db, actorOf(x.userId), PW);
		// x comes to a station with the DNI card: recorded from the census, a person without an account holds it now
		inCensus(x.dni);
		registerFromCensus(db, y.actor, m, roundId, stationId, x.dni, 'Marcelino Huamán', BIRTH);
		const record = db
			.select()
			.from(persons)
			.where(eq(persons.dniHmac, dniHmac(x.dni.slice(0, 8))))
			.get()!;
		expect(db.select().from(users).where(eq(users.personId, record.id)).get()).toBeUndefined();
		// signing up with the census birth date joins that record
		const again = await signUpAgain(x.dni);
		grantRole(db, actorOf(y.userId), m, x.dni, 'official');
		const actor = actorOf(again.userId);
		expect(actor.personId).toBe(record.id);
		expectOtherAccount(actor);
		expectRefusedEverywhere(actor);
	});
});

describe('the keyers’ DNI HMACs are kept only while needed', () => {
	it('an accepted batch forgets them at once; publication forgets those of batches left open', () => {
		scene = setUp('080115');
		const { x, y, roundId, batch1, batch2, stationId } = scene;
		const m = town().municipalityId;
		const recorded = (batchId: number) =>
			db
				.select({ h: batchEntries.keyerDniHmac })
				.from(batchEntries)
				.where(eq(batchEntries.batchId, batchId))
				.orderBy(asc(batchEntries.entryNo))
				.all()
				.map((e) => e.h);
		expect(recorded(batch2)).toEqual([dniHmac(x.dni.slice(0, 8)), dniHmac(y.dni.slice(0, 8))]);
		// y confirms x's proposal: the batch counts and its keyings keep no DNI
		expect(resolveBatch(db, y.actor, m, roundId, batch2, pickFirst)).toMatchObject({ state: 'accepted' });
		expect(recorded(batch2)).toEqual([null, null]);
		// an agreed batch the same
		const agreed = createBatch(db, y.actor, m, roundId, {
			stationId: String(stationId),
			zoneId: '',
			label: 'Sobre 4',
			declaredCount: '1'
		}).id;
		enterBatch(db, x.actor, m, roundId, agreed, '2');
		expect(enterBatch(db, y.actor, m, roundId, agreed, '2')).toMatchObject({ state: 'accepted' });
		expect(recorded(agreed)).toEqual([null, null]);
		// batch 1 is still open at publication: an official unblocked its station with a public reason
		expect(recorded(batch1)).toEqual([dniHmac(x.dni.slice(0, 8))]);
		unblockStation(db, y.actor, m, roundId, stationId, 'El sobre 1 se perdió en el traslado');
		db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, roundId)).run();
		const { version } = computeResults(db, y.actor, m, roundId);
		publishResults(db, y.actor, m, roundId, version);
		expect(recorded(batch1)).toEqual([null]);
	});
});

describe('migration 0028', () => {
	it('gives back the keyers’ DNI HMACs of open batches in unpublished rounds only, as their accounts hold them now', () => {
		const file = readdirSync('drizzle').find((f) => f.endsWith('_batch_keyer_dni.sql'))!;
		const backfill = () => {
			for (const stmt of readFileSync(join('drizzle', file), 'utf8').split('--> statement-breakpoint').slice(1))
				db.run(sql.raw(stmt));
		};
		const recorded = (batchId: number) =>
			db
				.select({ h: batchEntries.keyerDniHmac })
				.from(batchEntries)
				.where(eq(batchEntries.batchId, batchId))
				.orderBy(asc(batchEntries.entryNo))
				.all()
				.map((e) => e.h);
		// the round published by the test above: its open batch and its accepted ones stay without
		const published = scene;
		scene = setUp('080116');
		const { x, y, batch1, batch2, roundId, stationId } = scene;
		const m = town().municipalityId;
		const agreed = createBatch(db, y.actor, m, roundId, {
			stationId: String(stationId),
			zoneId: '',
			label: 'Sobre 5',
			declaredCount: '1'
		}).id;
		enterBatch(db, x.actor, m, roundId, agreed, '3');
		expect(enterBatch(db, y.actor, m, roundId, agreed, '3')).toMatchObject({ state: 'accepted' });
		db.update(batchEntries).set({ keyerDniHmac: null }).run();
		backfill();
		expect(recorded(batch1)).toEqual([dniHmac(x.dni.slice(0, 8))]);
		expect(recorded(batch2)).toEqual([dniHmac(x.dni.slice(0, 8)), dniHmac(y.dni.slice(0, 8))]);
		expect(recorded(agreed)).toEqual([null, null]);
		expect(recorded(published.batch1)).toEqual([null]);
		expect(recorded(published.batch2)).toEqual([null, null]);
	});
});
