import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimits } from '../db/schema/index';
import { parseDniDigits } from '../../domain/dni';

export interface Limit {
	max: number;
	windowMs: number;
}

/** Failed logins from one address (a telecentre, the municipal office, a mobile CGNAT): successes never count. */
export const LOGIN_PER_IP: Limit = { max: 30, windowMs: 15 * 60 * 1000 };
/** Reset e-mails: per address typed (known or not, so the answer reveals nothing) and per client address. */
export const RESET_MAIL_PER_EMAIL: Limit = { max: 3, windowMs: 60 * 60 * 1000 };
export const RESET_MAIL_PER_IP: Limit = { max: 10, windowMs: 60 * 60 * 1000 };

/** Failed logins of one account are forgotten a day after the last one (or at a successful login). */
export const LOGIN_FAILURES_FORGOTTEN_MS = 24 * 60 * 60 * 1000;
/** Failures of one account that cost nothing (typos); after them each failure doubles the wait, up to 15 minutes. */
export const LOGIN_FREE_FAILURES = 5;

/**
 * Seconds the next login of an account waits after `failures` failed ones: 0 for the first five, then 1, 2, 4, 8
 * and at most 15 minutes. The account is slowed, never locked: its owner waits minutes, a guesser gets about a
 * hundred tries a day instead of five every quarter of an hour.
 */
export function loginDelaySeconds(failures: number): number {
	if (failures < LOGIN_FREE_FAILURES) return 0;
	return Math.min(15 * 60, 60 * 2 ** (failures - LOGIN_FREE_FAILURES));
}

/**
 * The throttling key of a login identifier, the same however it is spelled: an e-mail lower-cased; a DNI by its eight
 * digits (`70003874`, `70003874-8`, `7000 3874 b` and `70003874b` are one account).
 */
export function loginIdentifierKey(municipalityId: number, identifier: string): string {
	const id = identifier.normalize('NFKC').trim().toLowerCase();
	if (id.includes('@')) return `login:acct:${municipalityId}:${id.replace(/\s/g, '')}`;
	const digits = parseDniDigits(id) ?? id.replace(/\D/g, '').slice(0, 8);
	return `login:acct:${municipalityId}:${digits || id}`;
}

/** Seconds to wait when the key has used up its window, otherwise 0. Does not count. */
export function retryAfter(db: Db, key: string, limit: Limit, now = Date.now()): number {
	const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
	if (!row || row.windowEndsAt <= now || row.count < limit.max) return 0;
	return Math.ceil((row.windowEndsAt - now) / 1000);
}

/** Counts one attempt against a fixed window. */
export function countAttempt(db: Db, key: string, limit: Limit, now = Date.now()) {
	db.insert(rateLimits)
		.values({ key, count: 1, windowEndsAt: now + limit.windowMs })
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: {
				count: sql`case when ${rateLimits.windowEndsAt} <= ${now} then 1 else ${rateLimits.count} + 1 end`,
				windowEndsAt: sql`case when ${rateLimits.windowEndsAt} <= ${now} then ${now + limit.windowMs} else ${rateLimits.windowEndsAt} end`
			}
		})
		.run();
}

/** Takes back one counted attempt (it turned out to be a success). */
export function uncountAttempt(db: Db, key: string) {
	db.update(rateLimits)
		.set({ count: sql`max(${rateLimits.count} - 1, 0)` })
		.where(eq(rateLimits.key, key))
		.run();
}

/** Seconds until an account with recorded failures may try again (see loginDelaySeconds), otherwise 0. */
export function failureWait(db: Db, key: string, now = Date.now()): number {
	const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
	if (!row || row.windowEndsAt <= now) return 0;
	const lastFailure = row.windowEndsAt - LOGIN_FAILURES_FORGOTTEN_MS;
	const until = lastFailure + loginDelaySeconds(row.count) * 1000;
	return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** Records one failure of an account (its wait starts now); failures older than a day are forgotten. */
export function countFailure(db: Db, key: string, now = Date.now()) {
	db.insert(rateLimits)
		.values({ key, count: 1, windowEndsAt: now + LOGIN_FAILURES_FORGOTTEN_MS })
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: {
				count: sql`case when ${rateLimits.windowEndsAt} <= ${now} then 1 else ${rateLimits.count} + 1 end`,
				windowEndsAt: now + LOGIN_FAILURES_FORGOTTEN_MS
			}
		})
		.run();
}

export function clearAttempts(db: Db, key: string) {
	db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
}
