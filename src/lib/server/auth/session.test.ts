import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createAccount } from '../accounts';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	invalidateUserSessions,
	sessionIdFromToken,
	validateSessionToken,
	SESSION_LIFETIME_MS
} from './session';

let db: Db;
let userId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test-secret';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-session-')), 't.db'));
	userId = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'x',
				ubigeo: '080104',
				name: 'X',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		return createAccount(tx, m.id, {
			fullName: 'A',
			dni: '12345678',
			birthDate: '1990-01-01',
			email: null,
			passwordHash: 'h',
			locale: 'es'
		}).user.id;
	});
});

describe('sessions (Lucia design)', () => {
	it('stores only the SHA-256 of a random token', () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		const s = createSession(db, token, userId);
		expect(s.id).toBe(sessionIdFromToken(token));
		expect(s.id).not.toContain(token);
		expect(validateSessionToken(db, token).user?.id).toBe(userId);
		expect(validateSessionToken(db, generateSessionToken()).session).toBeNull();
	});
	it('slides the expiry forward only in the second half of its life', () => {
		const t0 = 1_000_000_000_000;
		const token = generateSessionToken();
		createSession(db, token, userId, t0);
		const early = validateSessionToken(db, token, t0 + 5 * 86_400_000);
		expect(early.renewed).toBe(false);
		const late = validateSessionToken(db, token, t0 + 20 * 86_400_000);
		expect(late.renewed).toBe(true);
		expect(late.session!.expiresAt).toBe(t0 + 20 * 86_400_000 + SESSION_LIFETIME_MS);
	});
	it('deletes an expired session', () => {
		const t0 = 1_000_000_000_000;
		const token = generateSessionToken();
		createSession(db, token, userId, t0);
		expect(validateSessionToken(db, token, t0 + SESSION_LIFETIME_MS + 1).session).toBeNull();
		expect(validateSessionToken(db, token, t0).session).toBeNull();
	});
	it('logout invalidates one session; password change invalidates all', () => {
		const a = generateSessionToken();
		const b = generateSessionToken();
		createSession(db, a, userId);
		createSession(db, b, userId);
		invalidateSession(db, sessionIdFromToken(a));
		expect(validateSessionToken(db, a).session).toBeNull();
		expect(validateSessionToken(db, b).session).not.toBeNull();
		invalidateUserSessions(db, userId);
		expect(validateSessionToken(db, b).session).toBeNull();
	});
});
