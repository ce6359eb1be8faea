import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, expectAccessible, logIn, seedMunicipality, testDb } from './fixtures';
import { eq } from 'drizzle-orm';
import { proposals } from '../../src/lib/server/db/schema/index';
import { seedVotedRound } from '../support/results-seed';

test('official closes voting, computes and publishes; public page in Spanish and Quechua; the .pb recounts; tampering is caught', async ({
	page
}) => {
	test.setTimeout(240_000);
	const m = await seedMunicipality({ ubigeo: '080109', name: 'Poroy', roles: ['official'] });
	const { round, ids } = seedVotedRound(testDb(), {
		municipalityId: m.id,
		zoneId: m.zones[0].id,
		authorPersonId: m.people.resident0.personId,
		// five voters a budget: k = 1 so the .pb holds the ballots the CLI recounts below
		rules: { privateBelow: 1 }
	});
	// one reviewed Quechua title: the results tables show it in Quechua
	testDb().update(proposals).set({ translatedTitle: 'Larapapaq yaku' }).where(eq(proposals.id, ids.water)).run();

	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${round.id}/results`);
	// Voting is still open: computing is refused with a clear message.
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page.getByRole('alert')).toHaveText('Primero cierre la votación (fase de resultados).');

	// Close voting now from the round's home: an amendment of the end date with its reason, then «Resultados».
	await page.goto(`/${m.slug}/admin/rounds/${round.id}`);
	await page.getByLabel('Motivo del cierre').fill('Acuerdo del CCL: cierre anticipado');
	await page.getByRole('button', { name: 'Cerrar la votación ahora' }).click();
	await expect(page.getByRole('status')).toContainText('La votación quedó cerrada');
	await expect(page.getByRole('button', { name: 'Cerrar la votación ahora' })).toHaveCount(0);

	await page.goto(`/${m.slug}/admin/rounds/${round.id}/results`);
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	// Same input, same snapshot: no second version.
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	// The ranked preview of each budget, and a confirmation before publishing (no JavaScript needed).
	await expect(page.getByRole('heading', { name: 'Revise antes de publicar' })).toBeVisible();
	await expect(page.locator('table[data-preview] tr[data-status="funded"]', { hasText: 'Agua potable' })).toHaveCount(
		1
	);
	await page.getByLabel('Revisé el orden de cada presupuesto y quiero publicarlo.').check();
	await page.getByRole('button', { name: 'Publicar la versión 1' }).click();
	await expect(page.getByRole('status')).toHaveText('Versión 1 publicada.');
	await expectAccessible(page);

	await page.goto(`/${m.slug}/rounds/${round.id}/results`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resultados');
	const zone = page.getByRole('region', { name: m.zones[0].name });
	await expect(zone.getByRole('row').nth(1)).toContainText('N.º 1 Agua potable para Larapa');
	await expect(zone.getByRole('row').nth(1)).toContainText('financiado');
	await expect(zone.getByRole('row').nth(2)).toContainText('N.º 3 Parque infantil');
	await expect(zone.getByText('Línea de corte: de aquí hacia abajo, lista de reserva')).toBeVisible();
	await expect(zone.getByRole('row').nth(4)).toContainText('N.º 2 Mejoramiento del camino vecinal');
	await expect(zone.getByRole('row').nth(4)).toContainText('reserva');
	await expect(page.getByText('Ganaron los proyectos con más votos.', { exact: false })).toBeVisible();
	// Why each project was funded or not, with amounts; fairness for the rule used and the other rule.
	await expect(zone.getByRole('row').nth(1)).toContainText('Se financió: cuando le tocó quedaban S/');
	await expect(zone.getByText('No entró: quedaban', { exact: false }).first()).toBeVisible();
	await expect(zone.locator('[data-fairness="used"]')).toContainText('% de los votantes tiene al menos un proyecto');
	await expect(zone.locator('[data-fairness="used"]')).toContainText('Con el Método de Partes Iguales, con las mismas');
	await expectAccessible(page);

	// The results page loads no JavaScript; "recount here" leads to the recount page, where the engine runs in this
	// browser (a Web Worker loaded on the click) on the published files.
	expect(await page.locator('script[src], link[rel="modulepreload"]').count()).toBe(0);
	await page.getByRole('link', { name: 'Recontar aquí' }).click();
	await page.getByRole('button', { name: 'Recontar aquí' }).click();
	await expect(page.locator('li[data-recount]')).toHaveCount(2);
	for (const li of await page.locator('li[data-recount]').all()) {
		await expect(li).toHaveAttribute('data-same', 'true');
		await expect(li).toContainText('Son los mismos que los publicados.');
	}
	await expect(page.locator(`li[data-recount*="zona"]`)).toContainText('N.º 1, N.º 3');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Volver a los resultados' }).click();
	await expect(page).toHaveURL(/\/results$/);

	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Yupasqakuna');
	await expect(zone.getByRole('row').nth(1)).toContainText('qullqichasqa');
	// the proposal's reviewed Quechua title, not the Spanish one
	await expect(zone.getByRole('row').nth(1)).toContainText('N.º 1 Larapapaq yaku');
	await expect(zone.getByRole('row').nth(1)).toContainText('Qullqichasqam: kaqninman chayaptin');
	await expect(zone.getByText("Hayk'a akllaqkunamanmi chayarqan?")).toBeVisible();
	await expect(
		page.getByText("Kuchuna siq'i: kaymanta uraymanqa suyachkaq proyectokuna (reserva)").first()
	).toBeVisible();
	await expectAccessible(page);

	// The downloaded .pb, recounted with the command line, gives the published winners.
	const dir = mkdtempSync(join(tmpdir(), 'minka-recount-'));
	const link = zone.locator('a[href$=".pb"]');
	const href = (await link.getAttribute('href'))!;
	const pb = await (await page.request.get(href)).text();
	const file = join(dir, 'zone.pb');
	writeFileSync(file, pb);
	const out = JSON.parse(
		execFileSync('node', ['dist/minka-tally.js', '--rule', 'greedy', '--ties', 'cost', file], { encoding: 'utf8' })
	);
	expect(out.selected).toEqual(['1', '3']);

	// The public recount page counts any .pb a person chooses, in the browser.
	await page.goto(`/${m.slug}/recount`);
	await page.getByRole('button', { name: 'Español' }).click();
	await page.getByLabel('Archivo .pb').setInputFiles(file);
	await page.getByLabel('Regla de conteo').selectOption('greedy');
	await page.getByLabel('Desempate').selectOption('cost');
	await page.getByRole('button', { name: 'Recontar', exact: true }).click();
	await expect(page.locator('tr[data-selected="true"] td:first-child')).toHaveText(['1', '3']);
	await expectAccessible(page);

	// The audit export verifies; one tampered event makes audit:verify fail and name it.
	const exported = await (await page.request.get(`/${m.slug}/audit/export`)).json();
	const good = join(dir, 'audit.json');
	writeFileSync(good, JSON.stringify(exported));
	const ok = spawnSync('npx', ['tsx', 'src/cli/audit-verify.ts', good], { encoding: 'utf8' });
	expect(ok.status).toBe(0);
	expect(ok.stdout).toContain('chain intact');
	const published = exported.events.find((e: { type: string }) => e.type === 'results.published');
	published.payload = published.payload.replace(`"version":1`, `"version":2`);
	const bad = join(dir, 'audit-tampered.json');
	writeFileSync(bad, JSON.stringify(exported));
	const broken = spawnSync('npx', ['tsx', 'src/cli/audit-verify.ts', bad], { encoding: 'utf8' });
	expect(broken.status).toBe(1);
	expect(broken.stderr).toContain(`BROKEN at event #${published.seq}`);
});
