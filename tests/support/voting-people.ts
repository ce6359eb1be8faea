/** Test/bench helper: a municipality with zones and people (accounts) inserted directly, and actors for them. */
import { writeTx, type Db } from '../../src/lib/server/db/client';
import { municipalities, persons, zones, type Role } from '../../src/lib/server/db/schema/index';
import { createAccount } from '../../src/lib/server/accounts';
import { grantRoleInTx } from '../../src/lib/server/roles';
import { dniCheckCharacters } from '../../src/lib/domain/dni';
import type { Actor } from '../../src/lib/server/platform/policy';
import { eq } from 'drizzle-orm';

export interface Person {
	userId: number;
	personId: number;
	dni: string;
	actor: Actor;
}

let counter = 0;
export function testDni(): string {
	const digits = String(20_000_000 + ((process.pid * 131 + counter++ * 7_919) % 70_000_000));
	return `${digits}-${dniCheckCharacters(digits)[0]}`;
}

export function seedTown(db: Db, ubigeo: string) {
	return writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: `t-${ubigeo}-${Date.now().toString(36)}`,
				ubigeo,
				name: `Town ${ubigeo}`,
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				defaultLocale: 'es',
				createdAt: Date.now()
			})
			.returning()
			.get();
		const z1 = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Sector Norte', createdAt: Date.now() })
			.returning()
			.get();
		const z2 = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z2', name: 'Sector Sur', createdAt: Date.now() })
			.returning()
			.get();
		return { municipalityId: m.id, slug: m.slug, zones: [z1.id, z2.id] as [number, number] };
	});
}

export function seedPerson(
	db: Db,
	municipalityId: number,
	opts: {
		zoneId?: number | null;
		verified?: boolean;
		birthDate?: string;
		roles?: Role[];
		name?: string;
		passwordHash?: string;
	} = {}
): Person {
	const dni = testDni();
	return writeTx(db, (tx) => {
		const { person, user } = createAccount(tx, municipalityId, {
			fullName: opts.name ?? `Vecino ${dni}`,
			dni: dni.slice(0, 8),
			birthDate: opts.birthDate ?? '1980-01-01',
			email: null,
			passwordHash: opts.passwordHash ?? 'x',
			locale: 'es'
		});
		const verified = opts.verified ?? true;
		tx.update(persons)
			.set({
				zoneId: opts.zoneId ?? null,
				verifiedAt: verified ? Date.now() : null,
				verifiedMethod: verified ? 'in_person' : null
			})
			.where(eq(persons.id, person.id))
			.run();
		return {
			userId: user.id,
			personId: person.id,
			dni,
			actor: { userId: user.id, personId: person.id, municipalityId, roles: new Set(opts.roles ?? []), verified }
		};
	});
}

/** `n` officials of the municipality (zone `zoneId`), their role granted as an admin would (not only on the actor). */
export function seedOfficials(db: Db, municipalityId: number, zoneId: number, n: number): Person[] {
	const staff = Array.from({ length: n }, () => seedPerson(db, municipalityId, { roles: ['official'], zoneId }));
	writeTx(db, (tx) => {
		for (const s of staff) grantRoleInTx(tx, null, municipalityId, s.userId, 'official');
	});
	return staff;
}
