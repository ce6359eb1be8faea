import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { persons, roleGrants, users, ROLES, type Role } from '../db/schema/index';
import type { Actor } from '../platform/policy';

export interface RoleHint {
	/** The roles any one of which allows what was refused. */
	roles: Role[];
	/** Who in this municipality can grant them: its administrators, by name (staff act in office). */
	admins: string[];
	/** The person refused is an administrator: she can grant herself the role (a small municipality's usual case). */
	selfGrant: boolean;
}

/** Which role a refused page needs and who can grant it, from the refusal's role codes. */
export function roleHint(db: Db, municipalityId: number, actor: Actor | null, roleCodes: readonly string[]): RoleHint {
	const roles = ROLES.filter((r) => roleCodes.includes(r));
	const admins = db
		.select({ fullName: persons.fullName })
		.from(roleGrants)
		.innerJoin(users, eq(roleGrants.userId, users.id))
		.innerJoin(persons, eq(users.personId, persons.id))
		.where(
			and(eq(roleGrants.municipalityId, municipalityId), eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt))
		)
		.orderBy(asc(persons.fullName))
		.all()
		.map((r) => r.fullName);
	const selfGrant = !!actor && actor.municipalityId === municipalityId && actor.roles.has('admin');
	return { roles, admins: [...new Set(admins)], selfGrant };
}
