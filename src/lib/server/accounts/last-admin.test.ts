/** The last admin of a municipality cannot delete the account (security review M7). */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, roleGrants, users } from '../db/schema/index';
import { createAccount } from './accounts';
import { hashPassword } from '../auth/password';
import { deleteMyAccount } from './personal-data';
import { grantRoleInTx, revokeRole } from '../roles';
import type { Actor } from '../platform/policy';

let db: Db;
let m: number;
const admins: Actor[] = [];
const PW = 'clave-segura-1';

beforeAll(async () => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-la-')), 't.db'));
	const passwordHash = await hashPassword(PW);
	m = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 'l',
				ubigeo: '080104',
				name: 'L',
				kind: 'distrital',
				department: 'C',
				province: 'C',
				createdAt: 0
			})
			.returning()
			.get();
		for (const dni of ['70001001', '70001002']) {
			const { user, person } = createAccount(tx, mu.id, {
				fullName: `Admin ${dni}`,
				dni,
				birthDate: '1980-01-01',
				email: null,
				passwordHash,
				locale: 'es'
			});
			grantRoleInTx(tx, null, mu.id, user.id, 'admin');
			admins.push({
				userId: user.id,
				personId: person.id,
				municipalityId: mu.id,
				roles: new Set(['admin']),
				verified: true
			});
		}
		return mu.id;
	});
});

const activeAdmins = () =>
	db
		.select()
		.from(roleGrants)
		.where(and(eq(roleGrants.municipalityId, m), eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt)))
		.all().length;

describe('the last admin', () => {
	it('one of two admins may delete the account; the last one may not, and nothing changes', async () => {
		await deleteMyAccount(db, admins[0], PW);
		expect(activeAdmins()).toBe(1);
		await expect(deleteMyAccount(db, admins[1], PW)).rejects.toThrowError('account.lastAdmin');
		expect(activeAdmins()).toBe(1);
		expect(db.select().from(users).where(eq(users.id, admins[1].userId)).get()!.disabledAt).toBeNull();
		expect(() => revokeRole(db, admins[1], m, admins[1].userId, 'admin')).toThrowError('role.lastAdmin');
	});
});
