/**
 * npm run bench:weight — the ballot page with 40 proposals (20 in the voter's zone, 20 municipality-wide), first
 * load over HTTP as served (compressed where the server compresses): bytes on the wire of the HTML and of every
 * CSS and JS file it references. Then the same page with JavaScript off: the plain form posts (review, cast) must
 * produce the confirmation and a receipt. Target: ≤ 60 KB transferred. Then the results page of the same round,
 * counted and published (target ≤ 40 KB with its JavaScript), and the recount engine's Web Worker, loaded only when
 * a person asks for a recount (target ≤ 40 KB compressed). Then proposal photos in Chromium at 360×740, DPR 2
 * (photo-weight.ts: first load < 120 KB, each further photo < 60 KB, the in-browser shrink). Flags: --no-build.
 */
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { rounds, users } from '../../src/lib/server/db/schema/index';
import { computeResults, publishResults } from '../../src/lib/server/results';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureBuild, seed, startServer } from './voting-server';
import { photoWeight } from './photo-weight';

ensureBuild();
const s = seed({ voters: 1, proposalsPerSection: 20 });
const server = await startServer(s.dbPath);
const cookie = `minka_session=${s.tokens[0]}`;

function get(
	path: string,
	opts: { method?: string; body?: string; cookie?: string } = {}
): Promise<{ status: number; wire: number; encoding: string; text: string; location?: string; setCookie: string[] }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: server.port,
				path,
				method: opts.method ?? 'GET',
				headers: {
					'accept-encoding': 'br, gzip',
					accept: 'text/html,application/xhtml+xml',
					cookie: opts.cookie ? `${cookie}; ${opts.cookie}` : cookie,
					origin: server.origin,
					...(opts.body
						? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(opts.body) }
						: {})
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const raw = Buffer.concat(chunks);
					const enc = String(res.headers['content-encoding'] ?? 'identity');
					const body = enc === 'br' ? brotliDecompressSync(raw) : enc === 'gzip' ? gunzipSync(raw) : raw;
					// Wire size: the body as sent plus the response headers.
					const headerBytes = Object.entries(res.headers).reduce(
						(n, [k, v]) => n + k.length + String(v).length + 4,
						17
					);
					resolve({
						status: res.statusCode ?? 0,
						wire: raw.length + headerBytes,
						encoding: enc,
						text: body.toString('utf8'),
						location: res.headers.location,
						setCookie: res.headers['set-cookie'] ?? []
					});
				});
			}
		);
		req.on('error', reject);
		req.end(opts.body);
	});
}

/** A page's first load: the HTML and every CSS and JS file it references, bytes on the wire. */
async function weigh(pagePath: string) {
	const html = await get(pagePath);
	const assets = new Set<string>();
	for (const m of html.text.matchAll(/<link\b[^>]*>/g)) {
		const tag = m[0];
		const href = /href="([^"]+)"/.exec(tag)?.[1];
		if (href && /rel="(stylesheet|modulepreload)"/.test(tag)) assets.add(href);
	}
	for (const m of html.text.matchAll(/<script[^>]+src="([^"]+)"/g)) assets.add(m[1]);
	for (const m of html.text.matchAll(/import\("([^"]+)"\)/g)) assets.add(m[1]);
	// The page's route nodes (SvelteKit imports them from app.js at start) and, from every script, its static imports:
	// everything a browser fetches before the page is interactive. Dynamic import() (the recount worker) is not.
	const nodeIds =
		/node_ids:\s*\[([\d,\s]*)\]/
			.exec(html.text)?.[1]
			.split(',')
			.map((x) => x.trim()) ?? [];
	const nodeFiles = readdirSync('build/client/_app/immutable/nodes');
	for (const id of nodeIds) {
		const f = nodeFiles.find((n) => n.startsWith(`${id}.`) && n.endsWith('.js'));
		if (f) assets.add(`/_app/immutable/nodes/${f}`);
	}
	const queue = [...assets].map((a) => new URL(a, server.origin + pagePath).pathname);
	const seen = new Set<string>();
	const rows: [string, number, string, number][] = [['HTML ' + pagePath, html.wire, html.encoding, html.text.length]];
	while (queue.length) {
		const a = queue.shift()!;
		if (seen.has(a)) continue;
		seen.add(a);
		const r = await get(a);
		rows.push([a, r.wire, r.encoding, r.text.length]);
		if (a.endsWith('.js'))
			for (const m of r.text.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.(?:js|css))"/g))
				queue.push(new URL(m[1], server.origin + a).pathname);
	}
	const total = rows.reduce((n, r) => n + r[1], 0);
	const inlineJs = [...html.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].reduce((n, m) => n + m[1].length, 0);
	return { html, rows, total, inlineJs };
}

const pagePath = `/${s.slug}/rounds/${s.roundId}/vote`;
const { html, rows, total, inlineJs } = await weigh(pagePath);
const checkboxes = (html.text.match(/type="checkbox"/g) ?? []).length;

// JavaScript off: what a browser without JS sends — the plain form posts.
const [zone, wide] = s.sections;
const body = new URLSearchParams([
	['s0', String(zone[0])],
	['s0', String(zone[1])],
	['s1', String(wide[0])]
]).toString();
const review = await get(`${pagePath}?/review`, { method: 'POST', body });
const over = await get(`${pagePath}?/review`, {
	method: 'POST',
	body: new URLSearchParams(zone.map((id) => ['s0', String(id)])).toString()
});
const posted = await get(`${pagePath}?/cast`, { method: 'POST', body });
// The cast answers 303 to the receipt page, which reads the code from the cookie the POST set.
const receiptCookie = posted.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('minka_receipt='));
const cast = posted.status === 303 && posted.location ? await get(posted.location, { cookie: receiptCookie }) : posted;

// The results page of the same round (40 proposals), counted and published, and the recount worker.
const user = s.db.select().from(users).limit(1).get()!;
const actor = {
	userId: user.id,
	personId: user.personId,
	municipalityId: user.municipalityId,
	roles: new Set(['official'] as const),
	verified: true
};
s.db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, s.roundId)).run();
const snap = computeResults(s.db, actor as never, user.municipalityId, s.roundId, { confirmZeroBallots: true });
publishResults(s.db, actor as never, user.municipalityId, s.roundId, snap.version);
const resultsPage = await weigh(`/${s.slug}/rounds/${s.roundId}/results`);
const workerFile = readdirSync('build/client/_app/immutable/workers').find((f) => /^tally\.worker-.*\.js$/.test(f));
const worker = workerFile ? await get(`/_app/immutable/workers/${workerFile}`) : null;
await server.stop();

console.log(`\nbench:weight — ballot page, ${checkboxes} proposals, first load as served (accept-encoding: br, gzip)`);
for (const [name, wire, enc, raw] of rows)
	console.log(
		`  ${(wire / 1024).toFixed(1).padStart(6)} KB  ${enc.padEnd(8)} (${(raw / 1024).toFixed(1)} KB uncompressed)  ${name}`
	);
console.log(
	`  ${(total / 1024).toFixed(1).padStart(6)} KB  total transferred (HTML + CSS + JS; inline JS ${inlineJs} bytes)   target ≤ 60 KB`
);
const jsOff = {
	reviewShowsConfirmation: review.status === 200 && /Confirme su voto/.test(review.text),
	overBudgetExplained: over.status === 400 && /se pasa por/.test(over.text),
	castGivesReceipt: cast.status === 200 && /class="code mono[^"]*"[^>]*>[A-Z2-9-]{19}</.test(cast.text)
};
console.log(`  JavaScript off: ${JSON.stringify(jsOff)} (HTTP ${review.status}, ${over.status}, ${cast.status})`);
if (!jsOff.reviewShowsConfirmation) console.log(review.text.slice(0, 400));
console.log(
	`\nresults page, ${snap.parsed.budgets.reduce((n, b) => n + b.rows.length, 0)} proposals, with its JavaScript`
);
for (const [name, wire, enc, raw] of resultsPage.rows)
	console.log(
		`  ${(wire / 1024).toFixed(1).padStart(6)} KB  ${enc.padEnd(8)} (${(raw / 1024).toFixed(1)} KB uncompressed)  ${name}`
	);
console.log(`  ${(resultsPage.total / 1024).toFixed(1).padStart(6)} KB  total transferred   target ≤ 40 KB`);
console.log(
	worker
		? `  ${(worker.wire / 1024).toFixed(1).padStart(6)} KB  ${worker.encoding.padEnd(8)} (${(worker.text.length / 1024).toFixed(1)} KB uncompressed)  recount engine (Web Worker, loaded on request)   target ≤ 40 KB`
		: '  recount worker not found in build/client/_app/immutable/workers'
);
const photosOk = await photoWeight();
const ok =
	photosOk &&
	checkboxes === 40 &&
	total <= 60 * 1024 &&
	Object.values(jsOff).every(Boolean) &&
	resultsPage.total <= 40 * 1024 &&
	worker !== null &&
	worker.wire <= 40 * 1024;
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
