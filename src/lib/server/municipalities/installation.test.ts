/**
 * Creating municipalities is an installation-level power, separate from a municipality's admin role (security review
 * M9): the first-run admin holds it; another municipality's admin gets a 403 and nothing is created; on existing
 * installations the migration gives it to the active admins of the first municipality.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, roleGrants, users } from '../db/schema/index';
import { dniCheckCharacters } from '../../domain/dni';
import { actorFor, createAccount } from '../accounts';
import { grantRoleInTx } from '../roles';
import { authorizeInstallation, canInInstallation, type Actor } from '../platform/policy';
import { createMunicipality, municipalityCount } from './index';

process.env.MINKA_SECRET = 'test';
let db: Db;
beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-inst-')), 't.db'));
});

let n = 0;
const dni = () => {
	const digits = String(40_000_000 + ++n * 7919);
	return `${digits}-${dniCheckCharacters(digits)[0]}`;
};
const form = (ubigeo: string) => ({
	ubigeo,
	name: '',
	defaultLocale: 'es',
	adminName: 'Rosa Quispe',
	adminDni: dni(),
	adminBirthDate: '1980-02-03',
	adminEmail: '',
	adminPassword: 'clave-segura-2026',
	adminPasswordConfirm: 'clave-segura-2026'
});
const adminOf = (municipalityId: number): Actor => {
	const row = db
		.select({ user: users })
		.from(roleGrants)
		.innerJoin(users, eq(users.id, roleGrants.userId))
		.where(eq(roleGrants.municipalityId, municipalityId))
		.orderBy(roleGrants.id)
		.get()!;
	return actorFor(db, row.user);
};
const refusal = async (p: Promise<unknown>) => {
	try {
		await p;
	} catch (e) {
		return `${(e as { code: string }).code} ${(e as { status: number }).status}`;
	}
	return 'created';
};

describe('the installation role', () => {
	it('the first-run admin holds it and can add a municipality; that one’s admin is only its admin', async () => {
		const first = await createMunicipality(db, null, form('080104'));
		const installer = adminOf(first.id);
		expect(installer.roles.has('admin')).toBe(true);
		expect(installer.installationAdmin).toBe(true);
		const second = await createMunicipality(db, installer, form('080108'));
		const otherAdmin = adminOf(second.id);
		expect(otherAdmin.roles.has('admin')).toBe(true);
		expect(otherAdmin.installationAdmin).toBe(false);

		// A municipality's admin without the installation role: a translated 403, nothing created.
		const before = municipalityCount(db);
		expect(await refusal(createMunicipality(db, otherAdmin, form('080105')))).toBe('setup.installationOnly 403');
		expect(await refusal(createMunicipality(db, null, form('080105')))).toBe('loginRequired 403');
		expect(municipalityCount(db)).toBe(before);
		expect(canInInstallation(otherAdmin, 'municipalities.create')).toBe(false);
		expect(() => authorizeInstallation(otherAdmin, 'municipalities.create')).toThrow('setup.installationOnly');
		expect(canInInstallation(installer, 'municipalities.create')).toBe(true);
	});
});

describe('the migration on an existing installation', () => {
	it('gives the role to the active admins of the first municipality only', () => {
		const file = readdirSync('drizzle').find((f) => f.endsWith('_installation_role.sql'))!;
		const update = readFileSync(join('drizzle', file), 'utf8')
			.split('--> statement-breakpoint')
			.find((s) => /UPDATE\s+`user`/.test(s))!;
		const [firstM, secondM] = db.select().from(municipalities).orderBy(municipalities.id).all();
		const ids = writeTx(db, (tx) => {
			const account = (m: number) =>
				createAccount(tx, m, {
					fullName: 'X',
					dni: dni().slice(0, 8),
					birthDate: '1980-01-01',
					email: null,
					passwordHash: 'x',
					locale: 'es'
				}).user.id;
			const secondAdmin = account(firstM.id);
			const revoked = account(firstM.id);
			const official = account(firstM.id);
			grantRoleInTx(tx, null, firstM.id, secondAdmin, 'admin');
			grantRoleInTx(tx, null, firstM.id, revoked, 'admin');
			tx.update(roleGrants).set({ revokedAt: 1 }).where(eq(roleGrants.userId, revoked)).run();
			grantRoleInTx(tx, null, firstM.id, official, 'official');
			// As before the role existed: nobody holds it.
			tx.update(users).set({ installationAdminAt: null }).run();
			return { secondAdmin, revoked, official };
		});
		db.run(sql.raw(update));
		const holders = db
			.select({ id: users.id })
			.from(users)
			.where(sql`${users.installationAdminAt} is not null`)
			.all()
			.map((r) => r.id);
		expect(holders.sort()).toEqual([adminOf(firstM.id).userId, ids.secondAdmin].sort());
		expect(holders).not.toContain(ids.revoked);
		expect(holders).not.toContain(ids.official);
		expect(holders).not.toContain(adminOf(secondM.id).userId);
	});
});
