import { test, expect, seedMunicipality, testDb, logIn, type SeededMunicipality } from './fixtures';
import { municipalities } from '../../src/lib/server/db/schema/index';
import { eq } from 'drizzle-orm';

const SPANISH_PHONE = 'es-PE,es;q=0.9';
let quDefault: SeededMunicipality;
let esDefault: SeededMunicipality;

test.beforeAll(async () => {
	quDefault = await seedMunicipality({ ubigeo: '030105', name: 'Runasimi Llaqta', roles: ['admin'], residents: 1 });
	esDefault = await seedMunicipality({ ubigeo: '030106', name: 'Castellano Llaqta', roles: ['admin'], residents: 1 });
	testDb().update(municipalities).set({ defaultLocale: 'qu' }).where(eq(municipalities.id, quDefault.id)).run();
});

const langOf = (html: string) => html.match(/<html[^>]*\blang="([a-z]+)"/)?.[1];

test('a Quechua-default municipality speaks Quechua to a Spanish phone; the browser or a cookie can still choose', async ({
	request
}) => {
	const get = async (slug: string, headers: Record<string, string>) =>
		langOf(await (await request.get(`/${slug}/login`, { headers })).text());

	expect(await get(quDefault.slug, { 'accept-language': SPANISH_PHONE })).toBe('qu');
	expect(await get(esDefault.slug, { 'accept-language': SPANISH_PHONE })).toBe('es');
	// A browser that asks for Quechua first gets it where the default is Spanish.
	expect(await get(esDefault.slug, { 'accept-language': 'quz-PE,es;q=0.5' })).toBe('qu');
	// The person's own choice (the switcher's cookie) wins over both.
	expect(await get(quDefault.slug, { 'accept-language': SPANISH_PHONE, cookie: 'minka_lang=es' })).toBe('es');
	expect(await get(esDefault.slug, { 'accept-language': SPANISH_PHONE, cookie: 'minka_lang=qu' })).toBe('qu');
});

test('a saved choice wins over the municipality and the browser, and follows the person to a new device', async ({
	browser
}) => {
	// Seeded residents have a saved choice: Spanish.
	const first = await browser.newContext({ extraHTTPHeaders: { 'accept-language': SPANISH_PHONE } });
	const page = await first.newPage();
	await page.goto(`/${quDefault.slug}`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await logIn(page, quDefault.slug, quDefault.people.resident0);
	await page.goto(`/${quDefault.slug}`);
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await first.close();

	const asksQuechua = await browser.newContext({ extraHTTPHeaders: { 'accept-language': 'qu,es;q=0.5' } });
	const p2 = await asksQuechua.newPage();
	await logIn(p2, esDefault.slug, esDefault.people.resident0);
	await p2.goto(`/${esDefault.slug}`);
	await expect(p2.locator('html')).toHaveAttribute('lang', 'es');
	await p2.getByRole('button', { name: 'Runasimi' }).click();
	await expect(p2.locator('html')).toHaveAttribute('lang', 'qu');
	await asksQuechua.close();

	// Another device, no cookie, a Spanish browser, a Spanish-default municipality: the saved Quechua counts.
	const second = await browser.newContext({ extraHTTPHeaders: { 'accept-language': SPANISH_PHONE } });
	const p3 = await second.newPage();
	await logIn(p3, esDefault.slug, esDefault.people.resident0);
	await p3.goto(`/${esDefault.slug}`);
	await expect(p3.locator('html')).toHaveAttribute('lang', 'qu');
	await second.close();
});
