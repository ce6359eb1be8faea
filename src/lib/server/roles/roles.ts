import { and, asc, eq, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import { writeTx, type Db } from '../db/client';
import { persons, roleGrants, users, ROLES, type Role } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Everyone holding at least one role, with their active roles. Names only: staff act in office. */
export function listStaff(db: Db, actor: Actor | null, municipalityId: number) {
	authorize(actor, 'roles.manage', municipalityId);
	const rows = db
		.select({ userId: users.id, fullName: persons.fullName, role: roleGrants.role, grantedAt: roleGrants.grantedAt })
		.from(roleGrants)
		.innerJoin(users, eq(roleGrants.userId, users.id))
		.innerJoin(persons, eq(users.personId, persons.id))
		.where(and(eq(roleGrants.municipalityId, municipalityId), isNull(roleGrants.revokedAt)))
		.orderBy(asc(persons.fullName))
		.all();
	const byUser = new Map<number, { userId: number; fullName: string; roles: Role[] }>();
	for (const r of rows) {
		const entry = byUser.get(r.userId) ?? { userId: r.userId, fullName: r.fullName, roles: [] };
		entry.roles.push(r.role as Role);
		byUser.set(r.userId, entry);
	}
	return [...byUser.values()];
}

/** The account a DNI or e-mail names, for granting a role to someone who already signed up. */
export function findAccount(db: Db, municipalityId: number, identifier: string) {
	const id = identifier.trim();
	const where = id.includes('@')
		? and(eq(users.municipalityId, municipalityId), eq(users.email, id.toLowerCase()))
		: (() => {
				const digits = parseDniDigits(id);
				if (!digits) throw new UserError('dni.format');
				return and(eq(users.municipalityId, municipalityId), eq(persons.dniHmac, dniHmac(digits)));
			})();
	return db
		.select({ userId: users.id, fullName: persons.fullName })
		.from(users)
		.innerJoin(persons, eq(users.personId, persons.id))
		.where(where)
		.get();
}

export function grantRole(db: Db, actor: Actor | null, municipalityId: number, identifier: unknown, role: unknown) {
	authorize(actor, 'roles.manage', municipalityId);
	if (!isRole(role)) throw new UserError('role.unknown');
	const account = findAccount(db, municipalityId, typeof identifier === 'string' ? identifier : '');
	if (!account) throw new UserError('account.notFound', {}, 404);
	return writeTx(db, (tx) => grantRoleInTx(tx, actor, municipalityId, account.userId, role));
}

export function grantRoleInTx(tx: Db, actor: Actor | null, municipalityId: number, userId: number, role: Role) {
	const existing = tx
		.select()
		.from(roleGrants)
		.where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, role), isNull(roleGrants.revokedAt)))
		.get();
	if (existing) return existing;
	const grant = tx
		.insert(roleGrants)
		.values({ municipalityId, userId, role, grantedByUserId: actor?.userId ?? null, grantedAt: Date.now() })
		.returning()
		.get();
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor?.userId ?? null,
		type: 'role.granted',
		payload: { userId, role }
	});
	return grant;
}

export function revokeRole(db: Db, actor: Actor | null, municipalityId: number, userId: number, role: unknown) {
	authorize(actor, 'roles.manage', municipalityId);
	if (!isRole(role)) throw new UserError('role.unknown');
	writeTx(db, (tx) => {
		const grant = tx
			.select()
			.from(roleGrants)
			.where(
				and(
					eq(roleGrants.municipalityId, municipalityId),
					eq(roleGrants.userId, userId),
					eq(roleGrants.role, role),
					isNull(roleGrants.revokedAt)
				)
			)
			.get();
		if (!grant) throw new UserError('notFound', {}, 404);
		if (role === 'admin') {
			const admins = tx
				.select()
				.from(roleGrants)
				.where(
					and(eq(roleGrants.municipalityId, municipalityId), eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt))
				)
				.all();
			if (admins.length <= 1) throw new UserError('role.lastAdmin', {}, 409);
		}
		tx.update(roleGrants)
			.set({ revokedAt: Date.now(), revokedByUserId: actor.userId })
			.where(eq(roleGrants.id, grant.id))
			.run();
		appendAudit(tx, { municipalityId, actorUserId: actor.userId, type: 'role.revoked', payload: { userId, role } });
	});
}
