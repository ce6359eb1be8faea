/** Logins and resets under abuse (security review M6, L1). */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createAccount, createEmailReset, logIn, resetPassword } from './accounts';
import { hashPassword } from '../auth/password';
import { loginDelaySeconds } from '../auth/rate-limit';

let db: Db;
let m: number;
const PW = 'clave-segura-1';
const MIN = 60_000;

beforeAll(async () => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-throttle-')), 't.db'));
	const passwordHash = await hashPassword(PW);
	m = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 't',
				ubigeo: '080104',
				name: 'T',
				kind: 'distrital',
				department: 'C',
				province: 'C',
				createdAt: 0
			})
			.returning()
			.get();
		const people: [string, string | null][] = [
			['70003874', null],
			['70003875', null],
			['70003876', 'rosa@example.pe'],
			['70003877', 'ana@example.pe']
		];
		for (const [dni, email] of people)
			createAccount(tx, mu.id, {
				fullName: `P ${dni}`,
				dni,
				birthDate: '1990-01-01',
				email,
				passwordHash,
				locale: 'es'
			});
		return mu.id;
	});
});

const code = (e: unknown) => (e as { code?: string }).code;

describe('login throttling', () => {
	it('an office address is never refused for correct logins (only failures count per address)', async () => {
		for (let i = 0; i < 32; i++) await logIn(db, m, '70003875', PW, '10.1.1.1');
	});

	it('one DNI spelled several ways is one account: five failures in all, not five per spelling', async () => {
		const now = Date.UTC(2026, 0, 1);
		for (const spelling of ['70003874', '70003874-8', '7000 3874', '70003874b', '70003874-B'])
			expect(code(await logIn(db, m, spelling, 'wrong', '10.2.2.2', now).catch((e) => e))).toBe('login.invalid');
		const sixth = await logIn(db, m, ' 7000-3874 ', PW, '10.2.2.3', now).catch((e) => e);
		expect(code(sixth)).toBe('login.throttled');
	});

	it('failures slow the next try instead of locking: after five, the owner waits a minute, not fifteen', async () => {
		const now = Date.UTC(2026, 0, 1);
		expect(code(await logIn(db, m, '70003874', PW, '10.2.2.3', now + 59_000).catch((e) => e))).toBe('login.throttled');
		await expect(logIn(db, m, '70003874', PW, '10.2.2.3', now + MIN + 1)).resolves.toMatchObject({
			token: expect.any(String)
		});
		expect([4, 5, 6, 7, 9, 20].map(loginDelaySeconds)).toEqual([0, 60, 120, 240, 900, 900]);
	});

	it('parallel guesses cannot all slip through before the first is counted', async () => {
		const results = await Promise.all(
			Array.from({ length: 9 }, () => logIn(db, m, '70003877', 'wrong', '10.3.3.3').catch((e) => code(e)))
		);
		expect(results.filter((r) => r === 'login.invalid')).toHaveLength(5);
		expect(results.filter((r) => r === 'login.throttled')).toHaveLength(4);
	});
});

describe('password reset codes', () => {
	it('a code works once even when six requests use it at the same time', async () => {
		const { code: c } = createEmailReset(db, m, 'rosa@example.pe', '10.4.4.4')!;
		const outcomes = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				resetPassword(db, m, c, `nueva-clave-${i}0`, `nueva-clave-${i}0`).then(
					() => 'ok',
					(e) => code(e)
				)
			)
		);
		expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
		expect(outcomes.filter((o) => o === 'reset.invalidCode')).toHaveLength(5);
	});

	it('a new code makes the older ones worthless', async () => {
		const first = createEmailReset(db, m, 'rosa@example.pe', '10.5.5.5')!.code;
		const second = createEmailReset(db, m, 'rosa@example.pe', '10.5.5.5')!.code;
		await expect(resetPassword(db, m, first, 'otra-clave-11', 'otra-clave-11')).rejects.toThrowError(
			'reset.invalidCode'
		);
		await expect(resetPassword(db, m, second, 'otra-clave-12', 'otra-clave-12')).resolves.toBeUndefined();
	});

	it('reset e-mails are throttled per address typed (known or not) and per client', () => {
		for (let i = 0; i < 3; i++) createEmailReset(db, m, 'ana@example.pe', '10.6.6.6');
		expect(
			code(
				(() => {
					try {
						createEmailReset(db, m, 'ANA@example.pe', '10.6.6.7');
					} catch (e) {
						return e;
					}
				})()
			)
		).toBe('reset.throttled');
		for (let i = 0; i < 3; i++) expect(createEmailReset(db, m, 'nadie@example.pe', '10.6.6.8')).toBeNull();
		expect(() => createEmailReset(db, m, 'nadie@example.pe', '10.6.6.9')).toThrowError('reset.throttled');
		for (let i = 0; i < 10; i++) createEmailReset(db, m, `x${i}@example.pe`, '10.7.7.7');
		expect(() => createEmailReset(db, m, 'y@example.pe', '10.7.7.7')).toThrowError('reset.throttled');
	});
});
