import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { strFromU8, unzipSync } from 'fflate';
import { test, expect, expectAccessible, logIn, seedMunicipality, testDb } from './fixtures';
import { seedVotedRound, closeVoting } from '../support/results-seed';
import { computeResults, publishResults } from '../../src/lib/server/results';
import { actorFor } from '../../src/lib/server/accounts';
import { participantAgents, users } from '../../src/lib/server/db/schema/index';
import { minimalPdf } from '../support/pdf';
import { sealAgentDni } from '../../src/lib/server/platform/sealed';

const today = () => new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10);
const plusDays = (n: number) => new Date(Date.now() - 5 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

test('follow-up: official moves a project through three statuses with a milestone photo; public page es/qu; committee observation answered; auditor zip', async ({
	page
}) => {
	test.setTimeout(90_000);
	const m = await seedMunicipality({ ubigeo: '080111', name: 'Saylla' });
	const db = testDb();
	const { round, ids } = seedVotedRound(db, {
		municipalityId: m.id,
		zoneId: m.zones[0].id,
		authorPersonId: m.people.resident0.personId
	});
	closeVoting(db, round.id);
	const officialActor = actorFor(db, db.select().from(users).where(eq(users.id, m.people.official.userId)).get()!);
	publishResults(db, officialActor, m.id, round.id, computeResults(db, officialActor, m.id, round.id).version);
	// Resident 1 is an agente participante (DNI sealed for the legal register only: it must never reach the zip).
	db.insert(participantAgents)
		.values({
			municipalityId: m.id,
			roundId: round.id,
			personId: m.people.resident1.personId,
			organisation: 'Junta Vecinal Saylla Alta',
			...sealAgentDni(m.people.resident1.dni.split('-')[0]),
			hasVote: true,
			registeredAt: Date.now()
		})
		.run();

	// --- The official starts the follow-up and moves "Agua potable" through three statuses.
	await logIn(page, m.slug, m.people.official);
	const admin = `/${m.slug}/admin/rounds/${round.id}`;
	await page.goto(`${admin}/execution`);
	await page.getByRole('button', { name: 'Empezar el seguimiento' }).click();
	await expect(page.getByRole('status')).toHaveText('Seguimiento iniciado para 3 proyectos.');
	await page.getByRole('link', { name: 'N.º 1 Agua potable para Larapa' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('N.º 1 Agua potable para Larapa');
	for (const [value, label] of [
		['en_pia', 'En el PIA'],
		['expediente', 'Expediente técnico'],
		['en_ejecucion', 'En ejecución']
	]) {
		await page.getByLabel('Nuevo estado').selectOption(value);
		await page.getByRole('button', { name: 'Cambiar estado' }).click();
		await expect(page.getByRole('status')).toHaveText(`Estado cambiado a «${label}».`);
	}
	// Postponing needs a reason: refused, nothing changes.
	await page.getByLabel('Nuevo estado').selectOption('postergado');
	await page.getByRole('button', { name: 'Cambiar estado' }).click();
	await expect(page.getByRole('alert')).toHaveText('Falta completar: Motivo.');

	await page.getByLabel('CUI (Invierte.pe)').fill('245678');
	await page.getByLabel('Monto presupuestado (S/)').fill('31 500');
	await page.getByRole('button', { name: 'Guardar' }).click();
	await expect(page.getByRole('alert')).toHaveText('El CUI de Invierte.pe tiene 7 dígitos.');
	await page.getByLabel('CUI (Invierte.pe)').fill('2456789');
	await page.getByLabel('Monto presupuestado (S/)').fill('31 500');
	await page.getByLabel('Monto ejecutado (S/)').fill('12 000,50');
	await page.getByLabel('Avance físico (%)').fill('40');
	await page.getByRole('button', { name: 'Guardar' }).click();
	await expect(page.getByRole('status')).toHaveText('Cambios guardados.');

	const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6' } })
		.jpeg()
		.withMetadata({ exif: { IFD0: { Artist: 'Tel 987654321' } } })
		.toBuffer();
	await page.getByLabel('Hito', { exact: true }).fill('Captación y reservorio construidos');
	await page.getByLabel('Fecha prevista').fill(plusDays(30));
	await page.getByLabel('Fecha en que se cumplió').fill(today());
	await page.locator('#photos').setInputFiles({ name: 'obra.jpg', mimeType: 'image/jpeg', buffer: photo });
	await page.getByRole('button', { name: 'Agregar hito' }).click();
	await expect(page.getByRole('status')).toHaveText('Hito agregado.');
	await expect(page.getByText('Captación y reservorio construidos', { exact: true })).toBeVisible();
	await expectAccessible(page);

	// A reserve project funded instead of a selected one, with the official's reason.
	await page.goto(`${admin}/execution`);
	await page.getByLabel('Proyecto de la reserva').selectOption(String(ids.road));
	await page.getByLabel('En lugar de').selectOption(String(ids.park));
	await page
		.getByLabel(/^Motivo/)
		.fill('El terreno del parque no está saneado; sigue el camino en la lista de reserva.');
	await page.getByRole('button', { name: 'Financiar este proyecto' }).click();
	await expect(page.getByRole('status')).toHaveText('Proyecto de la reserva registrado como financiado.');
	await expectAccessible(page);

	// The committee: resident 1 (an agent of the round) with a term covering today.
	await page.goto(`${admin}/observations`);
	await page
		.getByLabel('Agente participante')
		.selectOption({ label: `${m.people.resident1.fullName} — Junta Vecinal Saylla Alta` });
	await page.getByLabel('Inicio del mandato').fill(plusDays(-10));
	await page.getByLabel('Fin del mandato').fill(plusDays(355));
	await page.getByRole('button', { name: 'Agregar al comité' }).click();
	await expect(page.getByRole('status')).toHaveText('Miembro agregado al comité.');
	await expectAccessible(page);

	// --- The public page, in Spanish then Quechua.
	const pub = `/${m.slug}/rounds/${round.id}`;
	await page.goto(`${pub}/execution`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Qué pasó con lo que decidimos');
	const water = page.getByRole('article', { name: 'N.º 1 Agua potable para Larapa' });
	await expect(water).toContainText('En ejecución');
	await expect(water).toContainText('A tiempo');
	await expect(water).toContainText('Cuánto avanzó la obra: 40 %');
	// Terms of art get a one-line plain gloss where a resident first meets them, once per page (the CUI row is on
	// every card, so its gloss sits on whichever card comes first).
	await expect(water).toContainText('Hito: una meta de la obra con fecha');
	await expect(page.getByText(/^CUI: el código/)).toHaveCount(1);
	await expect(page.getByText(/^Hito: una meta/)).toHaveCount(1);
	// The open-data zip sits in the folded auditors' section.
	await expect(page.getByRole('link', { name: /datos abiertos del proceso/ })).toBeHidden();
	await page.getByText('Para auditores: datos abiertos').click();
	await expect(page.getByRole('link', { name: /datos abiertos del proceso/ })).toBeVisible();
	await expect(water).toContainText('2456789');
	await expect(water.getByRole('img', { name: 'Foto del hito «Captación y reservorio construidos»' })).toBeVisible();
	const warning = page.getByRole('region', { name: 'Atención: lo que se financia no es igual al resultado publicado' });
	await expect(warning).toContainText('N.º 3 Parque infantil fue reemplazado por: Mejoramiento del camino vecinal.');
	await expect(warning).toContainText('El terreno del parque no está saneado');
	await expect(page.getByRole('article', { name: 'N.º 3 Parque infantil' })).toContainText('Cancelado');
	await expect(page.getByRole('region', { name: 'Totales del proceso' })).toContainText('S/ 60,000.00');
	await expectAccessible(page);
	// The photo is served re-encoded, without the EXIF that carried a phone number.
	const src = (await water.getByRole('img').first().getAttribute('src'))!;
	const served = Buffer.from(await (await page.request.get(src)).body());
	expect((await sharp(served).metadata()).exif).toBeUndefined();
	expect(served.toString('latin1')).not.toContain('987654321');

	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akllasqanchikkuna imaynam kachkan?');
	await expect(water).toContainText('Ruwakuchkan');
	await expect(water).toContainText('Allinta purichkan');
	await expect(water).toContainText('Ruwaypa ñawpariynin: 40 %');
	await expect(
		page.getByRole('region', { name: 'Qhawariy: qullqichasqakunaqa manam rikuchisqa yupasqakunawan kaqllachu' })
	).toContainText('rantinpi kayta qullqichanku');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Qué pasó con lo que decidimos');

	// --- A committee member files an observation (with a PDF); contact data is refused.
	await page.context().clearCookies();
	await logIn(page, m.slug, m.people.resident1);
	await page.goto(`${pub}/observations`);
	await page.getByLabel('Sobre').selectOption({ label: 'N.º 1 Agua potable para Larapa' });
	await page
		.getByLabel('Observación', { exact: true })
		.fill('El cartel de obra no muestra el CUI. Llamar al 987 654 321.');
	await page.getByRole('button', { name: 'Presentar observación' }).click();
	await expect(page.getByRole('alert')).toHaveText('El texto es público: no incluya números de teléfono.');
	await page.getByLabel('Observación', { exact: true }).fill('El cartel de obra no muestra el CUI ni el monto.');
	await page.locator('#attachment').setInputFiles({
		name: 'informe.pdf',
		mimeType: 'application/pdf',
		buffer: minimalPdf('informe')
	});
	await page.getByRole('button', { name: 'Presentar observación' }).click();
	await expect(page.getByRole('status')).toHaveText(
		'Observación N.º 1 presentada. La municipalidad debe responderla en el plazo indicado.'
	);
	const obs = page.getByRole('article', { name: 'Observación N.º 1 · N.º 1 Agua potable para Larapa' });
	await expect(obs).toContainText('Abierta');
	await expect(obs).toContainText(`Presentada por ${m.people.resident1.fullName}, Comité de Vigilancia`);
	await expectAccessible(page);
	// Someone outside the committee cannot file.
	await page.context().clearCookies();
	await logIn(page, m.slug, m.people.resident2);
	await page.goto(`${pub}/observations`);
	await expect(page.getByRole('button', { name: 'Presentar observación' })).toHaveCount(0);
	await expect(
		page.getByText('Pueden presentar observaciones los miembros del Comité de Vigilancia y los auditores.')
	).toBeVisible();

	// --- The municipality answers.
	await page.context().clearCookies();
	await logIn(page, m.slug, m.people.official);
	await page.goto(`${admin}/observations`);
	await page
		.getByLabel('Respuesta', { exact: true })
		.fill('Se colocó el cartel completo con el CUI 2456789 y el monto.');
	await page.getByRole('button', { name: 'Publicar respuesta' }).click();
	await expect(page.getByRole('status')).toHaveText('Respuesta publicada.');
	await page.goto(`${pub}/observations`);
	await expect(obs).toContainText('Respondida');
	await expect(obs).toContainText('Se colocó el cartel completo');
	await expectAccessible(page);

	// --- The auditor's zip: every file its README names, nothing personal.
	const res = await page.request.get(`${pub}/open-data.zip`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/zip');
	const zip = unzipSync(new Uint8Array(await res.body()));
	const names = Object.keys(zip);
	const readme = strFromU8(zip['README.txt']);
	const named = new Set([...readme.matchAll(/^- ([\w.-]+):/gm)].map((x) => x[1]));
	expect(named.size).toBeGreaterThanOrEqual(14);
	for (const n of named) expect(names).toContain(n);
	expect(new Set(names)).toEqual(new Set(['README.txt', ...named]));
	expect(readme).toContain('npm run audit:verify -- audit.json');
	expect(readme).toContain('Kipukuna:');
	for (const f of names.filter((n) => n.endsWith('.pb')))
		expect(readme).toContain(`npm run -s tally -- --rule greedy --ties cost ${f}`);
	const everything = names.map((n) => strFromU8(zip[n])).join('\n');
	for (const p of Object.values(m.people)) expect(everything).not.toContain(p.dni.split('-')[0]);
	expect(everything).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
	expect(everything).not.toMatch(/(?<![\w.])9\d{2}[ -]?\d{3}[ -]?\d{3}(?![\w])/);
	// An audit event's short hash ("h") is 8 hex digits and all of them are decimal digits
	// about once in 43 events; that is not a DNI, so it is left out of the generic check.
	const withoutShortHashes = everything.replace(/"h":"[0-9a-f]{8}"/g, '"h":""');
	expect(withoutShortHashes).not.toMatch(/(?<![\w.:-])\d{8}(?![\w.:-])/);
	expect(strFromU8(zip['execution.csv'])).toContain('en_ejecucion');
	expect(strFromU8(zip['observations.csv'])).toContain('Se colocó el cartel completo');
	// The audit chain inside the zip verifies.
	const dir = mkdtempSync(join(tmpdir(), 'minka-zip-'));
	writeFileSync(join(dir, 'audit.json'), zip['audit.json']);
	const verify = spawnSync('npx', ['tsx', 'src/cli/audit-verify.ts', join(dir, 'audit.json')], { encoding: 'utf8' });
	expect(verify.status).toBe(0);
});
