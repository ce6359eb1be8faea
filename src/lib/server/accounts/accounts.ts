import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import type { Locale } from '../../domain/locale';
import { writeTx, type Db } from '../db/client';
import { passwordResets, persons, roleGrants, users, type Role } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { censusEntryOf } from '../residents';
import { hashPassword, verifyPassword } from '../auth/password';
import { createSession, generateSessionToken, invalidateUserSessions } from '../auth/session';
import {
	clearAttempts,
	countAttempt,
	countFailure,
	failureWait,
	LOGIN_PER_IP,
	loginIdentifierKey,
	RESET_MAIL_PER_EMAIL,
	RESET_MAIL_PER_IP,
	retryAfter,
	uncountAttempt
} from '../auth/rate-limit';
import { birthDateMisses, MAX_BIRTH_DATE_MISSES, recordBirthDateMiss, reserveSignupTurn } from '../auth/signup-limit';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import {
	optionalEmail,
	optionalPhone,
	requireBirthDate,
	requireDni,
	requireNewPassword,
	requireText
} from '../platform/validation';

export const PRIVACY_NOTICE_VERSION = '2026-1';

export function actorFor(db: Db, user: typeof users.$inferSelect): Actor {
	const person = prepared(db, 'actor.person', () =>
		db
			.select({ verifiedAt: persons.verifiedAt })
			.from(persons)
			.where(eq(persons.id, sql.placeholder('id')))
			.prepare()
	).get({ id: user.personId });
	const roles = prepared(db, 'actor.roles', () =>
		db
			.select({ role: roleGrants.role })
			.from(roleGrants)
			.where(and(eq(roleGrants.userId, sql.placeholder('userId')), isNull(roleGrants.revokedAt)))
			.prepare()
	)
		.all({ userId: user.id })
		.map((r) => r.role as Role);
	return {
		userId: user.id,
		personId: user.personId,
		municipalityId: user.municipalityId,
		roles: new Set(roles),
		verified: Boolean(person?.verifiedAt),
		installationAdmin: user.installationAdminAt != null
	};
}

export interface SignUpInput {
	fullName: unknown;
	dni: unknown;
	birthDate: unknown;
	phone?: unknown;
	email?: unknown;
	password: unknown;
	passwordConfirm: unknown;
	consent: unknown;
	locale: Locale;
}

export interface SignUpResult {
	userId: number;
	verified: boolean;
	/** The account waits for an official: another account holds this DNI, or the census check moved to the office. */
	dniClaimPending: boolean;
	/** The online birth-date checks for this DNI are used up: verification happens at the office. */
	office?: boolean;
}

/**
 * A resident creates an account (issue 11 point 6):
 *   - DNI in the census: the birth date must match it. A mismatch changes nothing and says so ("check the date of
 *     birth, or verify in person at the office"), so a typo can be corrected; it counts against the DNI
 *     (MAX_BIRTH_DATE_MISSES in total, across accounts and deletions), after which sign-ups with that DNI stay
 *     unverified with a pending claim for the office.
 *   - A census match verifies at once; it joins a person record without an account (station voter, agent, proposal
 *     filed on someone's behalf) and takes the DNI from an unverified account holding it (which keeps a pending
 *     claim). An account verified with that DNI keeps it: the newcomer's claim waits for the office.
 *   - Without a census match nothing is taken over: a DNI already recorded leaves the newcomer unverified with a
 *     pending claim.
 * `wait` (the per-address turn from reserveSignupTurn) is served before any work.
 */
export async function signUpResident(
	db: Db,
	municipalityId: number,
	input: SignUpInput,
	address?: string
): Promise<SignUpResult> {
	const fullName = requireText(input.fullName, 'fullName', 120);
	const dni = requireDni(input.dni);
	const birthDate = requireBirthDate(input.birthDate);
	const phone = optionalPhone(input.phone);
	const email = optionalEmail(input.email);
	const password = requireNewPassword(input.password, input.passwordConfirm);
	if (input.consent !== 'on' && input.consent !== true) throw new UserError('consent.required');
	if (address !== undefined) {
		const wait = reserveSignupTurn(db, address);
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
	}
	const hmac = dniHmac(dni);
	const census = censusEntryOf(db, municipalityId, hmac);
	const office = Boolean(census) && birthDateMisses(db, municipalityId, hmac) >= MAX_BIRTH_DATE_MISSES;
	if (census && !office && census.birthDate !== birthDate) {
		const misses = recordBirthDateMiss(db, municipalityId, hmac);
		throw new UserError('signup.notVerified', { left: Math.max(0, MAX_BIRTH_DATE_MISSES - misses) }, 400);
	}
	const censusMatch = Boolean(census) && !office;
	const passwordHash = await hashPassword(password);
	const now = Date.now();
	return writeTx(db, (tx) => {
		if (
			email &&
			tx
				.select()
				.from(users)
				.where(and(eq(users.municipalityId, municipalityId), eq(users.email, email)))
				.get()
		)
			throw new UserError('email.taken', {}, 409);
		const holder = tx
			.select()
			.from(persons)
			.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
			.get();
		const holderHasAccount = Boolean(holder && tx.select().from(users).where(eq(users.personId, holder.id)).get());
		let personId: number;
		let pending = false;
		if (holder && !holderHasAccount && censusMatch) {
			// The municipality already records this person and the census birth date proves it is them: join it.
			tx.update(persons).set({ fullName, birthDate, phone, email }).where(eq(persons.id, holder.id)).run();
			personId = holder.id;
		} else {
			if (holder && holderHasAccount && censusMatch && !holder.verifiedAt) {
				// An unverified account holds the DNI; the census match wins. The holder keeps a claim for the office.
				tx.update(persons).set({ dniHmac: null, pendingDniHmac: hmac }).where(eq(persons.id, holder.id)).run();
				appendAudit(tx, {
					municipalityId,
					actorUserId: null,
					type: 'resident.dniTakenByCensusMatch',
					payload: { fromPersonId: holder.id },
					personal: true
				});
			} else pending = Boolean(holder);
			personId = tx
				.insert(persons)
				.values({
					municipalityId,
					fullName,
					dniHmac: pending ? null : hmac,
					pendingDniHmac: pending ? hmac : null,
					birthDate,
					phone,
					email,
					createdAt: now
				})
				.returning({ id: persons.id })
				.get().id;
		}
		const verify = censusMatch && !pending;
		if (verify)
			tx.update(persons)
				.set({ verifiedAt: now, verifiedMethod: 'census', verifiedByUserId: null, zoneId: census!.zoneId })
				.where(eq(persons.id, personId))
				.run();
		const user = tx
			.insert(users)
			.values({
				municipalityId,
				personId,
				email,
				passwordHash,
				locale: input.locale,
				privacyConsentAt: now,
				privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
				createdAt: now
			})
			.returning({ id: users.id })
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: user.id,
			type: 'resident.signedUp',
			payload: { userId: user.id, personId, consent: PRIVACY_NOTICE_VERSION, dniClaimPending: pending },
			personal: true
		});
		if (verify)
			appendAudit(tx, {
				municipalityId,
				actorUserId: null,
				type: 'resident.verified',
				payload: { personId, method: 'census' },
				personal: true
			});
		// What the account really is (a joined record may have been verified before).
		const verified = Boolean(
			tx.select({ v: persons.verifiedAt }).from(persons).where(eq(persons.id, personId)).get()?.v
		);
		return { userId: user.id, verified, dniClaimPending: pending, office };
	});
}

/** Finds the account a login identifier (DNI or e-mail) names. */
function findLoginUser(db: Db, municipalityId: number, identifier: string) {
	const email = identifier.includes('@') ? identifier.trim().toLowerCase() : null;
	if (email)
		return db
			.select()
			.from(users)
			.where(and(eq(users.municipalityId, municipalityId), eq(users.email, email)))
			.get();
	const digits = parseDniDigits(identifier);
	if (!digits) return undefined;
	const row = db
		.select({ user: users })
		.from(users)
		.innerJoin(persons, eq(users.personId, persons.id))
		.where(and(eq(users.municipalityId, municipalityId), eq(persons.dniHmac, dniHmac(digits))))
		.get();
	return row?.user;
}

/**
 * Logs in by DNI or e-mail. Throttled before any work: per account (however the identifier is spelled) failures slow
 * the next try (loginDelaySeconds), and per client address only failures count, so a shared office PC is never
 * refused for logging people in. The attempt is counted before the password check (parallel guesses cannot all slip
 * through) and taken back when it succeeds.
 */
export async function logIn(
	db: Db,
	municipalityId: number,
	identifier: unknown,
	password: unknown,
	ip: string,
	now = Date.now()
) {
	const id = typeof identifier === 'string' ? identifier.trim() : '';
	const pw = typeof password === 'string' ? password : '';
	if (!id || !pw) throw new UserError('login.missing');
	const accountKey = loginIdentifierKey(municipalityId, id);
	const ipKey = `login:ip:${ip}`;
	const wait = Math.max(failureWait(db, accountKey, now), retryAfter(db, ipKey, LOGIN_PER_IP, now));
	if (wait > 0) throw new UserError('login.throttled', { minutes: Math.ceil(wait / 60) }, 429);
	countFailure(db, accountKey, now);
	countAttempt(db, ipKey, LOGIN_PER_IP, now);
	const user = findLoginUser(db, municipalityId, id);
	// Verify even when no user exists, so the response time does not reveal which accounts exist.
	const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), pw);
	if (!user || !ok || user.disabledAt) throw new UserError('login.invalid');
	clearAttempts(db, accountKey);
	uncountAttempt(db, ipKey);
	const token = generateSessionToken();
	const session = createSession(db, token, user.id);
	return { user, token, expiresAt: session.expiresAt };
}

let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword('not-a-password'));

export async function changePassword(db: Db, actor: Actor | null, current: unknown, next: unknown, confirm: unknown) {
	authorize(actor, 'account.self', actor?.municipalityId ?? -1);
	const user = db.select().from(users).where(eq(users.id, actor.userId)).get()!;
	if (!(await verifyPassword(user.passwordHash, typeof current === 'string' ? current : '')))
		throw new UserError('password.wrongCurrent');
	const passwordHash = await hashPassword(requireNewPassword(next, confirm));
	const token = generateSessionToken();
	const session = writeTx(db, (tx) => {
		tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
		// Every session dies with the old password; the person gets a fresh one on this device.
		invalidateUserSessions(tx, user.id);
		appendAudit(tx, {
			municipalityId: user.municipalityId,
			actorUserId: user.id,
			type: 'account.passwordChanged',
			payload: { userId: user.id },
			personal: true
		});
		return createSession(tx, token, user.id);
	});
	return { token, expiresAt: session.expiresAt };
}

function resetCodeHash(code: string) {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(code.replace(/[\s-]/g, '').toUpperCase())));
}

/** A new code makes every unused older code of the account worthless. */
function retireResetCodes(tx: Db, userId: number) {
	tx.update(passwordResets)
		.set({ expiresAt: 0 })
		.where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)))
		.run();
}

function newResetCode(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	const code = encodeBase32UpperCaseNoPadding(bytes).slice(0, 12);
	return code.match(/.{4}/g)!.join('-');
}

/** Creates a reset code for the e-mail address when an account has it. Returns null otherwise (the page says the same either way). */
export function createEmailReset(
	db: Db,
	municipalityId: number,
	emailInput: unknown,
	ip = 'unknown'
): { code: string; email: string } | null {
	const email = optionalEmail(emailInput);
	if (!email) throw new UserError('required', { field: 'email' });
	// Throttled per address typed (whether or not an account has it, so the answer reveals nothing) and per client.
	const emailKey = `reset:email:${municipalityId}:${email}`;
	const ipKey = `reset:ip:${ip}`;
	const wait = Math.max(retryAfter(db, emailKey, RESET_MAIL_PER_EMAIL), retryAfter(db, ipKey, RESET_MAIL_PER_IP));
	if (wait > 0) throw new UserError('reset.throttled', { minutes: Math.ceil(wait / 60) }, 429);
	countAttempt(db, emailKey, RESET_MAIL_PER_EMAIL);
	countAttempt(db, ipKey, RESET_MAIL_PER_IP);
	const user = db
		.select()
		.from(users)
		.where(and(eq(users.municipalityId, municipalityId), eq(users.email, email)))
		.get();
	if (!user) return null;
	const code = newResetCode();
	writeTx(db, (tx) => {
		retireResetCodes(tx, user.id);
		tx.insert(passwordResets)
			.values({
				userId: user.id,
				codeHash: resetCodeHash(code),
				channel: 'email',
				expiresAt: Date.now() + 60 * 60 * 1000
			})
			.run();
	});
	return { code, email };
}

/** At the office: the official has seen the resident's DNI card and issues a one-time code shown once. */
export function issueOfficeResetCode(db: Db, actor: Actor | null, municipalityId: number, dniInput: unknown): string {
	authorize(actor, 'residents.issueResetCode', municipalityId);
	const dni = requireDni(dniInput);
	const user = findLoginUser(db, municipalityId, dni);
	if (!user) throw new UserError('resident.notFound', {}, 404);
	const code = newResetCode();
	writeTx(db, (tx) => {
		retireResetCodes(tx, user.id);
		tx.insert(passwordResets)
			.values({
				userId: user.id,
				codeHash: resetCodeHash(code),
				channel: 'office',
				issuedByUserId: actor.userId,
				expiresAt: Date.now() + 24 * 60 * 60 * 1000
			})
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'account.resetCodeIssued',
			payload: { userId: user.id },
			personal: true
		});
	});
	return code;
}

export async function resetPassword(
	db: Db,
	municipalityId: number,
	codeInput: unknown,
	next: unknown,
	confirm: unknown
) {
	const code = typeof codeInput === 'string' ? codeInput : '';
	const password = requireNewPassword(next, confirm);
	const reset = db
		.select()
		.from(passwordResets)
		.where(eq(passwordResets.codeHash, resetCodeHash(code)))
		.get();
	const user = reset && db.select().from(users).where(eq(users.id, reset.userId)).get();
	if (!reset || !user || user.municipalityId !== municipalityId || reset.usedAt || reset.expiresAt < Date.now())
		throw new UserError('reset.invalidCode');
	const passwordHash = await hashPassword(password);
	writeTx(db, (tx) => {
		// Single use under concurrency: only the request that marks the code used, in this transaction, goes on.
		const claimed = tx
			.update(passwordResets)
			.set({ usedAt: Date.now() })
			.where(
				and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt), gte(passwordResets.expiresAt, Date.now()))
			)
			.run();
		if (claimed.changes !== 1) throw new UserError('reset.invalidCode');
		tx.update(users).set({ passwordHash }).where(eq(users.id, user.id)).run();
		invalidateUserSessions(tx, user.id);
		appendAudit(tx, {
			municipalityId,
			actorUserId: user.id,
			type: 'account.passwordReset',
			payload: { userId: user.id, channel: reset.channel },
			personal: true
		});
	});
}

export function setUserLocale(db: Db, userId: number, locale: Locale) {
	db.update(users).set({ locale }).where(eq(users.id, userId)).run();
}

export function userProfile(db: Db, userId: number) {
	return prepared(db, 'account.profile', () =>
		db
			.select({
				userId: users.id,
				email: users.email,
				locale: users.locale,
				fullName: persons.fullName,
				verifiedAt: persons.verifiedAt,
				verifiedMethod: persons.verifiedMethod,
				zoneId: persons.zoneId,
				birthDate: persons.birthDate,
				phone: persons.phone,
				dniClaimPending: persons.pendingDniHmac
			})
			.from(users)
			.innerJoin(persons, eq(users.personId, persons.id))
			.where(eq(users.id, sql.placeholder('userId')))
			.prepare()
	).get({ userId });
}

/** Creates an account for a person the office registers (used at setup for the first admin). */
export function createAccount(
	tx: Db,
	municipalityId: number,
	input: {
		fullName: string;
		dni: string;
		birthDate: string;
		email: string | null;
		passwordHash: string;
		locale: Locale;
	}
) {
	const now = Date.now();
	const person = tx
		.insert(persons)
		.values({
			municipalityId,
			fullName: input.fullName,
			dniHmac: dniHmac(input.dni),
			birthDate: input.birthDate,
			email: input.email,
			createdAt: now
		})
		.returning()
		.get();
	const user = tx
		.insert(users)
		.values({
			municipalityId,
			personId: person.id,
			email: input.email,
			passwordHash: input.passwordHash,
			locale: input.locale,
			privacyConsentAt: now,
			privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
			createdAt: now
		})
		.returning()
		.get();
	return { person, user };
}
