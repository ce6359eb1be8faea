/**
 * npm run bench:census — builds (if needed) and starts the production server on a temporary database, generates a
 * census of --rows N rows (default 1,000,000, about 35 MB), posts it through the real import route as an official
 * would (multipart form, session cookie, Origin header), and follows the status page until the report shows. Meanwhile
 * a public page is requested every 100 ms: prints the import's seconds and that page's p50/p99/max.
 * Budgets (issue 13): under 60 s for 1,000,000 rows; the public page's p99 under 200 ms. Flags: --rows N --gzip --no-build.
 */
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { writeTx } from '../../src/lib/server/db/client';
import { persons, rounds, users } from '../../src/lib/server/db/schema/index';
import { grantRoleInTx } from '../../src/lib/server/roles';
import { censusSize } from '../../src/lib/server/residents';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { ensureBuild, seed, startServer } from './voting-server';

const arg = (name: string, dflt: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('rows', 1_000_000);
const GZIP = process.argv.includes('--gzip');

ensureBuild();
const s = seed({ voters: 1, proposalsPerSection: 2 });
// The census is refused while a round votes: the bench round is between phases (preparation).
s.db.update(rounds).set({ phase: 'preparacion' }).where(eq(rounds.id, s.roundId)).run();
const token = generateSessionToken();
const municipalityId = writeTx(s.db, (tx) => {
	const u = tx.select().from(users).innerJoin(persons, eq(users.personId, persons.id)).get()!;
	grantRoleInTx(tx, null, u.person.municipalityId, u.user.id, 'official');
	createSession(tx, token, u.user.id);
	return u.person.municipalityId;
});

console.log(`Generating ${ROWS.toLocaleString('en')} census rows…`);
const lines = ['dni;fecha_nacimiento;zona'];
for (let i = 0; i < ROWS; i++)
	lines.push(
		`${String(10_000_000 + i * 7)};${String(1 + (i % 28)).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/${1940 + (i % 66)};${i % 3 ? 'Z1' : 'Sector Norte'}`
	);
const csvText = lines.join('\n') + '\n';
const file = GZIP ? gzipSync(csvText) : Buffer.from(csvText);
console.log(`File: ${(file.length / 1024 / 1024).toFixed(1)} MB${GZIP ? ' gzipped' : ''}`);

const server = await startServer(s.dbPath);
const cookie = `minka_session=${token}`;

function send(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) {
	return new Promise<{ status: number; location: string | null; html: string }>((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port: server.port, method, path, headers: { cookie, origin: server.origin, ...headers } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						location: (res.headers.location as string) ?? null,
						html: Buffer.concat(chunks).toString('utf8')
					})
				);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

// Warm the page up first (the first render compiles templates), so the figures are about the import.
for (let i = 0; i < 5; i++)
	await (await fetch(`http://127.0.0.1:${server.port}/${s.slug}/rounds/${s.roundId}`)).arrayBuffer();
const load = (await import('node:os')).loadavg()[0];
console.log(`Machine load average before the import: ${load.toFixed(1)} (2 cores)`);

// The public page, every 100 ms while the import runs.
let tStart = performance.now();
const latencies: number[] = [];
/** Each request's latency, when it started (seconds into the import) and the import's last reported step then. */
const probes: { ms: number; at: number; step: string }[] = [];
let step = 'uploading';
let importing = true;
const publicPage = (async () => {
	while (importing) {
		const t0 = performance.now();
		const r = await fetch(`http://127.0.0.1:${server.port}/${s.slug}/rounds/${s.roundId}`);
		await r.arrayBuffer();
		latencies.push(performance.now() - t0);
		probes.push({ ms: performance.now() - t0, at: (t0 - tStart) / 1000, step });
		await new Promise((ok) => setTimeout(ok, Math.max(0, 100 - (performance.now() - t0))));
	}
})();

const boundary = '----minka-bench-census';
const multipart = Buffer.concat([
	Buffer.from(
		`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="padron.csv${GZIP ? '.gz' : ''}"\r\n` +
			`content-type: ${GZIP ? 'application/gzip' : 'text/csv'}\r\n\r\n`
	),
	file,
	Buffer.from(`\r\n--${boundary}--\r\n`)
]);
const t0 = performance.now();
tStart = t0;
const posted = await send('POST', `/${s.slug}/admin/census?/import`, multipart, {
	'content-type': `multipart/form-data; boundary=${boundary}`,
	'content-length': String(multipart.length),
	accept: 'text/html'
});
const uploadedIn = performance.now() - t0;
step = 'uploaded, waiting for the first status';
if (posted.status !== 303 || !posted.location) {
	console.error(`import refused: HTTP ${posted.status}`, posted.html.slice(0, 500));
	process.exit(1);
}
let report: string;
let lastProgress: string | undefined;
for (;;) {
	const r = await send('GET', posted.location);
	const done = /Importadas: [^<]*/.exec(r.html);
	if (done) {
		report = done[0];
		break;
	}
	if (/role="alert"/.test(r.html) && !/http-equiv="refresh"/.test(r.html)) {
		console.error('import failed', /<p class="alert error"[^>]*>([^<]*)/.exec(r.html)?.[1]);
		process.exit(1);
	}
	const progress = /Importando el padrón: ([^<]*)/.exec(r.html)?.[1];
	if (progress && progress !== lastProgress)
		console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${progress}`);
	lastProgress = progress;
	if (progress) step = progress;
	await new Promise((ok) => setTimeout(ok, 500));
}
const seconds = (performance.now() - t0) / 1000;
importing = false;
await publicPage;
await server.stop();

latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const census = { n: censusSize(s.db, municipalityId) };
console.log(
	`Import of ${ROWS.toLocaleString('en')} rows: ${seconds.toFixed(1)} s (upload answered in ${(uploadedIn / 1000).toFixed(1)} s); ${report}`
);
console.log(`Rows in the census now: ${census.n.toLocaleString('en')}`);
console.log(
	`Public page every 100 ms meanwhile: ${latencies.length} requests, p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`
);
// Where the slowest requests fell: which step of the import held the server.
for (const p of [...probes].sort((a, b) => b.ms - a.ms).slice(0, 5))
	console.log(`  slow: ${p.ms.toFixed(0)} ms at ${p.at.toFixed(1)} s (${p.step})`);
console.log(
	`Budgets: import under 60 s ${seconds < 60 ? 'MET' : 'MISSED'}; public page p99 under 200 ms ${q(0.99) < 200 ? 'MET' : 'MISSED'}`
);
