import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openDatabase, useDatabase, type Db } from '../../src/lib/server/db/client';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createAccount } from '../../src/lib/server/accounts';
import { grantRoleInTx } from '../../src/lib/server/roles';
import { appendAudit } from '../../src/lib/server/platform/audit';
import { dniHmac } from '../../src/lib/server/platform/secret';
import { writeTx } from '../../src/lib/server/db/client';
import { municipalities, persons, zones, type Role } from '../../src/lib/server/db/schema/index';
import { dniCheckCharacters } from '../../src/lib/domain/dni';
import { eq } from 'drizzle-orm';

export { expect };

let db: Db | undefined;
/** The same SQLite file the server under test uses. */
export function testDb(): Db {
	if (!db) {
		db = openDatabase(process.env.E2E_DB!);
		useDatabase(db);
	}
	return db;
}

let dniCounter = 0;
/** A fresh valid DNI (with check digit) unique within this test process. */
export function freshDni(): { digits: string; full: string } {
	const digits = String(10_000_000 + ((process.pid * 7919 + dniCounter++ * 104_729 + Date.now()) % 89_999_999));
	return { digits, full: `${digits}-${dniCheckCharacters(digits)[0]}` };
}

export const PASSWORD = 'clave-segura-2026';

export interface SeededPerson {
	userId: number;
	personId: number;
	dni: string;
	fullName: string;
}

export interface SeededMunicipality {
	id: number;
	slug: string;
	zones: { id: number; code: string; name: string }[];
	/** Log-in identifier (DNI) → person, by role name. */
	people: Record<string, SeededPerson>;
}

/**
 * Creates a municipality straight in the database (one per spec, so specs do not step on each other):
 * zones, one account per role, and verified residents. Returns what the spec needs to log in.
 */
export async function seedMunicipality(opts: {
	ubigeo: string;
	name: string;
	zones?: [string, string][];
	residents?: number;
	roles?: Role[];
}): Promise<SeededMunicipality> {
	const d = testDb();
	const passwordHash = await hashPassword(PASSWORD);
	const slug = `${opts.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
	return writeTx(d, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug,
				ubigeo: `${opts.ubigeo}`,
				name: opts.name,
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				defaultLocale: 'es',
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId: m.id,
			actorUserId: null,
			type: 'municipality.created',
			payload: { ubigeo: m.ubigeo, seeded: true }
		});
		const zs = (
			opts.zones ?? [
				['Z1', 'Sector Norte'],
				['Z2', 'Sector Sur']
			]
		).map(([code, name]) =>
			tx.insert(zones).values({ municipalityId: m.id, code, name, createdAt: Date.now() }).returning().get()
		);
		const people: Record<string, SeededPerson> = {};
		const make = (key: string, fullName: string, role: Role | null, verified: boolean, zoneId: number | null) => {
			const dni = freshDni();
			const { person, user } = createAccount(tx, m.id, {
				fullName,
				dni: dni.digits,
				birthDate: '1985-05-05',
				email: null,
				passwordHash,
				locale: 'es'
			});
			if (verified)
				tx.update(persons)
					.set({ verifiedAt: Date.now(), verifiedMethod: 'in_person', zoneId })
					.where(eq(persons.id, person.id))
					.run();
			if (role) grantRoleInTx(tx, null, m.id, user.id, role);
			people[key] = { userId: user.id, personId: person.id, dni: dni.full, fullName };
		};
		for (const role of opts.roles ?? (['admin', 'official', 'technical', 'council_secretary', 'auditor'] as Role[]))
			make(role, `${role} ${opts.name}`, role, true, zs[0].id);
		for (let i = 0; i < (opts.residents ?? 3); i++)
			make(`resident${i}`, `Vecino ${i} ${opts.name}`, null, true, zs[i % zs.length].id);
		make('unverified', `Sin Verificar ${opts.name}`, null, false, null);
		return { id: m.id, slug, zones: zs.map((z) => ({ id: z.id, code: z.code, name: z.name })), people };
	});
}

export async function logIn(page: Page, slug: string, person: SeededPerson) {
	await page.goto(`/${slug}/login`);
	await page.getByLabel(/DNI o correo|DNI utaq correo/).fill(person.dni);
	await page.getByLabel(/^(Contraseña|Yaykuna rima)$/).fill(PASSWORD);
	await page.getByRole('button', { name: /^(Ingresar|Yaykuy)$/ }).click();
	await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** Axe on the current page: no serious or critical violations. Needs JavaScript enabled in the page (axe runs in it). */
export async function expectAccessible(page: Page) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map(
			(v) =>
				`${v.id}: ${v.help} (${v.nodes
					.map((n) => n.target.join(' '))
					.slice(0, 3)
					.join(', ')})`
		)
	).toEqual([]);
}

/**
 * Every page a test opens is watched for Content-Security-Policy violations (svelte.config.js `kit.csp`): a script,
 * style, worker or image the policy blocks fails the test that loaded it, so every walk also checks the policy.
 */
export const test = base.extend<{ cspGuard: void }>({
	cspGuard: [
		async ({ page }, use) => {
			const blocked: string[] = [];
			page.on('console', (msg) => {
				if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) blocked.push(msg.text());
			});
			await use();
			expect(blocked, 'Content-Security-Policy violations').toEqual([]);
		},
		{ auto: true }
	]
});
export { dniHmac };
