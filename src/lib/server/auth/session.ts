import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import type { Db } from '../db/client';
import { sessions, users } from '../db/schema/index';

// The Lucia design: a random token lives only in the cookie; the database keeps its SHA-256.
export const SESSION_COOKIE = 'minka_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY;
const RENEW_WHEN_LEFT_MS = 15 * DAY;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(db: Db, token: string, userId: number, now = Date.now()) {
	const session = { id: sessionIdFromToken(token), userId, expiresAt: now + SESSION_LIFETIME_MS };
	db.insert(sessions).values(session).run();
	return session;
}

export type SessionUser = typeof users.$inferSelect;
export type SessionValidation =
	| { session: typeof sessions.$inferSelect; user: SessionUser; renewed: boolean }
	| { session: null; user: null; renewed: false };

/** Looks the token up; deletes it when expired; slides the expiry forward when less than half is left. */
export function validateSessionToken(db: Db, token: string, now = Date.now()): SessionValidation {
	const id = sessionIdFromToken(token);
	const row = prepared(db, 'session.withUser', () =>
		db
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(sessions.userId, users.id))
			.where(eq(sessions.id, sql.placeholder('id')))
			.prepare()
	).get({ id });
	if (!row || row.user.disabledAt) return { session: null, user: null, renewed: false };
	if (now >= row.session.expiresAt) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return { session: null, user: null, renewed: false };
	}
	let renewed = false;
	if (row.session.expiresAt - now <= RENEW_WHEN_LEFT_MS) {
		row.session.expiresAt = now + SESSION_LIFETIME_MS;
		db.update(sessions).set({ expiresAt: row.session.expiresAt }).where(eq(sessions.id, id)).run();
		renewed = true;
	}
	return { session: row.session, user: row.user, renewed };
}

export function invalidateSession(db: Db, sessionId: string) {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Db, userId: number) {
	db.delete(sessions).where(eq(sessions.userId, userId)).run();
}
