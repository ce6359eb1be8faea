/**
 * The newcomer's walk (issue 14): a first-time official, on a municipality she sets up herself, runs a whole round to
 * a published result by following what the pages offer — the round form's steps, the round's checklist and its
 * links, the confirmation pages, the role hint. Run twice: with JavaScript (newcomer-walk.spec.ts, with axe on the
 * new pages) and without (newcomer-walk-nojs.spec.ts). The resident's account and proposal are seeded through the
 * server modules (the resident's own pages have their own specs); the resident votes through the pages.
 */
import { eq } from 'drizzle-orm';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, freshDni, logIn, PASSWORD, seedMunicipality, testDb } from './fixtures';
import { createAccount } from '../../src/lib/server/accounts';
import { getMunicipalityBySlug } from '../../src/lib/server/municipalities';
import { submitProposal } from '../../src/lib/server/proposals';
import { hashPassword } from '../../src/lib/server/auth/password';
import { writeTx } from '../../src/lib/server/db/client';
import { persons, rounds, users, zones } from '../../src/lib/server/db/schema/index';
import { limaToday } from '../../src/lib/domain/clock';

const day = (offset: number) => {
	const d = new Date(`${limaToday()}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + offset);
	return d.toISOString().slice(0, 10);
};

export async function newcomerWalk(page: Page, opts: { ubigeo: string; hostUbigeo: string; axe: boolean }) {
	const axe = opts.axe ? () => expectAccessible(page) : async () => {};
	const db = testDb();

	// 0. Setup. The installation already serves another municipality; its installation administrator adds this one.
	const host = await seedMunicipality({ ubigeo: opts.hostUbigeo, name: `Anfitriona ${opts.ubigeo}`, roles: ['admin'] });
	db.update(users).set({ installationAdminAt: Date.now() }).where(eq(users.id, host.people.admin.userId)).run();
	await logIn(page, host.slug, host.people.admin);
	await page.goto(`/setup?ubigeo=${opts.ubigeo}`);
	const me = { dni: freshDni(), fullName: 'Rosa Newcomer Quispe' };
	await page.getByLabel('Nombres y apellidos').fill(me.fullName);
	await page.getByLabel('DNI').fill(me.dni.full);
	await page.getByLabel('Fecha de nacimiento').fill('1982-04-09');
	await page.getByLabel(/^Contraseña/).fill(PASSWORD);
	await page.getByLabel('Repita la contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Crear municipalidad' }).click();
	await expect(page).toHaveURL(/\/login\?created=1$/);
	const slug = new URL(page.url()).pathname.split('/')[1];
	await page.context().clearCookies();
	await logIn(page, slug, { dni: me.dni.full, fullName: me.fullName, userId: 0, personId: 0 });
	const m = getMunicipalityBySlug(db, slug)!;

	// 1. Zones, from the administration's home.
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: 'Zonas', exact: true }).click();
	for (const [code, name] of [
		['Z1', 'Barrio Alto'],
		['Z2', 'Barrio Bajo']
	]) {
		await page.getByLabel(/^Código de zona/).fill(code);
		await page.getByLabel('Nombre de la zona', { exact: true }).fill(name);
		await page.getByRole('button', { name: 'Agregar zona' }).click();
		await expect(page.getByRole('status')).toContainText(name);
	}

	// 2. Census: one resident (she votes below) and a neighbour.
	const resident = freshDni();
	const neighbour = freshDni();
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: 'Padrón municipal' }).click();
	await page.getByLabel(/^Archivo CSV/).setInputFiles({
		name: 'padron.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(
			`dni,fecha_nacimiento,zona\n${resident.digits},1990-08-15,Z1\n${neighbour.digits},1975-01-01,Z2\n`
		)
	});
	await page.getByRole('button', { name: 'Revisar antes de importar' }).click();
	await page.getByRole('button', { name: 'Importar las filas correctas' }).click();
	await expect(page.getByText('Importadas: 2.')).toBeVisible();

	// 3. The round, from the standard template, in four steps.
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: 'Procesos del presupuesto participativo' }).click();
	await page.getByRole('link', { name: 'Con la plantilla estándar' }).click();
	await expect(page.getByLabel('Título (castellano)')).toHaveValue(/^Presupuesto Participativo \d{4}$/);
	await axe();
	await page.getByLabel('Techo presupuestal (S/)').fill('900 000');
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	await expect(page.getByRole('status')).toContainText('Proceso creado como borrador');
	// Step 2: a split that does not add up is refused, with both sums; then the right one.
	await page.getByLabel('Parte para todo el distrito (S/)').fill('300 000');
	await page.getByLabel('Parte de la zona Barrio Alto (S/)').fill('300 000');
	await page.getByLabel('Parte de la zona Barrio Bajo (S/)').fill('200 000');
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	await expect(page.getByRole('alert')).toContainText('900000.00');
	await page.getByLabel('Parte de la zona Barrio Bajo (S/)').fill('300 000');
	await axe();
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	// Step 3: the calendar — intake and evaluation now, voting next week (the checklist will stop her there).
	const dates: [string, string, string][] = [
		['Preparación', '', ''],
		['Propuestas', day(0), day(0)],
		['Evaluación técnica', day(0), day(0)],
		['Votación', day(7), day(14)],
		['Resultados', day(15), day(20)],
		['Formalización', day(21), day(30)],
		['Seguimiento', day(31), day(365)]
	];
	for (const [phase, start, end] of dates) {
		await page.getByLabel(`Inicio de ${phase}`).fill(start);
		await page.getByLabel(`Fin de ${phase}`).fill(end);
	}
	await axe();
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	await expect(page.getByRole('status')).toContainText('Paso «Cronograma» guardado.');
	// Step 4: the template's rules as they come.
	await expect(page.getByLabel('Tipo de cédula')).toHaveValue('approval');
	await axe();
	await page.getByRole('button', { name: 'Guardar y terminar' }).click();
	await expect(page.getByRole('status')).toContainText('Los cuatro pasos están guardados.');
	const round = db.select().from(rounds).where(eq(rounds.municipalityId, m.id)).get()!;
	expect(round.phase).toBe('preparacion');

	// 4. Open intake through its confirmation page.
	await page.getByRole('link', { name: 'Pasar a «Propuestas»' }).click();
	await page.getByRole('button', { name: 'Confirmar: pasar a «Propuestas»' }).click();
	await expect(page.getByRole('status')).toContainText('El proceso pasó a la fase «Propuestas».');

	// The resident has an account (verified by the census) and proposes.
	const zoneAlto = db.select().from(zones).where(eq(zones.municipalityId, m.id)).all()[0];
	const passwordHash = await hashPassword(PASSWORD);
	const account = writeTx(db, (tx) => {
		const a = createAccount(tx, m.id, {
			fullName: 'Juana Mamani Ccori',
			dni: resident.digits,
			birthDate: '1990-08-15',
			email: null,
			passwordHash,
			locale: 'es'
		});
		tx.update(persons)
			.set({ verifiedAt: Date.now(), verifiedMethod: 'census', zoneId: zoneAlto.id })
			.where(eq(persons.id, a.person.id))
			.run();
		return a;
	});
	const residentActor = {
		userId: account.user.id,
		personId: account.person.id,
		municipalityId: m.id,
		roles: new Set<never>(),
		verified: true
	};
	submitProposal(
		db,
		residentActor,
		m.id,
		round.id,
		{
			originalLocale: 'es',
			title: 'Agua potable para Barrio Alto',
			description: 'Red de agua para cuarenta familias.',
			category: 'water_sanitation',
			zoneId: null,
			estimatedCostCents: 250_000_00,
			beneficiaries: 160,
			latitude: null,
			longitude: null
		},
		[]
	);

	// 5. Close intake. The confirmation page warns that nobody holds the technical team's role.
	await page.reload();
	await page.getByRole('link', { name: 'Pasar a «Evaluación técnica»' }).click();
	await expect(page.getByText('Nadie tiene el rol «Equipo técnico»')).toBeVisible();
	await page.getByRole('button', { name: 'Confirmar: pasar a «Evaluación técnica»' }).click();
	await expect(page.getByRole('status')).toContainText('El proceso pasó a la fase «Evaluación técnica».');

	// 6. The checklist: a proposal waits for its evaluation. Its link leads to the proposals; the proposal page says
	// which role evaluates and that she, an administrator, can grant it to herself.
	await page.getByRole('link', { name: 'Ir a las propuestas' }).first().click();
	await page
		.getByRole('link', { name: /Agua potable para Barrio Alto/ })
		.first()
		.click();
	await expect(page.getByText('Para esto se necesita el rol «Equipo técnico».')).toBeVisible();
	await axe();
	await page.getByRole('link', { name: 'Ir a «Roles y permisos»' }).click();
	await page.getByLabel(/^DNI o correo electrónico/).fill(me.dni.full);
	await page.getByLabel('Rol', { exact: true }).selectOption('technical');
	await page.getByRole('button', { name: 'Otorgar' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	// Back through the municipality's home: each open round with its next step, and the checklist's link again.
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: round.titleEs }).click();
	await page.getByRole('link', { name: 'Ir a las propuestas' }).first().click();
	await page
		.getByRole('link', { name: /Agua potable para Barrio Alto/ })
		.first()
		.click();
	await page.getByLabel('Viable', { exact: true }).check();
	await page.getByRole('button', { name: 'Guardar evaluación' }).click();
	await expect(page.getByRole('status')).toHaveText('Evaluación guardada.');

	// 7. Voting: the checklist blocks (voting starts next week) and warns (no station, no translation, …).
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: round.titleEs }).click();
	await page.getByRole('link', { name: 'Pasar a «Votación»' }).click();
	await expect(page.getByText('La votación empieza el')).toBeVisible();
	await expect(page.getByText('No hay ninguna mesa de votación')).toBeVisible();
	await expect(page.getByRole('button', { name: /^Confirmar/ })).toHaveCount(0);
	await axe();
	// The blocking item's link: the timetable step, saved straight back to the checklist.
	await page.getByRole('link', { name: 'Corregir el cronograma' }).click();
	await page.getByLabel('Inicio de Votación').fill(day(0));
	await page.getByRole('button', { name: 'Guardar y volver a la lista' }).click();
	await expect(page.getByRole('status')).toContainText('Paso «Cronograma» guardado.');
	await page.getByRole('link', { name: 'Pasar a «Votación»' }).click();
	await expect(page.getByText('No se puede deshacer.').first()).toBeVisible();
	await page.getByRole('button', { name: 'Confirmar: pasar a «Votación»' }).click();
	await expect(page.getByRole('status')).toContainText('El proceso pasó a la fase «Votación».');

	// 8. The resident votes.
	await page.context().clearCookies();
	await logIn(page, slug, { dni: resident.full, fullName: 'Juana Mamani Ccori', userId: 0, personId: 0 });
	await page.getByRole('link', { name: 'Votar ahora' }).click();
	await page.getByLabel(/Agua potable para Barrio Alto/).check();
	await page.getByRole('button', { name: 'Revisar mi voto' }).click();
	await page.getByRole('button', { name: 'Confirmar y votar' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Voto registrado');

	// 9. Close voting now, compute, publish.
	await page.context().clearCookies();
	await logIn(page, slug, { dni: me.dni.full, fullName: me.fullName, userId: 0, personId: 0 });
	await page.getByRole('link', { name: 'Gestión' }).click();
	// with JavaScript the click navigates on the client: wait for the admin home before looking for its links
	await page.waitForURL(new RegExp(`/${slug}/admin$`));
	await page.getByRole('link', { name: round.titleEs }).click();
	await page.getByLabel('Motivo del cierre').fill('Acuerdo del CCL: cierre anticipado');
	await page.getByRole('button', { name: 'Cerrar la votación ahora' }).click();
	await page.getByRole('link', { name: 'Calcular y publicar el resultado' }).first().click();
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	await page.getByLabel('Revisé el orden de cada presupuesto y quiero publicarlo.').check();
	await page.getByRole('button', { name: 'Publicar la versión 1' }).click();
	await expect(page.getByRole('status')).toHaveText('Versión 1 publicada.');

	// The published result, as anyone sees it.
	await page.context().clearCookies();
	await page.goto(`/${slug}/rounds/${round.id}/results`);
	await expect(page.getByRole('row', { name: /Agua potable para Barrio Alto/ }).first()).toContainText('financiado');
}
