import type { Page } from '@playwright/test';
import { extractText } from 'unpdf';
import { test, expect, seedMunicipality, expectAccessible, testDb, type SeededMunicipality, logIn } from './fixtures';
import { addMember } from '../../src/lib/server/council';
import type { Actor } from '../../src/lib/server/platform/policy';

const YEAR = new Date().getFullYear();
const SESSION_DATE = `${YEAR}-03-10`;
const TERM = { termStart: `${YEAR - 1}-01-01`, termEnd: `${YEAR + 1}-12-31` };

test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
const ids: Record<string, number> = {};

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080107', name: 'Saylla' });
	const s = m.people.council_secretary;
	const actor: Actor = {
		userId: s.userId,
		personId: s.personId,
		municipalityId: m.id,
		roles: new Set(['council_secretary']),
		verified: true
	};
	const roll: [string, string, 'alcalde' | 'regidor' | 'sociedad_civil', string][] = [
		['mayor', 'Hilario Quispe Puma', 'alcalde', ''],
		['r1', 'Roxana Mamani Ccori', 'regidor', ''],
		['r2', 'Efraín Huamán Sutta', 'regidor', ''],
		['r3', 'Gladys Ñahui Chávez', 'regidor', ''],
		['r4', 'Percy Condori Yupanqui', 'regidor', ''],
		['c1', 'Juana Ccahuana Layme', 'sociedad_civil', 'Club de Madres Santa Rosa'],
		['c2', 'Américo Tupa Huillca', 'sociedad_civil', 'Comunidad campesina de Saylla'],
		['c3', 'Felícitas Apaza Turpo', 'sociedad_civil', 'Junta vecinal Sector Sur'],
		['c4', 'Víctor Sullca Ttito', 'sociedad_civil', 'Asociación de productores']
	];
	for (const [key, fullName, role, organisation] of roll)
		ids[key] = addMember(testDb(), actor, m.id, { fullName, role, organisation, ...TERM }).id;
});

/** Adds a field the page never offers, as a tampered or stale form would send it. */
async function inject(page: Page, name: string, value: string) {
	await page.evaluate(
		([n, v]) => {
			const form = document.querySelector('form[action="?/attendance"]')!;
			const input = document.createElement('input');
			input.type = 'hidden';
			input.name = n;
			input.value = v;
			input.className = 'injected';
			form.appendChild(input);
		},
		[name, value]
	);
}

test('the CCL secretary records a session at the door, agreements and the acta; the public page shows it in Spanish and Quechua', async ({
	page
}) => {
	await logIn(page, m.slug, m.people.council_secretary);

	// Roll: civil society holds its 40 % (4 of ceil(0.4 × 5) = 2); a new member whose term starts after the session.
	await page.goto(`/${m.slug}/admin/council`);
	await expect(page.getByTestId('civil-society')).toContainText('Cumple');
	await page.getByLabel('Nombres y apellidos').fill('Teodora Cusi Ramos');
	await page.getByLabel('Cargo en el CCL').selectOption('sociedad_civil');
	await page.getByLabel(/Organización que representa/).fill('Federación de mujeres');
	await page.getByLabel('Inicio del mandato').fill(`${YEAR}-06-01`);
	await page.getByLabel('Fin del mandato').fill(`${YEAR + 1}-12-31`);
	await page.getByRole('button', { name: 'Agregar al padrón' }).click();
	await expect(page.getByText('«Teodora Cusi Ramos» fue agregado al padrón.')).toBeVisible();
	await expectAccessible(page);

	// A new ordinary session.
	await page.goto(`/${m.slug}/admin/council/sessions`);
	await page.getByLabel('Tipo de sesión').selectOption('ordinary');
	await page.getByLabel('Fecha de la sesión').fill(SESSION_DATE);
	await page.getByLabel('Hora de la primera convocatoria').fill('10:00');
	await page.getByLabel('Lugar').fill('Salón de actos de la municipalidad');
	await page.getByLabel(/Fecha en que se envió la citación/).fill(`${YEAR}-03-01`);
	await page.getByLabel(/Medio de la citación/).selectOption('letter');
	await page.getByLabel(/Agenda/).fill('Informe del alcalde\nCronograma del presupuesto participativo');
	await page.getByRole('button', { name: 'Registrar la sesión' }).click();
	await expect(page.getByText('Sesión registrada. Ahora tome la asistencia.')).toBeVisible();
	await expect(page.getByText('segunda convocatoria a las 10:30')).toBeVisible();
	const sessionUrl = page.url().replace(/\?.*$/, '');
	const sessionId = Number(sessionUrl.split('/').pop());

	// The member whose term starts in June is not offered on the March sheet.
	await expect(page.getByRole('group', { name: /Teodora Cusi Ramos/ })).toHaveCount(0);

	const mark = async (name: string, status: 'Presente' | 'Tardanza' | 'Justificado' | 'Ausente') =>
		page
			.getByRole('group', { name: new RegExp(name) })
			.getByLabel(status, { exact: true })
			.check();
	for (const n of ['Hilario Quispe', 'Roxana Mamani', 'Efraín Huamán', 'Juana Ccahuana']) await mark(n, 'Presente');
	await mark('Gladys Ñahui', 'Tardanza');
	await page.getByLabel('Hora de llegada de Gladys Ñahui Chávez').fill('10:20');
	await mark('Américo Tupa', 'Justificado');
	for (const n of ['Percy Condori', 'Felícitas Apaza', 'Víctor Sullca']) await mark(n, 'Ausente');
	await expectAccessible(page);

	const save = page.getByRole('button', { name: 'Guardar la asistencia' });
	// Bad input 1: a member absent and present at once.
	await inject(page, `status-${ids.r4}`, 'present');
	await save.click();
	await expect(page.getByRole('alert')).toContainText(
		'Percy Condori Yupanqui aparece a la vez con dos estados distintos'
	);
	await page.evaluate(() => document.querySelectorAll('input.injected').forEach((e) => e.remove()));
	// The refusal does not flip the radio to the injected status.
	await expect(page.getByRole('group', { name: /Percy Condori/ }).getByLabel('Ausente', { exact: true })).toBeChecked();
	// Bad input 2: someone not on the roll.
	await inject(page, 'status-987654', 'present');
	await save.click();
	await expect(page.getByRole('alert')).toContainText('alguien que no está en el padrón del CCL');
	await page.evaluate(() => document.querySelectorAll('input.injected').forEach((e) => e.remove()));
	// Bad input 3: the session is dated before that member's term.
	const teodora = await page.request.get(`/${m.slug}/council/export.json`).then((r) => r.json());
	const futureId = teodora.members.find((x: { fullName: string }) => x.fullName === 'Teodora Cusi Ramos').id;
	await inject(page, `status-${futureId}`, 'present');
	await save.click();
	await expect(page.getByRole('alert')).toContainText('no cae dentro del mandato de Teodora Cusi Ramos');
	await page.evaluate(() => document.querySelectorAll('input.injected').forEach((e) => e.remove()));
	// Nothing was saved by the refusals.
	await expect(page.getByTestId('quorum')).toHaveCount(0);

	await save.click();
	await expect(page.getByText('Asistencia guardada.')).toBeVisible();
	await expect(page.getByTestId('quorum')).toHaveText(
		'La sesión pudo instalarse en segunda convocatoria (10:30) con 5 de 9 miembros; en la primera convocatoria hubo 4 y el quórum era 5.'
	);
	await expect(page.getByText('Presidió Hilario Quispe Puma.')).toBeVisible();

	// Two agreements: one by consensus, one by vote.
	await page.getByLabel('Texto del acuerdo').fill('Aprobar el cronograma del presupuesto participativo.');
	await page.getByLabel('Por consenso').check();
	await page.getByRole('button', { name: 'Registrar el acuerdo' }).click();
	await expect(page.getByText(`Acuerdo registrado: Acuerdo N° 001-${YEAR}-CCL/MDS.`)).toBeVisible();
	await page
		.getByLabel('Texto del acuerdo')
		.fill('Solicitar al Concejo la ampliación del presupuesto para la posta de salud.');
	await page.getByLabel('Por votación').check();
	await page.getByLabel('Votos a favor').fill('3');
	await page.getByLabel('Votos en contra').fill('1');
	await page.getByLabel('Abstenciones').fill('1');
	await page.getByRole('button', { name: 'Registrar el acuerdo' }).click();
	await expect(page.getByText(`Acuerdo registrado: Acuerdo N° 002-${YEAR}-CCL/MDS.`)).toBeVisible();
	await expect(page.getByText('3 a favor, 1 en contra, 1 abstenciones')).toBeVisible();

	// The acta, in Spanish and in Quechua.
	const es = await page.request.get(`/${m.slug}/council/sessions/${sessionId}/acta.pdf?lang=es`);
	expect(es.headers()['content-type']).toBe('application/pdf');
	const textEs = (await extractText(new Uint8Array(await es.body()), { mergePages: true })).text.replace(/\s+/g, ' ');
	expect(textEs).toContain('ACTA DE SESIÓN ORDINARIA DEL CONSEJO DE COORDINACIÓN LOCAL');
	expect(textEs).toContain('La sesión pudo instalarse en segunda convocatoria (10:30) con 5 de 9 miembros');
	expect(textEs).toContain('Gladys Ñahui Chávez, Regidor(a): Tardanza (llegó a las 10:20)');
	expect(textEs).toContain('Américo Tupa Huillca, Sociedad civil — Comunidad campesina de Saylla: Justificado');
	expect(textEs).toContain(`Acuerdo N° 001-${YEAR}-CCL/MDS`);
	expect(textEs).toContain(`Acuerdo N° 002-${YEAR}-CCL/MDS`);
	expect(textEs).toContain('Cronograma del presupuesto participativo');
	expect(textEs).toContain('Presidente(a) del CCL');
	const qu = await page.request.get(`/${m.slug}/council/sessions/${sessionId}/acta.pdf?lang=qu`);
	const textQu = (await extractText(new Uint8Array(await qu.body()), { mergePages: true })).text.replace(/\s+/g, ' ');
	expect(textQu).toContain('Huñunakuyqa iskay kaq waqyakuypi (10:30) qallariyta atirqan, 9 miembromanta 5 kaqwan');
	expect(textQu).toContain('Gladys Ñahui Chávez, Regidor: Qhipata chayamurqan (10:20 horasta chayamurqan)');
	expect(textQu).toContain("Silq'ukuna");

	// The signed scan: only a PDF is accepted, and its SHA-256 is kept beside it.
	await page
		.getByLabel('Subir el acta firmada (PDF escaneado)')
		.setInputFiles({ name: 'acta.jpg', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf') });
	await page.getByRole('button', { name: 'Subir el acta firmada', exact: true }).click();
	await expect(page.getByRole('alert')).toContainText('El archivo no es un PDF');
	await page
		.getByLabel('Subir el acta firmada (PDF escaneado)')
		.setInputFiles({ name: 'acta.pdf', mimeType: 'application/pdf', buffer: await es.body() });
	await page.getByRole('button', { name: 'Subir el acta firmada', exact: true }).click();
	await expect(page.getByText(/Acta firmada guardada\. Huella SHA-256: [0-9a-f]{64}/)).toBeVisible();
	await expectAccessible(page);

	// The public page, without logging in: attendance in Spanish, then in Quechua.
	await page.getByRole('button', { name: 'Salir' }).click();
	await page.waitForURL((u) => !u.pathname.includes('/admin/'));
	const pub = page;
	await pub.goto(`/${m.slug}/council?year=${YEAR}`);
	const att = pub.getByTestId('attendance');
	await expect(att).toContainText('Gladys Ñahui Chávez (Regidor(a)): Tardanza — llegó a las 10:20');
	await expect(att).toContainText('Américo Tupa Huillca (Sociedad civil): Justificado');
	await expect(
		pub.getByText('La sesión pudo instalarse en segunda convocatoria (10:30) con 5 de 9 miembros', { exact: false })
	).toBeVisible();
	await expect(pub.getByText(`Acuerdo N° 002-${YEAR}-CCL/MDS`)).toBeVisible();
	await expect(pub.getByTestId('shortfall')).toContainText(
		`En lo que va de ${YEAR}, el CCL celebró 1 sesión ordinaria`
	);
	await expect(pub.getByRole('row', { name: /Gladys Ñahui Chávez/ })).toContainText('1 de 1 (100%)');
	await expect(pub.getByRole('row', { name: /Américo Tupa Huillca/ })).toContainText('0 de 1 (0%)');
	await expect(pub.locator('body')).not.toContainText(m.people.council_secretary.dni);
	await expectAccessible(pub);
	await pub.getByRole('button', { name: 'Runasimi' }).click();
	await expect(pub.locator('html')).toHaveAttribute('lang', 'qu');
	await expect(pub.getByTestId('attendance')).toContainText(
		'Gladys Ñahui Chávez (Regidor): Qhipata chayamurqan — 10:20 horasta chayamurqan'
	);
	await expect(pub.getByTestId('attendance')).toContainText('Percy Condori Yupanqui (Regidor): Manam kachkanchu');
	await expect(pub.getByText('iskay kaq waqyakuypi (10:30) qallariyta atirqan', { exact: false })).toBeVisible();
	await expectAccessible(pub);

	// Open exports: CSV and JSON, names and roles only.
	const csv = await (await pub.request.get(`/${m.slug}/council/export.csv`)).text();
	expect(csv).toContain('session_id,session_date,session_kind');
	expect(csv).toContain('Gladys Ñahui Chávez,regidor,late,10:20');
	const json = await (await pub.request.get(`/${m.slug}/council/export.json`)).json();
	expect(json.agreements.map((a: { code: string }) => a.code)).toEqual([
		`Acuerdo N° 001-${YEAR}-CCL/MDS`,
		`Acuerdo N° 002-${YEAR}-CCL/MDS`
	]);
	expect(json.sessions[0].scanSha256).toMatch(/^[0-9a-f]{64}$/);
	expect(JSON.stringify(json)).not.toMatch(/dni|phone|email|celular/i);
});

test('a resident cannot reach the council pages', async ({ page }) => {
	await logIn(page, m.slug, m.people.resident0);
	const r = await page.goto(`/${m.slug}/admin/council/sessions`);
	expect(r?.status()).toBe(403);
});

test('workshop attendance: list check-in, personal QR check-in, manual entry without JavaScript, sheet PDF and figures', async ({
	page,
	browser
}) => {
	const { rounds, participantAgents, persons } = await import('../../src/lib/server/db/schema/index');
	const { DEFAULT_RULES } = await import('../../src/lib/domain/round-rules');
	const w = await seedMunicipality({ ubigeo: '080103', name: 'Poroy' });
	const now = Date.now();
	const db = testDb();
	const roundId = db
		.insert(rounds)
		.values({
			municipalityId: w.id,
			fiscalYear: YEAR + 1,
			titleEs: `Presupuesto participativo ${YEAR + 1}`,
			budgetCents: 50_000_000,
			rules: DEFAULT_RULES,
			createdAt: now,
			updatedAt: now
		})
		.returning()
		.get().id;
	for (const [fullName, gender, language] of [
		['Lucía Huallpa Quispe', 'f', 'qu'],
		['Néstor Ccoa Mayta', 'm', 'es'],
		['Irma Tito Huamán', 'f', 'qu']
	] as const) {
		const p = db
			.insert(persons)
			.values({ municipalityId: w.id, fullName, zoneId: w.zones[0].id, createdAt: now })
			.returning()
			.get();
		db.insert(participantAgents)
			.values({
				municipalityId: w.id,
				roundId,
				personId: p.id,
				organisation: 'Comunidad campesina',
				hasVote: true,
				gender,
				language,
				registeredAt: now
			})
			.run();
	}

	await logIn(page, w.slug, w.people.official);
	await page.goto(`/${w.slug}/admin/workshops`);
	await page.getByLabel('Tipo de taller').selectOption('prioritisation');
	await page.getByLabel('Nombre del taller').fill('Taller de priorización de proyectos');
	await page.getByLabel('Lugar').fill('Local comunal de Poroy');
	await page.getByRole('button', { name: 'Registrar el taller' }).click();
	await expect(page.getByRole('heading', { name: 'Priorización: Taller de priorización de proyectos' })).toBeVisible();
	const workshopUrl = page.url();

	// From the list, one tap.
	await page.getByRole('button', { name: 'Registrar la llegada de Lucía Huallpa Quispe' }).click();
	await expect(page.getByText('Llegada de Lucía Huallpa Quispe registrada.')).toBeVisible();
	await expectAccessible(page);

	// Personal QR code: rendered server-side; the URL it encodes opens a confirmation on the official's phone.
	await page.goto(`/${w.slug}/admin/workshops/codes`);
	const card = page.getByRole('listitem').filter({ hasText: 'Néstor Ccoa Mayta' });
	await expect(card.locator('svg')).toHaveCount(1);
	await expectAccessible(page);
	const code = (await card.locator('.mono').textContent())!.trim();
	await page.goto(`/${w.slug}/admin/workshops/checkin/${code}`);
	await expect(page.getByRole('heading', { name: 'Néstor Ccoa Mayta' })).toBeVisible();
	await page.getByRole('button', { name: 'Confirmar su llegada' }).click();
	await expect(page.getByText('Llegada registrada', { exact: true })).toBeVisible();
	const forged = await page.goto(`/${w.slug}/admin/workshops/checkin/${code.split('-')[0]}-AAAAAAAAAAAAAAAA`);
	expect(forged?.status()).toBe(404);

	// Manual entry with JavaScript off.
	const ctx = await browser.newContext({ javaScriptEnabled: false, baseURL: new URL(workshopUrl).origin });
	const nojs = await ctx.newPage();
	await logIn(nojs, w.slug, w.people.official);
	await nojs.goto(workshopUrl);
	await nojs.getByLabel('Nombres y apellidos').fill('Ñusta Ccapa Luna');
	await nojs.getByLabel(/Sexo/).selectOption('f');
	await nojs.getByLabel(/Idioma que habla/).selectOption('qu');
	await nojs.getByRole('button', { name: 'Registrar su llegada' }).click();
	await expect(nojs.getByText('Llegada de Ñusta Ccapa Luna registrada.')).toBeVisible();
	await expect(nojs.getByTestId('stats-total')).toHaveText(
		'3 asistentes: 2 agentes participantes (2 con voto) y 1 vecinos más.'
	);
	await expect(nojs.getByRole('table', { name: 'Por idioma' })).toContainText('Quechua2');
	await ctx.close();

	const sheet = await page.request.get(`${workshopUrl}/sheet.pdf`);
	const text = (await extractText(new Uint8Array(await sheet.body()), { mergePages: true })).text.replace(/\s+/g, ' ');
	expect(text).toContain('HOJA DE ASISTENCIA AL TALLER');
	expect(text).toContain('Néstor Ccoa Mayta');
	expect(text).toContain('Ñusta Ccapa Luna');
	expect(text).toContain('Asistieron 3 personas: 2 de 3 agentes participantes inscritos y 1 vecinos más.');
});
