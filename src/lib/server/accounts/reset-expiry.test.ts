/** The e-mail reset code lives exactly one hour: valid at the last millisecond, refused one millisecond later. */
import { afterEach, describe, expect, it, beforeAll, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createEmailReset, resetPassword, signUpResident } from './accounts';

let db: Db;
let m: number;
const HOUR = 60 * 60 * 1000;
const T0 = Date.UTC(2026, 5, 1, 12);

beforeAll(async () => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-reset-')), 't.db'));
	m = writeTx(db, (tx) =>
		tx
			.insert(municipalities)
			.values({
				slug: 'r',
				ubigeo: '080104',
				name: 'R',
				kind: 'distrital',
				department: 'C',
				province: 'C',
				createdAt: 0
			})
			.returning()
			.get()
	).id;
	await signUpResident(db, m, {
		fullName: 'Rosa Quispe',
		dni: '87654321-0',
		birthDate: '1990-01-01',
		email: 'rosa@example.pe',
		password: 'clave-segura-1',
		passwordConfirm: 'clave-segura-1',
		consent: 'on',
		locale: 'es'
	});
});

afterEach(() => vi.useRealTimers());

const issuedAt = (t: number) => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(t);
	return createEmailReset(db, m, 'rosa@example.pe')!.code;
};

describe('e-mail reset code', () => {
	it('still works one hour after it was issued', async () => {
		const code = issuedAt(T0);
		vi.setSystemTime(T0 + HOUR);
		await expect(resetPassword(db, m, code, 'nueva-clave-2', 'nueva-clave-2')).resolves.toBeUndefined();
	});

	it('is refused one millisecond past the hour', async () => {
		const code = issuedAt(T0);
		vi.setSystemTime(T0 + HOUR + 1);
		await expect(resetPassword(db, m, code, 'nueva-clave-3', 'nueva-clave-3')).rejects.toThrowError(
			'reset.invalidCode'
		);
	});

	it('is not sent for an unknown address, and says nothing about it', () => {
		expect(createEmailReset(db, m, 'nadie@example.pe')).toBeNull();
	});
});
