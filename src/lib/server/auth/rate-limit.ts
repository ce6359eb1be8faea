import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rateLimits } from '../db/schema/index';

export interface Limit {
	max: number;
	windowMs: number;
}

export const LOGIN_PER_ACCOUNT: Limit = { max: 5, windowMs: 15 * 60 * 1000 };
export const LOGIN_PER_IP: Limit = { max: 30, windowMs: 15 * 60 * 1000 };

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

export function clearAttempts(db: Db, key: string) {
	db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
}
