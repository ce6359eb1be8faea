import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import {
	test,
	expect,
	seedMunicipality,
	logIn,
	expectAccessible,
	testDb,
	freshDni,
	type SeededMunicipality
} from './fixtures';
import { rounds, proposals, proposalPhotos } from '../../src/lib/server/db/schema/index';
import { auditEventsOfType } from '../../src/lib/server/platform/audit';
import { submitProposal } from '../../src/lib/server/proposals';
import { countRows } from '../../src/lib/server/db/client';
import { minimalPdf } from '../support/pdf';

const PDF = minimalPdf('ordenanza');
const png = () =>
	sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7' } })
		.png()
		.withMetadata({ exif: { IFD0: { Artist: 'Secret Name' } } })
		.toBuffer();

async function logOut(page: import('@playwright/test').Page, slug: string) {
	await page.context().clearCookies();
	await page.goto(`/${slug}`);
}

/** Step 1 of the round form (ordinance and budget), filled but not sent. */
async function createRound(page: import('@playwright/test').Page, slug: string) {
	await page.goto(`/${slug}/admin/rounds/new`);
	await page.getByLabel('Año fiscal').fill('2027');
	await page.getByLabel('Título (castellano)').fill('Presupuesto Participativo 2027');
	await page.getByLabel('Título (quechua)').fill('Presupuesto Participativo 2027 (llaqtawan qullqi rakinakuy)');
	await page.getByLabel('Número de ordenanza').fill('004-2026-MDS');
	await page.getByLabel('Fecha de la ordenanza').fill('2026-02-14');
	await page.getByLabel('Techo presupuestal (S/)').fill('1 234 567,50');
}

/** Steps 2–4: split, timetable, rules (kept as they come), each saved on the way. */
async function finishRoundSteps(page: import('@playwright/test').Page, m: SeededMunicipality) {
	const next = page.getByRole('button', { name: 'Guardar y seguir' });
	await page.getByLabel('Parte para todo el distrito (S/)').fill('234567.50');
	await page.getByLabel(`Parte de la zona ${m.zones[0].name} (S/)`).fill('500 000');
	await page.getByLabel(`Parte de la zona ${m.zones[1].name} (S/)`).fill('500000');
	await next.click();
	await expect(page.getByRole('status')).toContainText('Paso «Zonas y reparto del presupuesto» guardado.');
	await page.getByLabel('Inicio de Propuestas').fill('2027-03-01');
	await page.getByLabel('Fin de Propuestas').fill('2027-04-30');
	await page.getByLabel('Inicio de Votación').fill('2027-06-01');
	await page.getByLabel('Fin de Votación').fill('2027-06-15');
	await next.click();
	await expect(page.getByRole('status')).toContainText('Paso «Cronograma» guardado.');
	await page.getByRole('button', { name: 'Guardar y terminar' }).click();
	await expect(page.getByRole('status')).toContainText('Los cuatro pasos están guardados.');
}

test('official opens a round, resident proposes in Quechua, technical team evaluates, public list in both languages', async ({
	page
}) => {
	test.setTimeout(300_000); // several axe passes on a phone viewport and the four steps of the round form, on a loaded machine
	const m = await seedMunicipality({ ubigeo: '080105', name: 'Santiago Rounds' });
	const db = testDb();
	await logIn(page, m.slug, m.people.official);

	// A "PDF" that is not a PDF: refused, translated, nothing created.
	await createRound(page, m.slug);
	await page.locator('#ordinance').setInputFiles({
		name: 'ordenanza.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from('MZ this is an executable')
	});
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	await expect(page.getByRole('alert')).toHaveText('El archivo no es un PDF. Suba el documento en formato PDF.');
	expect(countRows(db, rounds, eq(rounds.municipalityId, m.id))).toBe(0);
	// The form kept what was typed.
	await expect(page.getByLabel('Techo presupuestal (S/)')).toHaveValue('1 234 567,50');

	await page.locator('#ordinance').setInputFiles({ name: 'ordenanza.pdf', mimeType: 'application/pdf', buffer: PDF });
	await page.getByRole('button', { name: 'Guardar y seguir' }).click();
	// Created as a draft; the next steps are saved one by one.
	await expect(page.getByRole('status')).toContainText('Proceso creado como borrador');
	await expectAccessible(page);
	await finishRoundSteps(page, m);
	const round = db.select().from(rounds).where(eq(rounds.municipalityId, m.id)).get()!;
	expect(round.budgetCents).toBe(123_456_750);
	expect(round.ordinanceSha256).toMatch(/^[0-9a-f]{64}$/);

	// Voting cannot open yet; intake can.
	// The phase change goes through its confirmation page: what it opens, what is missing (no census: a warning).
	await page.getByRole('link', { name: 'Pasar a «Propuestas»' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pasar a «Propuestas»');
	await expect(page.getByText('Los vecinos verificados pueden presentar propuestas.')).toBeVisible();
	await expect(page.getByText('No hay padrón cargado')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Confirmar: pasar a «Propuestas»' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'El proceso pasó a la fase «Propuestas».' })).toBeVisible();
	expect(auditEventsOfType(db, m.id, 'round.phaseChanged').length).toBe(1);
	await expectAccessible(page);
	// The matrix starts from the default; an agent is registered (public register without DNI).
	await page.getByRole('link', { name: 'Matriz de criterios de priorización' }).click();
	await expect(page.getByLabel('Nombre (castellano)').first()).toHaveValue('Dentro de la competencia municipal');
	await expectAccessible(page);
	// Bands are rows, not a text syntax: change one, save, see it kept.
	const band = page.getByLabel('Puntos, banda 1 de Población beneficiada');
	await expect(band).toHaveValue('20');
	await band.fill('22');
	await page.getByRole('button', { name: 'Guardar matriz' }).click();
	await expect(page.getByRole('status')).toHaveText('Matriz guardada.');
	await expect(band).toHaveValue('22');
	await page.goto(`/${m.slug}/admin/rounds/${round.id}/agents`);
	await page.getByLabel('Nombres y apellidos').fill('Rosa Huamán Quispe');
	const agentDni = freshDni();
	await page.getByLabel(/^DNI/).fill(agentDni.full);
	await page.getByLabel('Organización que representa').fill('Vaso de Leche Sector Norte');
	await page
		.locator('#accreditation')
		.setInputFiles({ name: 'acreditacion.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf') });
	await page.getByRole('button', { name: 'Registrar', exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText('El archivo no es un PDF. Suba el documento en formato PDF.');
	await page
		.locator('#accreditation')
		.setInputFiles({ name: 'acreditacion.pdf', mimeType: 'application/pdf', buffer: PDF });
	await page.getByRole('button', { name: 'Registrar', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('Rosa Huamán Quispe');
	await expectAccessible(page);

	// A resident posting to the official's action: refused, translated, phase unchanged.
	await logOut(page, m.slug);
	await logIn(page, m.slug, m.people.resident0);
	const res = await page.request.post(`/${m.slug}/admin/rounds/${round.id}/phase/evaluacion`, {
		form: {},
		headers: { origin: new URL(page.url()).origin }
	});
	expect(res.status()).toBe(403);
	const refusal = await res.text();
	expect(refusal).toContain('Su cuenta no tiene permiso para esto.');
	// The role hint: which roles would allow it, and who in this municipality can grant them.
	expect(refusal).toContain('Para esto se necesita uno de estos roles: «Administrador», «Funcionario».');
	expect(refusal).toContain('Pueden otorgarlo los administradores de esta municipalidad: admin Santiago Rounds.');
	expect(db.select().from(rounds).where(eq(rounds.id, round.id)).get()!.phase).toBe('propuestas');

	// Public round page: phase, timetable, ordinance with its hash, budget.
	await page.goto(`/${m.slug}/rounds/${round.id}`);
	await expect(page.getByRole('heading', { name: 'Presupuesto Participativo 2027' })).toBeVisible();
	await expect(page.getByText(round.ordinanceSha256!)).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Rosa Huamán Quispe' })).toBeVisible();
	expect(await page.content()).not.toContain(agentDni.digits);
	await expectAccessible(page);
	await expect(page.getByText('S/ 1,234,567.50').first()).toBeVisible();
	const pdf = await page.request.get(`/${m.slug}/rounds/${round.id}/ordinance`);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

	// The resident proposes, in Quechua.
	await page.getByRole('link', { name: 'Presentar una propuesta' }).click();
	await expectAccessible(page);
	await page.getByLabel('Quechua').check();
	await page.getByLabel('Título de la propuesta').fill('Yaku qarpana ñan');
	await page.getByLabel(/^Descripción/).fill("Ch'aki Pampa chakrakunapaq yaku qarpana ñanta ruway.");
	await page.getByLabel('Categoría').selectOption('productive');
	await page.getByLabel('Zona').selectOption(String(m.zones[0].id));
	await page.getByLabel('Personas beneficiadas').fill('350');
	const submit = page.getByRole('button', { name: 'Enviar propuesta' });

	await page.getByLabel(/^Costo estimado/).fill('-5000');
	await submit.click();
	await expect(page.getByRole('alert')).toHaveText('El costo debe ser mayor que cero.');
	await page.getByLabel(/^Costo estimado/).fill('500 000,01');
	await submit.click();
	await expect(page.getByRole('alert')).toHaveText(
		'El costo supera el presupuesto disponible para esa zona (S/ 500,000.00).'
	);
	await page.getByLabel(/^Costo estimado/).fill('120 000');
	await page
		.locator('#photos')
		.setInputFiles({ name: 'grande.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(30 * 1024 * 1024, 1) });
	// Refused on the phone before uploading (JavaScript on); the server refuses it too (unit-tested).
	await expect(
		page.getByRole('alert').filter({ hasText: 'La foto «grande.jpg» es demasiado grande (máximo 8 MB por foto).' })
	).toBeVisible();
	expect(await page.locator('#photos').evaluate((el: HTMLInputElement) => el.files?.length)).toBe(0);
	expect(countRows(db, proposals, eq(proposals.roundId, round.id))).toBe(0);

	await page.locator('#photos').setInputFiles({ name: 'chakra.png', mimeType: 'image/png', buffer: await png() });
	await submit.click();
	await expect(page.getByRole('status')).toContainText('N.º 1');
	await expect(page.getByRole('heading', { name: 'Yaku qarpana ñan' })).toHaveAttribute('lang', 'qu');
	const p1 = db.select().from(proposals).where(eq(proposals.roundId, round.id)).get()!;
	expect(p1.originalLocale).toBe('qu');
	const photo = db.select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, p1.id)).get()!;
	const served = await page.request.get(`/${m.slug}/photos/${photo.id}`);
	expect(served.headers()['content-type']).toBe('image/jpeg');
	const meta = await sharp(await served.body()).metadata();
	expect(meta.format).toBe('jpeg');
	expect(meta.exif).toBeUndefined();

	// A second proposal, straight through the module (another resident).
	const r1 = m.people.resident1;
	const p2 = submitProposal(
		db,
		{ userId: r1.userId, personId: r1.personId, municipalityId: m.id, roles: new Set(), verified: true },
		m.id,
		round.id,
		{
			originalLocale: 'es',
			title: 'Estadio municipal',
			description: 'Un estadio para 5 000 personas.',
			category: 'culture_sport',
			zoneId: null,
			estimatedCostCents: 200_000_00,
			beneficiaries: 5000,
			latitude: null,
			longitude: null
		},
		[]
	);

	// Technical team: one feasible with advisory scores, one not feasible with a reason.
	await logOut(page, m.slug);
	await logIn(page, m.slug, m.people.technical);
	await page.goto(`/${m.slug}/admin/rounds/${round.id}/proposals/${p1.id}`);
	await page.getByLabel('Viable', { exact: true }).check();
	await page.getByLabel('Código Único de Inversión (Invierte.pe)').fill('25123');
	await page.getByRole('button', { name: 'Guardar evaluación' }).click();
	await expect(page.getByRole('alert')).toHaveText('El Código Único de Inversión tiene 7 dígitos.');
	await page.getByLabel('Código Único de Inversión (Invierte.pe)').fill('2512345');
	await page.getByLabel('Población beneficiada').selectOption('10');
	await page.getByLabel('Dentro de la competencia municipal').selectOption('1');
	await page.getByRole('button', { name: 'Guardar evaluación' }).click();
	await expect(page.getByRole('status')).toHaveText('Evaluación guardada.');

	await page.goto(`/${m.slug}/admin/rounds/${round.id}/proposals/${p2.id}`);
	await page.getByLabel('No viable', { exact: true }).check();
	await page.getByRole('button', { name: 'Guardar evaluación' }).click();
	await expect(page.getByRole('alert')).toHaveText('Elija el motivo por el que no es viable.');
	await page.getByLabel(/^Motivo de no viabilidad/).selectOption('outside_competence');
	await page.getByRole('button', { name: 'Guardar evaluación' }).click();
	await expect(page.getByRole('status')).toHaveText('Evaluación guardada.');
	expect(auditEventsOfType(db, m.id, 'proposal.evaluated').length).toBe(2);
	await expectAccessible(page);

	// The public list shows both with their status, in Spanish and in Quechua.
	await logOut(page, m.slug);
	await page.goto(`/${m.slug}/rounds/${round.id}/proposals`);
	await expect(page.getByText('2 propuestas')).toBeVisible();
	const item1 = page.getByRole('listitem').filter({ hasText: 'Yaku qarpana ñan' });
	const item2 = page.getByRole('listitem').filter({ hasText: 'Estadio municipal' });
	await expect(item1.getByText('Viable', { exact: true })).toBeVisible();
	await expect(item2.getByText('No viable', { exact: true })).toBeVisible();
	await expect(item2.getByText('Fuera de la competencia municipal')).toBeVisible();
	await expectAccessible(page);
	// Filters and search, server-side.
	await page.getByLabel('Buscar').fill('estadio');
	await page.getByRole('button', { name: 'Filtrar' }).click();
	await expect(page.getByText('1 propuesta', { exact: true })).toBeVisible();

	await page.context().addCookies([{ name: 'minka_lang', value: 'qu', url: new URL(page.url()).origin }]);
	await page.goto(`/${m.slug}/rounds/${round.id}/proposals`);
	await expect(page.getByText('2 yuyaychay')).toBeVisible();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Yaku qarpana ñan' }).getByText('Atikunmanmi')
	).toBeVisible();
	await expect(
		page.getByRole('listitem').filter({ hasText: 'Estadio municipal' }).getByText('Mana atikunmanchu')
	).toBeVisible();
	await page.goto(`/${m.slug}/rounds/${round.id}/proposals/${p2.id}`);
	await expect(page.getByText('Municipalidadpa ruranan hawapi')).toBeVisible();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('a resident submits and edits a proposal with a photo', async ({ page }) => {
		const m = await seedMunicipality({ ubigeo: '080106', name: 'Santiago Nojs', roles: ['official'] });
		const db = testDb();
		const now = Date.now();
		const round = db
			.insert(rounds)
			.values({
				municipalityId: m.id,
				fiscalYear: 2027,
				titleEs: 'PP 2027',
				budgetCents: 500_000_00,
				phase: 'propuestas',
				rules: {
					ballot: { type: 'approval', maxChoices: 3 },
					voteScope: 'own_zone_and_wide',
					minAge: 16,
					decision: { rule: 'votes' },
					allocation: 'greedy',
					tieBreak: 'cost'
				},
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		await logIn(page, m.slug, m.people.resident0);
		await page.goto(`/${m.slug}/rounds/${round.id}/propose`);
		await page.getByLabel('Título de la propuesta').fill('Alumbrado del camino al mercado');
		await page.getByLabel(/^Descripción/).fill('Postes con luminarias LED en el camino peatonal.');
		await page.getByLabel('Categoría').selectOption('security');
		await page.getByLabel('Zona').selectOption('wide');
		await page.getByLabel(/^Costo estimado/).fill('abc');
		await page.getByLabel('Personas beneficiadas').fill('900');
		await page.getByRole('button', { name: 'Enviar propuesta' }).click();
		await expect(page.getByRole('alert')).toContainText('El monto no es válido');
		await page.getByLabel(/^Costo estimado/).fill('60 000');
		await page.getByLabel('Latitud').fill('-13.52');
		await page.getByLabel('Longitud').fill('-71.97');
		// Without JavaScript the server refuses an oversized photo, keeps what was typed, stores nothing.
		await page
			.locator('#photos')
			.setInputFiles({ name: 'enorme.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(9 * 1024 * 1024, 1) });
		await page.getByRole('button', { name: 'Enviar propuesta' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'La foto «enorme.jpg» es demasiado grande (máximo 8 MB por foto).'
		);
		await expect(page.getByLabel('Título de la propuesta')).toHaveValue('Alumbrado del camino al mercado');
		expect(countRows(db, proposals, eq(proposals.roundId, round.id))).toBe(0);
		await page.locator('#photos').setInputFiles({ name: 'poste.png', mimeType: 'image/png', buffer: await png() });
		await page.getByRole('button', { name: 'Enviar propuesta' }).click();
		await expect(page.getByRole('status')).toContainText('N.º 1');
		await page.getByRole('link', { name: 'Editar la propuesta' }).click();
		await page.getByLabel('Título de la propuesta').fill('Alumbrado público del camino al mercado');
		await page.getByRole('button', { name: 'Guardar cambios' }).click();
		await expect(page.getByRole('heading', { name: 'Alumbrado público del camino al mercado' })).toBeVisible();
		expect(auditEventsOfType(db, m.id, 'proposal.edited').length).toBe(1);
	});
});
