/** Issue 17 point 5: the public results page kept rendered until the data changes; nothing personal is kept. */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { cachedPage } from './page-cache';

let db: Db;
let renders = 0;
const page =
	(extra: Record<string, string> = {}) =>
	async () => {
		renders++;
		return new Response(`<p>render ${renders}</p>`, {
			headers: { 'content-type': 'text/html', ...extra }
		});
	};

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-page-cache-')), 'test.db'));
});

describe('cachedPage', () => {
	it('renders once while the data stays the same, and again after a write', async () => {
		const first = await (await cachedPage(db, 'k', page())).text();
		expect(await (await cachedPage(db, 'k', page())).text()).toBe(first);
		expect(renders).toBe(1);
		db.insert(municipalities)
			.values({
				slug: 'x',
				ubigeo: '080301',
				name: 'X',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				defaultLocale: 'es',
				createdAt: Date.now()
			})
			.run();
		expect(await (await cachedPage(db, 'k', page())).text()).toBe('<p>render 2</p>');
		expect(renders).toBe(2);
	});

	it('keeps nothing without a key (a signed-in reader, a query string) or when the page sets a cookie', async () => {
		await cachedPage(db, null, page());
		await cachedPage(db, null, page());
		expect(renders).toBe(4);
		await cachedPage(db, 'c', page({ 'set-cookie': 'a=1' }));
		await cachedPage(db, 'c', page({ 'set-cookie': 'a=1' }));
		expect(renders).toBe(6);
	});
});
