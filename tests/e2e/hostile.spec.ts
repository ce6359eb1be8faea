import { createHash } from 'node:crypto';
import { test, expect, seedMunicipality, logIn, type SeededMunicipality } from './fixtures';

// Bad requests get a translated page with the right status, never a 500 (security review L2, L3).
test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
const UNEXPECTED = /Algo falló de nuestro lado/;

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080201', name: 'Hostil', roles: ['admin'], residents: 1 });
});

test('malformed ids in paths are a translated 404, never a 500', async ({ request }) => {
	for (const path of [
		`/${m.slug}/council/sessions/%0A1/acta.pdf`,
		`/${m.slug}/council/sessions/%0D%0A1/acta.pdf`,
		`/${m.slug}/rounds/1e3`,
		`/${m.slug}/rounds/-1`,
		`/${m.slug}/rounds/0x10/results`,
		`/${m.slug}/rounds/%20%201`,
		`/${m.slug}/photos/99999999999999999999`,
		`/${m.slug}/admin/workshops/%0A1/sheet.pdf`
	]) {
		const res = await request.get(path, { maxRedirects: 0 });
		expect(res.status(), path).toBe(404);
		expect(await res.text(), path).toContain('No encontramos esa página.');
	}
});

test('an unknown or foreign round on the admin results page is a translated 404', async ({ page }) => {
	await logIn(page, m.slug, m.people.admin);
	for (const id of ['999999', '1']) {
		const res = await page.goto(`/${m.slug}/admin/rounds/${id}/results`);
		expect(res!.status(), id).toBe(404);
		await expect(page.locator('body')).not.toContainText(UNEXPECTED);
	}
});

test('broken multipart, JSON and oversized bodies get a translated 400, 415 and 413', async ({ request, baseURL }) => {
	const origin = baseURL!;
	const broken = await request.post(`/${m.slug}/login`, {
		headers: { 'content-type': 'multipart/form-data; boundary=xyz', origin },
		data: '--xyz\r\nContent-Disposition: form-data; name="identifier"\r\n\r\n7000'
	});
	expect(broken.status()).toBe(400);
	expect(await broken.text()).toContain('No pudimos leer lo que envió');

	const json = await request.post(`/${m.slug}/login`, {
		headers: { 'content-type': 'application/json', origin },
		data: '{"identifier":"x"}'
	});
	expect(json.status()).toBe(415);
	expect(await json.text()).toContain('solo recibe formularios');

	const big = await request.post(`/${m.slug}/login`, {
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
		// Over the 1 MB an ordinary form may send (domain/body-limits.ts), far below the server's 70M for the census.
		data: 'identifier=' + 'a'.repeat(2 * 1024 * 1024)
	});
	expect(big.status()).toBe(413);
	expect(await big.text()).toContain('demasiado grande');
	// That the same body is not refused for its size on the census import is shown in-process by
	// src/lib/server/http/body-limit.test.ts: over HTTP, a visitor who is not logged in gets the answer before the
	// body is read and the connection is reset mid-upload, which says nothing about the limit.
});

test('the language switcher only redirects to paths of this site', async ({ request, baseURL }) => {
	for (const target of ['/\\example.org/phish', '/\t/example.org', '//example.org', 'https://example.org']) {
		const res = await request.post('/language', {
			form: { locale: 'es', redirectTo: target },
			headers: { origin: baseURL! },
			maxRedirects: 0
		});
		expect(res.status(), target).toBe(303);
		expect(res.headers()['location'], target).toBe('/');
	}
	const ok = await request.post('/language', {
		form: { locale: 'qu', redirectTo: `/${m.slug}/rounds` },
		headers: { origin: baseURL! },
		maxRedirects: 0
	});
	expect(ok.headers()['location']).toBe(`/${m.slug}/rounds`);
});

test('pages carry a Content-Security-Policy and the security headers; files and endpoints the headers (L7)', async ({
	request,
	page
}) => {
	const res = await request.get(`/${m.slug}`);
	expect(res.status()).toBe(200);
	const h = res.headers();
	const csp = h['content-security-policy'];
	for (const directive of [
		"default-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	])
		expect(csp).toContain(directive);
	const scriptSrc = /script-src ([^;]+)/.exec(csp)![1];
	expect(scriptSrc).toContain("'self'");
	// SvelteKit's inline start-up script is allowed by its hash, never by a nonce (a page served from the page cache
	// would hand the same nonce to everyone).
	expect(scriptSrc).not.toContain('nonce-');
	const html = await res.text();
	const inline = [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)]
		.filter((s) => !/type="application\/json"/.test(s[1] ?? '') && s[2])
		.map((s) => s[2]);
	expect(inline.length).toBeGreaterThan(0);
	for (const code of inline)
		expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
	expect(scriptSrc).not.toContain('unsafe-inline');
	expect(scriptSrc).not.toContain('unsafe-eval');
	expect(h['x-content-type-options']).toBe('nosniff');
	expect(h['referrer-policy']).toBe('same-origin');
	expect(h['x-frame-options']).toBe('DENY');
	expect(h['permissions-policy']).toContain('camera=()');
	expect(h['cross-origin-opener-policy']).toBe('same-origin');
	// Idle connections are kept 65 s, not Node's 5 s (src/cli/start.js): fewer handshakes on slow links, and no reset
	// of a connection reused just as the server closes it.
	expect(h['keep-alive']).toBe('timeout=65');
	// An endpoint (not a page) gets the same headers from the hook.
	const csv = await request.get(`/${m.slug}/audit/export`);
	expect(csv.headers()['x-content-type-options']).toBe('nosniff');
	expect(csv.headers()['x-frame-options']).toBe('DENY');
	// With JavaScript on, the page starts under the policy (the fixture fails the test on any violation).
	await page.goto(`/${m.slug}/login`);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});
