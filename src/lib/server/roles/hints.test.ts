import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createAccount } from '../accounts';
import { grantRoleInTx, revokeRole, roleHint } from './index';
import type { Actor } from '../platform/policy';

let db: Db;
let mId: number;
const users: Record<string, number> = {};

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-hints-'));
	db = openDatabase(join(dir, 't.db'));
	writeTx(db, (tx) => {
		mId = tx
			.insert(municipalities)
			.values({
				slug: 'h',
				ubigeo: '080196',
				name: 'H',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get().id;
		const people: [string, string, 'admin' | 'official'][] = [
			['rosa', 'Rosa Quispe Huamán', 'admin'],
			['ana', 'Ana Ccori Mamani', 'admin'],
			['edwin', 'Edwin Ccorimanya', 'official']
		];
		people.forEach(([key, fullName, role], i) => {
			const { user } = createAccount(tx, mId, {
				fullName,
				dni: String(70000100 + i),
				birthDate: '1980-01-01',
				email: null,
				passwordHash: 'x',
				locale: 'es'
			});
			users[key] = user.id;
			grantRoleInTx(tx, null, mId, user.id, role);
		});
	});
});

const as = (key: string, roles: string[]): Actor =>
	({ userId: users[key], personId: 0, municipalityId: mId, roles: new Set(roles), verified: true }) as Actor;

describe('role hints on a refused page', () => {
	it('names the needed role and the administrators who can grant it', () => {
		const h = roleHint(db, mId, as('edwin', ['official']), ['technical']);
		expect(h).toEqual({ roles: ['technical'], admins: ['Ana Ccori Mamani', 'Rosa Quispe Huamán'], selfGrant: false });
	});
	it('tells an administrator she can grant it herself', () => {
		expect(roleHint(db, mId, as('rosa', ['admin']), ['technical']).selfGrant).toBe(true);
		// Someone from elsewhere, or nobody logged in, is not offered that.
		expect(roleHint(db, mId, null, ['technical']).selfGrant).toBe(false);
		expect(roleHint(db, mId, { ...as('rosa', ['admin']), municipalityId: mId + 1 }, ['technical']).selfGrant).toBe(
			false
		);
	});
	it('ignores unknown role codes and leaves out revoked administrators', () => {
		expect(roleHint(db, mId, null, ['technical', 'mayor']).roles).toEqual(['technical']);
		revokeRole(db, as('rosa', ['admin']), mId, users.ana, 'admin');
		expect(roleHint(db, mId, null, ['admin']).admins).toEqual(['Rosa Quispe Huamán']);
	});
});
