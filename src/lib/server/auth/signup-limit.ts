/**
 * Sign-up throttles (issue 11 point 6), beside the login limiter of rate-limit.ts:
 *   - per client address: SIGNUP_PER_ADDRESS.free sign-ups an hour are served at once; after that each one waits a
 *     growing delay (doubling, capped), reserved in order so parallel requests queue instead of bypassing it. Never
 *     a lock-out: offices and telecentres share one address; at worst a request is asked to come back in a couple
 *     of minutes, and one sign-up every maxDelayMs is always served;
 *   - per DNI: MAX_BIRTH_DATE_MISSES online birth-date checks against the census that fail, counted by the DNI's
 *     HMAC across accounts and deletions; after that the DNI is verified at the office only.
 */
import { createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { signupDniChecks, signupThrottles } from '../db/schema/index';
import { serverSecret } from '../platform/secret';

export const SIGNUP_PER_ADDRESS = {
	/** Sign-ups an hour served without delay. */
	free: 20,
	windowMs: 60 * 60 * 1000,
	/** The first delay after the free allowance, doubling with each further sign-up in the hour… */
	firstDelayMs: 2_000,
	/** …up to this. */
	maxDelayMs: 30_000,
	/** A request is held at most this long; a later turn is not reserved (come back in a few minutes). */
	maxWaitMs: 120_000
};

export const MAX_BIRTH_DATE_MISSES = 3;

/** The delay the n-th sign-up of the hour (1-based) waits after the previous one's turn. */
export function signupDelayMs(n: number): number {
	const over = n - SIGNUP_PER_ADDRESS.free;
	if (over <= 0) return 0;
	return Math.min(SIGNUP_PER_ADDRESS.firstDelayMs * 2 ** (over - 1), SIGNUP_PER_ADDRESS.maxDelayMs);
}

function addressKey(address: string): string {
	return createHmac('sha256', serverSecret())
		.update('signup-ip:' + address)
		.digest('hex');
}

/**
 * Reserves this sign-up's turn for the address and returns how long to wait before serving it (0 within the free
 * allowance). Turns chain, so parallel requests queue behind each other. A turn further away than maxWaitMs is not
 * reserved: the request is told to come back in a few minutes (signup.slowDown), which a flood cannot prolong.
 */
export function reserveSignupTurn(db: Db, address: string, now = Date.now()): number {
	const key = addressKey(address);
	return writeTx(db, (tx) => {
		const row = tx.select().from(signupThrottles).where(eq(signupThrottles.key, key)).get();
		const fresh = !row || row.windowEndsAt <= now;
		const count = fresh ? 1 : row.count + 1;
		const windowEndsAt = fresh ? now + SIGNUP_PER_ADDRESS.windowMs : row.windowEndsAt;
		const turn = Math.max(now, row?.nextAt ?? 0) + signupDelayMs(count);
		if (turn - now > SIGNUP_PER_ADDRESS.maxWaitMs)
			throw new UserError('signup.slowDown', { minutes: Math.ceil((turn - now) / 60_000) }, 429);
		tx.insert(signupThrottles)
			.values({ key, count, windowEndsAt, nextAt: turn })
			.onConflictDoUpdate({ target: signupThrottles.key, set: { count, windowEndsAt, nextAt: turn } })
			.run();
		return turn - now;
	});
}

/** Online birth-date misses recorded for a DNI (all accounts, deleted ones included). */
export function birthDateMisses(db: Db, municipalityId: number, dniHmac: string): number {
	return (
		db
			.select({ n: signupDniChecks.misses })
			.from(signupDniChecks)
			.where(and(eq(signupDniChecks.municipalityId, municipalityId), eq(signupDniChecks.dniHmac, dniHmac)))
			.get()?.n ?? 0
	);
}

/** Records one miss (committed on its own: the refused sign-up rolls nothing else back). Returns the new total. */
export function recordBirthDateMiss(db: Db, municipalityId: number, dniHmac: string): number {
	return writeTx(db, (tx) => {
		tx.insert(signupDniChecks)
			.values({ municipalityId, dniHmac, misses: 1 })
			.onConflictDoUpdate({
				target: [signupDniChecks.municipalityId, signupDniChecks.dniHmac],
				set: { misses: sql`${signupDniChecks.misses} + 1` }
			})
			.run();
		return birthDateMisses(tx, municipalityId, dniHmac);
	});
}
