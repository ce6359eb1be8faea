import { extractText } from 'unpdf';
import { eq } from 'drizzle-orm';
import { test, expect, seedMunicipality, expectAccessible, testDb, type SeededMunicipality, logIn } from './fixtures';
import { seedVotedRound, closeVoting } from '../support/results-seed';
import { computeResults, publishResults } from '../../src/lib/server/results';
import { participantAgents, persons, rounds } from '../../src/lib/server/db/schema/index';
import { writeTx } from '../../src/lib/server/db/client';
import type { Actor } from '../../src/lib/server/platform/policy';
import { sealAgentDni } from '../../src/lib/server/platform/sealed';

test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
let roundId: number;
let ids: ReturnType<typeof seedVotedRound>['ids'];
const DNI_ROSA = '41234567';
const DNI_JUAN = '42345678';

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080113', name: 'Wanchaq Acta' });
	const db = testDb();
	const o = m.people.official;
	const official: Actor = {
		userId: o.userId,
		personId: o.personId,
		municipalityId: m.id,
		roles: new Set(['official']),
		verified: true
	};
	const seeded = seedVotedRound(db, {
		municipalityId: m.id,
		zoneId: m.zones[0].id,
		authorPersonId: m.people.resident0.personId
	});
	roundId = seeded.round.id;
	ids = seeded.ids;
	closeVoting(db, roundId);
	computeResults(db, official, m.id, roundId);
	publishResults(db, official, m.id, roundId, 1);
	writeTx(db, (tx) => {
		const add = (fullName: string, organisation: string, dni: string, hasVote: boolean) => {
			const p = tx
				.insert(persons)
				.values({
					municipalityId: m.id,
					fullName,
					phone: '984123456',
					email: `${dni}@correo.pe`,
					createdAt: Date.now()
				})
				.returning()
				.get();
			tx.insert(participantAgents)
				.values({
					municipalityId: m.id,
					roundId,
					personId: p.id,
					organisation,
					...sealAgentDni(dni),
					hasVote,
					gender: 'f',
					language: 'qu',
					registeredAt: Date.now()
				})
				.run();
		};
		add('Rosa Quispe Mamani', 'Club de Madres Santa Rosa', DNI_ROSA, true);
		add('Juan Huamán Ccori', 'Junta Vecinal Sector Norte', DNI_JUAN, true);
	});
});

const text = async (body: Buffer) =>
	(await extractText(new Uint8Array(body), { mergePages: true })).text.replace(/\s+/g, ' ');

test('an official drafts the acta, issues it in Formalización, uploads the signed scan; the public gets es/qu PDFs without DNIs', async ({
	page,
	request
}) => {
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/acta`, { waitUntil: 'networkidle' });
	await expect(page.getByRole('heading', { level: 1, name: 'Acta de Acuerdos y Compromisos' })).toBeVisible();
	// Phase Resultados: drafting yes, issuing not yet.
	await expect(page.getByText('El proceso está en la fase «Resultados»')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Emitir el acta para la firma' })).toHaveCount(0);
	await expect(page.getByRole('row', { name: /Agua potable para Larapa/ })).toContainText('30');

	await page.getByLabel('Fecha de la firma').fill('2027-02-15');
	await page.getByLabel('Lugar', { exact: true }).fill('Auditorio municipal de Wanchaq');
	await page.getByRole('button', { name: 'Guardar fecha y lugar' }).click();
	await expect(page.getByText('Fecha y lugar guardados.')).toBeVisible();

	// Co-financing: a bad amount is refused clearly and changes nothing.
	await page.getByLabel('Proyecto', { exact: true }).selectOption({ label: 'N.º 1. Agua potable para Larapa' });
	await page.getByLabel('Fuente del cofinanciamiento').fill('Gobierno Regional del Cusco');
	await page.getByLabel('Monto del cofinanciamiento (S/)').fill('quince mil');
	await page.getByRole('button', { name: 'Agregar cofinanciamiento' }).click();
	await expect(page.getByRole('alert')).toContainText('El monto no es válido');
	await expect(page.getByRole('row', { name: /Agua potable para Larapa/ })).toContainText('Sin cofinanciamiento');
	await expect(page.getByLabel('Fuente del cofinanciamiento')).toHaveValue('Gobierno Regional del Cusco');
	await page.getByLabel('Monto del cofinanciamiento (S/)').fill('15 000');
	await page.getByRole('button', { name: 'Agregar cofinanciamiento' }).click();
	await expect(page.getByText('Cofinanciamiento agregado.')).toBeVisible();
	await expect(page.getByRole('row', { name: /Agua potable para Larapa/ })).toContainText(
		'Gobierno Regional del Cusco'
	);
	await expect(page.getByRole('row', { name: /Agua potable para Larapa/ })).toContainText('45');

	await page.getByLabel('Tipo de actor').selectOption({ label: 'Municipalidad' });
	await page.getByLabel('Actor (institución u organización)').fill('Municipalidad Distrital de Wanchaq');
	await page.getByLabel('Compromiso', { exact: true }).fill('Incluir los proyectos priorizados en el PIA 2027.');
	await page.getByRole('button', { name: 'Agregar compromiso' }).click();
	await expect(page.getByText('Compromiso agregado.')).toBeVisible();
	await page.getByLabel('Tipo de actor').selectOption({ label: 'Organización de la sociedad civil' });
	await page.getByLabel('Actor (institución u organización)').fill('Club de Madres Santa Rosa');
	await page.getByLabel('Compromiso', { exact: true }).fill('Aportar faenas comunales para la obra de agua.');
	await page.getByRole('button', { name: 'Agregar compromiso' }).click();
	await expect(page.getByText('Compromiso agregado.')).toBeVisible();

	await page
		.getByLabel('Agente participante')
		.selectOption({ label: 'Rosa Quispe Mamani — Club de Madres Santa Rosa' });
	await page.getByLabel('Cargo en el comité').selectOption({ label: 'Presidente(a)' });
	await page.getByRole('button', { name: 'Agregar al comité' }).click();
	await expect(page.getByText('Miembro agregado al comité.')).toBeVisible();
	// A second president is refused.
	await page
		.getByLabel('Agente participante')
		.selectOption({ label: 'Juan Huamán Ccori — Junta Vecinal Sector Norte' });
	await page.getByLabel('Cargo en el comité').selectOption({ label: 'Presidente(a)' });
	await page.getByRole('button', { name: 'Agregar al comité' }).click();
	await expect(page.getByRole('alert')).toContainText('Ese cargo del comité ya está ocupado');
	await page.getByLabel('Cargo en el comité').selectOption({ label: 'Miembro' });
	await page.getByRole('button', { name: 'Agregar al comité' }).click();
	await expect(page.getByText('Miembro agregado al comité.')).toBeVisible();
	await expect(page.getByText('Miembro: Juan Huamán Ccori — Junta Vecinal Sector Norte')).toBeVisible();
	await expectAccessible(page);

	// The draft says so on every page; the public cannot see it yet.
	const draft = await page.request.get(`/${m.slug}/admin/rounds/${roundId}/acta/acta.pdf?copy=public&lang=es`);
	expect(await text(await draft.body())).toContain('BORRADOR — NO VÁLIDO PARA LA FIRMA');
	expect((await request.get(`/${m.slug}/rounds/${roundId}/acta.pdf?lang=es`)).status()).toBe(404);

	// Formalización (the round's phase change is the rounds feature's act; set it here).
	testDb().update(rounds).set({ phase: 'formalizacion' }).where(eq(rounds.id, roundId)).run();
	await page.reload({ waitUntil: 'networkidle' });
	await page.getByRole('button', { name: 'Emitir el acta para la firma' }).click();
	await expect(page.getByText(/Acta emitida\. Huella SHA-256 del contenido: [0-9a-f]{64}/)).toBeVisible();
	const hash = (await page.getByText(/Acta emitida\./).textContent())!.match(/[0-9a-f]{64}/)![0];
	await expect(page.getByRole('button', { name: 'Agregar compromiso' })).toHaveCount(0);

	// Signing copy (officials only) carries DNIs; the public one never does.
	const signing = await text(
		await (await page.request.get(`/${m.slug}/admin/rounds/${roundId}/acta/acta.pdf?copy=signing&lang=es`)).body()
	);
	expect(signing).toContain(`DNI: ${DNI_ROSA}`);
	expect(
		(await request.get(`/${m.slug}/admin/rounds/${roundId}/acta/acta.pdf?copy=signing&lang=es`)).headers()[
			'content-type'
		]
	).not.toBe('application/pdf');

	const es = await request.get(`/${m.slug}/rounds/${roundId}/acta.pdf?lang=es`);
	expect(es.headers()['content-type']).toBe('application/pdf');
	const textEs = await text(await es.body());
	expect(textEs).toContain('ACTA DE ACUERDOS Y COMPROMISOS');
	expect(textEs).toContain('N.º 1. Agua potable para Larapa');
	expect(textEs).toContain('Cofinanciamiento: Gobierno Regional del Cusco');
	expect(textEs).toContain('Incluir los proyectos priorizados en el PIA 2027.');
	expect(textEs).toContain('Presidente(a): Rosa Quispe Mamani — Club de Madres Santa Rosa');
	expect(textEs).toContain('Jefe(a) de la Oficina de Planeamiento y Presupuesto');
	expect(textEs).toContain(hash);
	expect(textEs).not.toMatch(new RegExp(`${DNI_ROSA}|${DNI_JUAN}|984123456|correo\\.pe|BORRADOR`));
	const textQu = await text(await (await request.get(`/${m.slug}/rounds/${roundId}/acta.pdf?lang=qu`)).body());
	expect(textQu).toContain('RIMANAKUYKUNAPA, PROMETEKUYKUNAPA ACTAN');
	expect(textQu).toContain('Kuska qullqichay: Gobierno Regional del Cusco');
	expect(textQu).toContain('Umalliq (presidente): Rosa Quispe Mamani');
	expect(textQu).toContain("4. Silq'ukuna");
	expect(textQu).not.toMatch(new RegExp(`${DNI_ROSA}|984123456`));

	// The signed scan: a PDF only (magic bytes), SHA-256 kept and shown.
	await page
		.getByLabel('Subir el acta firmada (PDF escaneado)')
		.setInputFiles({ name: 'acta.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf') });
	await page.getByRole('button', { name: 'Subir el acta firmada', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('El archivo no es un PDF');
	await page
		.getByLabel('Subir el acta firmada (PDF escaneado)')
		.setInputFiles({ name: 'acta.pdf', mimeType: 'application/pdf', buffer: await es.body() });
	await page.getByRole('button', { name: 'Subir el acta firmada', exact: true }).click();
	await expect(page.getByText(/Acta firmada guardada\. Huella SHA-256: [0-9a-f]{64}/)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Volver al borrador' })).toHaveCount(0);
	const scan = await page.request.get(`/${m.slug}/admin/rounds/${roundId}/acta/firmada.pdf`);
	expect(scan.headers()['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
	// Anonymous visitors do not get the scan (it carries handwritten DNIs), only its hash.
	expect((await request.get(`/${m.slug}/admin/rounds/${roundId}/acta/firmada.pdf`)).headers()['content-type']).not.toBe(
		'application/pdf'
	);
	await expectAccessible(page);

	// The public round page links the acta page; its PDFs in both languages and the hashes.
	await page.getByRole('button', { name: 'Salir' }).click();
	await page.goto(`/${m.slug}/rounds/${roundId}`);
	await page.getByRole('link', { name: 'Acta de Acuerdos y Compromisos' }).click();
	await expect(page.getByRole('link', { name: 'Acta en quechua (PDF)' })).toBeVisible();
	await expect(page.getByText(hash, { exact: false })).toBeVisible();
	await expect(page.getByText(scan.headers()['x-content-sha256'], { exact: false })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rimanakuykunapa, Prometekuykunapa Actan');
	await expectAccessible(page);
});

test('a resident cannot reach the acta pages', async ({ page }) => {
	await logIn(page, m.slug, m.people.resident1);
	const r = await page.goto(`/${m.slug}/admin/rounds/${roundId}/acta`);
	expect(r?.status()).toBe(403);
	expect((await page.request.get(`/${m.slug}/admin/rounds/${roundId}/acta/firmada.pdf`)).status()).toBe(403);
	void ids;
});
