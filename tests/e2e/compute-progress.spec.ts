import { test, expect, expectAccessible, logIn, seedMunicipality, testDb, type SeededMunicipality } from './fixtures';
import { closeVoting, seedVotedRound } from '../support/results-seed';

// Issue 12 point 3: a compute that outlasts the request goes to its progress page. This municipality's computes pause
// 3 s at each of its two budgets (MINKA_TEST_SLOW_COMPUTE in playwright.config.ts, a seam only the test server sets),
// so the page is seen running: without JavaScript it refreshes itself, with it it updates in place; both end on the
// results page with the version computed.
let m: SeededMunicipality;
test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080110', name: 'Lentopampa', roles: ['official'] });
});

function closedRound() {
	const { round } = seedVotedRound(testDb(), {
		municipalityId: m.id,
		zoneId: m.zones[0].id,
		authorPersonId: m.people.resident0.personId,
		rules: { privateBelow: 1 }
	});
	closeVoting(testDb(), round.id);
	return round.id;
}

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the progress page refreshes itself until the count ends', async ({ page }) => {
		const roundId = closedRound();
		await logIn(page, m.slug, m.people.official);
		await page.goto(`/${m.slug}/admin/rounds/${roundId}/results`);
		await page.getByRole('button', { name: 'Calcular resultados' }).click();
		await expect(page).toHaveURL(new RegExp(`/admin/rounds/${roundId}/results/jobs/[\\w-]+$`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calculando los resultados');
		await expect(page.getByRole('status')).toContainText(/Preparando el conteo…|Contando el presupuesto 1 de 2/);
		await expect(page.locator('noscript')).toHaveCount(1);
		// the refresh shows the second budget, then the page sends the official to the result
		await expect(page.getByRole('status')).toContainText('Contando el presupuesto 2 de 2', { timeout: 30_000 });
		await expect(page).toHaveURL(new RegExp(`/admin/rounds/${roundId}/results\\?computed=1$`), { timeout: 30_000 });
		await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	});
});

test('with JavaScript the progress page updates in place; accessible', async ({ page }) => {
	const roundId = closedRound();
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/results`);
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page).toHaveURL(new RegExp(`/admin/rounds/${roundId}/results/jobs/[\\w-]+$`));
	await expect(page.getByRole('status')).toContainText('Contando el presupuesto 1 de 2');
	await expect(page.getByText('Tiempo transcurrido:')).toBeVisible();
	await expectAccessible(page);
	// a mark on this document: it survives the updates only if the page was not reloaded
	await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
	await expect(page.getByRole('status')).toContainText('Contando el presupuesto 2 de 2', { timeout: 30_000 });
	expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
	await expect(page).toHaveURL(new RegExp(`/admin/rounds/${roundId}/results\\?computed=1$`), { timeout: 30_000 });
	await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
	await expectAccessible(page);
});
