/**
 * Part of npm run bench:tally — the engine as residents run it: the built app is served over HTTP (the production
 * server, `src/cli/start.js`), a headless Chromium (/usr/bin/chromium) opens the public recount page, chooses the
 * `.pb` file in its file input and counts it; the page runs the engine in its Web Worker (the very bundle the results
 * page's "recount here" loads). Timed from the click to the winners on screen, which must be the CLI's winners for
 * the same file and rule. Also: the bytes of that worker bundle on the wire, as the server sends it compressed.
 */
import { chromium } from '@playwright/test';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { ensureBuild, seed, startServer } from './voting-server';

export interface BrowserRecount {
	seconds: number[];
	winners: string[];
	workerFile: string;
	wireBytes: number;
	encoding: string;
	rawBytes: number;
}

/** Bytes on the wire of one GET, as a browser asking for br or gzip receives it. */
function wire(port: number, urlPath: string): Promise<{ bytes: number; encoding: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, path: urlPath, headers: { 'accept-encoding': 'br, gzip' } },
			(res) => {
				let bytes = 0;
				res.on('data', (c: Buffer) => (bytes += c.length));
				res.on('end', () =>
					res.statusCode === 200
						? resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') })
						: reject(new Error(`GET ${urlPath}: HTTP ${res.statusCode}`))
				);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

export async function browserRecount(file: string, rule: string, ties: string, runs: number): Promise<BrowserRecount> {
	ensureBuild();
	const dir = 'build/client/_app/immutable/workers';
	const workerFile = readdirSync(dir).find((f) => /^tally\.worker-.*\.js$/.test(f));
	if (!workerFile) throw new Error(`no tally.worker-*.js in ${dir}: run npm run build`);
	// A municipality to serve the recount page under; the page itself reads nothing of it.
	const s = seed({ voters: 1, proposalsPerSection: 1 });
	const server = await startServer(s.dbPath);
	const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
	const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
	try {
		const page = await browser.newPage();
		const seconds: number[] = [];
		let winners: string[] = [];
		const workerUrls: string[] = [];
		page.on('worker', (w) => workerUrls.push(w.url()));
		for (let i = 0; i < runs; i++) {
			await page.goto(`${server.origin}/${s.slug}/recount`);
			// the page loads the worker's code as soon as it is mounted: wait for it, so the timing is the count only
			await page.waitForLoadState('networkidle');
			await page.locator('#file').setInputFiles(file);
			await page.locator('#rule').selectOption(rule);
			await page.locator('#ties').selectOption(ties);
			const t0 = performance.now();
			await page.locator('form.card button:not([type="button"])').click();
			await page.locator('#recount-result').waitFor({ timeout: 600_000 });
			seconds.push((performance.now() - t0) / 1000);
			winners = await page.locator('tr[data-selected="true"] td:first-child').allTextContents();
		}
		if (!workerUrls.some((u) => u.endsWith(`/_app/immutable/workers/${workerFile}`)))
			throw new Error(`the page ran ${workerUrls.join(', ') || 'no worker'}, not ${workerFile}`);
		const w = await wire(server.port, `/_app/immutable/workers/${workerFile}`);
		const rawBytes = statSync(path.join(dir, workerFile)).size;
		return { seconds, winners, workerFile, wireBytes: w.bytes, encoding: w.encoding, rawBytes };
	} finally {
		await browser.close();
		await server.stop();
	}
}
