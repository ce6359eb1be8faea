import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { censusEntries, municipalities, persons, zones } from '../db/schema/index';
import { logIn, signUpResident, issueOfficeResetCode, resetPassword, createAccount } from './accounts';
import { moveVerification } from '../residents';
import { grantRoleInTx } from '../roles';
import { actorFor } from './accounts';
import { dniHmac } from '../platform/secret';
import { hashPassword } from '../auth/password';
import { auditEventsOfType } from '../platform/audit';
import { users } from '../db/schema/index';

let db: Db;
let m: number;
let zoneId: number;
const PW = 'clave-segura-1';
const signUp = (dni: string, birthDate = '1990-08-15', email?: string) =>
	signUpResident(db, m, {
		fullName: 'Juan Mamani',
		dni,
		birthDate,
		email,
		password: PW,
		passwordConfirm: PW,
		consent: 'on',
		locale: 'es'
	});

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-acc-')), 't.db'));
	const base = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 'a',
				ubigeo: '080104',
				name: 'A',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: mu.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		tx.insert(censusEntries)
			.values({
				municipalityId: mu.id,
				dniHmac: dniHmac('12345678'),
				birthDate: '1990-08-15',
				zoneId: z.id,
				importedAt: 0
			})
			.run();
		return { mu, z };
	});
	m = base.mu.id;
	zoneId = base.z.id;
});

describe('accounts', () => {
	it('verifies at sign-up when DNI and birth date match the census, and places the resident in the zone', async () => {
		const r = await signUp('12345678-1');
		expect(r).toMatchObject({ verified: true, dniClaimPending: false });
		const person = db
			.select()
			.from(persons)
			.where(eq(persons.dniHmac, dniHmac('12345678')))
			.get()!;
		expect(person.zoneId).toBe(zoneId);
		expect(person.dniHmac).not.toContain('12345678');
	});

	it('refuses a wrong check character and a missing consent, creating nothing', async () => {
		await expect(signUp('12345679-1')).rejects.toThrowError('dni.check');
		await expect(
			signUpResident(db, m, {
				fullName: 'X',
				dni: '87654321-' + '7',
				birthDate: '1990-01-01',
				password: PW,
				passwordConfirm: PW,
				consent: undefined,
				locale: 'es'
			})
		).rejects.toThrow();
		expect(db.select().from(users).all()).toHaveLength(1);
	});

	it('a DNI already held makes a pending claim that an official moves after checking the card', async () => {
		const claim = await signUp('12345678-1');
		expect(claim).toMatchObject({ verified: false, dniClaimPending: true });
		const official = await (async () => {
			const hash = await hashPassword(PW);
			return writeTx(db, (tx) => {
				const { user } = createAccount(tx, m, {
					fullName: 'Edwin',
					dni: '70000137',
					birthDate: '1980-01-01',
					email: null,
					passwordHash: hash,
					locale: 'es'
				});
				grantRoleInTx(tx, null, m, user.id, 'official');
				return actorFor(tx, user);
			});
		})();
		const claimant = db.select().from(users).where(eq(users.id, claim.userId)).get()!;
		moveVerification(db, official, m, '12345678-1', claimant.personId, zoneId);
		const moved = db
			.select()
			.from(persons)
			.where(eq(persons.dniHmac, dniHmac('12345678')))
			.get()!;
		expect(moved.id).toBe(claimant.personId);
		expect(moved.verifiedMethod).toBe('in_person');
		expect(auditEventsOfType(db, m, 'resident.verificationMoved')).toHaveLength(1);
		// The office reset code works once.
		const code = issueOfficeResetCode(db, official, m, '12345678-1');
		await resetPassword(db, m, code, 'nueva-clave-2', 'nueva-clave-2');
		await expect(resetPassword(db, m, code, 'otra-clave-3', 'otra-clave-3')).rejects.toThrowError('reset.invalidCode');
		await expect(logIn(db, m, '12345678', 'nueva-clave-2', '10.0.0.1')).resolves.toMatchObject({
			user: { id: claimant.id }
		});
	});

	it('throttles a login per account after five failures, with the wait in minutes', async () => {
		for (let i = 0; i < 5; i++)
			await expect(logIn(db, m, '70000137', 'wrong', '10.0.0.2')).rejects.toThrowError('login.invalid');
		const refused = await logIn(db, m, '70000137', PW, '10.0.0.3').catch((e) => e);
		expect(refused.code).toBe('login.throttled');
		expect(refused.params.minutes).toBeGreaterThan(0);
	});
});
