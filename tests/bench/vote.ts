/**
 * npm run bench:vote — builds (if needed) and starts the production server on a temporary database, creates
 * 5 000 verified voters with sessions written straight to the database, and casts their ballots over HTTP on
 * loopback with 50 concurrent clients through the ballot page's form action, as a phone without JavaScript does
 * (POST form-urlencoded, Origin header for the CSRF check; the 303 is followed with a GET of the receipt page, which
 * carries the receipt cookie, and POST + GET are timed as one vote). Then checks that every acknowledged ballot is in
 * the database exactly once.
 *
 * The baseline: the same server started with MINKA_BENCH=1 also answers a no-op form action (`?/benchNoop`: the same
 * hooks, form read, receipt cookie and 303 to the same receipt page — everything but the cast). The same clients
 * alternate blocks of no-op requests and blocks of votes (ABBA order, after a warm-up), so the figure that matters is
 * a ratio that holds on a noisy machine: ballots/s ÷ no-op round trips/s (budget ≥ 70 %).
 * Flags: --voters N --clients N --blocks N (vote blocks, even) --no-build. BENCH_CPU_PROF=<dir> profiles the server.
 */
import { request, Agent } from 'node:http';
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { receipts } from '../../src/lib/server/db/schema/index';
import { ensureBuild, seed, startServer } from './voting-server';

const arg = (name: string, dflt: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const VOTERS = arg('voters', 5000);
const CLIENTS = arg('clients', 50);
const BLOCKS = Math.max(2, arg('blocks', 4));

ensureBuild();
console.log(`Seeding ${VOTERS} verified voters with sessions…`);
const s = seed({ voters: VOTERS, proposalsPerSection: 10 });
const server = await startServer(s.dbPath, { MINKA_BENCH: '1' });
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
const path = `/${s.slug}/rounds/${s.roundId}/vote?/cast`;
const noopPath = `/${s.slug}/rounds/${s.roundId}/vote?/benchNoop`;

type Answer = { status: number; html: string; location?: string; setCookie: string[] };
function send(method: 'POST' | 'GET', target: string, cookie: string, body = ''): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = { cookie, accept: 'text/html' };
		if (method === 'POST')
			Object.assign(headers, {
				'content-type': 'application/x-www-form-urlencoded',
				'content-length': Buffer.byteLength(body),
				origin: server.origin
			});
		const req = request({ host: '127.0.0.1', port: server.port, method, path: target, agent, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					html: Buffer.concat(chunks).toString('utf8'),
					location: res.headers.location,
					setCookie: res.headers['set-cookie'] ?? []
				})
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** One vote as a browser makes it: the POST, then the GET its 303 points to, with the receipt cookie it set. */
async function post(token: string, body: string, target = path): Promise<{ status: number; html: string }> {
	const session = `minka_session=${token}`;
	const r = await send('POST', target, session, body);
	if (r.status !== 303 || !r.location) return r;
	const receipt = r.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('minka_receipt='));
	const g = await send('GET', r.location, receipt ? `${session}; ${receipt}` : session);
	return { status: g.status, html: g.html };
}

// Each voter picks a different set that fits the budget (S/ 100 000 in the zone, S/ 200 000 district-wide).
function ballotBody(i: number): string {
	const [zone, wide] = s.sections;
	const p = new URLSearchParams();
	p.append('s0', String(zone[i % zone.length]));
	p.append('s0', String(zone[(i + 3) % zone.length]));
	p.append('s1', String(wide[i % wide.length]));
	p.append('s1', String(wide[(i + 5) % wide.length]));
	return p.toString();
}

const acknowledged = new Map<number, string>(); // voter index → receipt code
const latencies: number[] = [];
const noopLatencies: number[] = [];
let failures = 0;
let noopFailures = 0;
const statuses = new Map<string, number>();
const RECEIPT = /class="code mono[^"]*"[^>]*>([A-Z2-9-]{19})</;

/** The clients vote for voters [from, to) — each voter once — and the time it took. */
async function voteBlock(from: number, to: number): Promise<number> {
	let next = from;
	const t = performance.now();
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			for (;;) {
				const i = next++;
				if (i >= to) return;
				const t0 = performance.now();
				try {
					const r = await post(s.tokens[i], ballotBody(i));
					latencies.push(performance.now() - t0);
					statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
					const code = RECEIPT.exec(r.html)?.[1];
					if (r.status === 200 && code) acknowledged.set(i, code);
					else {
						failures++;
						if (failures <= 3)
							console.error(
								`voter ${i}: HTTP ${r.status} without receipt`,
								(/<main[\s\S]*<\/main>/.exec(r.html)?.[0] ?? r.html).slice(0, 600)
							);
					}
				} catch (e) {
					failures++;
					if (failures <= 3) console.error(`voter ${i}:`, e);
				}
			}
		})
	);
	return performance.now() - t;
}

/** The same clients send n no-op round trips (POST + the receipt GET), with the same bodies and sessions. */
async function noopBlock(n: number, record = true): Promise<number> {
	let next = 0;
	const t = performance.now();
	await Promise.all(
		Array.from({ length: CLIENTS }, async () => {
			for (;;) {
				const i = next++;
				if (i >= n) return;
				const t0 = performance.now();
				try {
					const r = await post(s.tokens[i % VOTERS], ballotBody(i), noopPath);
					if (record) noopLatencies.push(performance.now() - t0);
					if (r.status !== 200 || !RECEIPT.test(r.html)) {
						noopFailures++;
						if (noopFailures <= 3) console.error(`no-op ${i}: HTTP ${r.status}`, r.html.slice(0, 300));
					}
				} catch (e) {
					noopFailures++;
					if (noopFailures <= 3) console.error(`no-op ${i}:`, e);
				}
			}
		})
	);
	return performance.now() - t;
}

// Warm-up (JIT, caches, connections), not counted.
await noopBlock(Math.min(500, VOTERS));
const per = Math.ceil(VOTERS / BLOCKS);
let voteMs = 0;
let noopMs = 0;
let noops = 0;
let done = 0;
const started = performance.now();
// ABBA: no-op, vote, vote, no-op, no-op, vote, … so drift on a shared machine falls on both alike.
for (let b = 0; b < BLOCKS; b++) {
	const noopFirst = b % 2 === 0;
	const n = Math.min(per, VOTERS - done);
	if (noopFirst) {
		noopMs += await noopBlock(n);
		noops += n;
	}
	voteMs += await voteBlock(done, done + n);
	done += n;
	if (!noopFirst) {
		noopMs += await noopBlock(n);
		noops += n;
	}
}
const seconds = (performance.now() - started) / 1000;
await server.stop();
agent.destroy();

// Every acknowledged ballot must be in the database exactly once, counted.
const rows = s.db
	.select({ receiptHash: receipts.hash, status: receipts.status })
	.from(receipts)
	.where(and(eq(receipts.roundId, s.roundId)))
	.all();
const byHash = new Map<string, number>();
for (const r of rows) if (r.receiptHash) byHash.set(r.receiptHash, (byHash.get(r.receiptHash) ?? 0) + 1);
const hash = (c: string) =>
	createHash('sha256')
		.update('receipt:' + c.replace(/-/g, ''))
		.digest('hex');
let lost = 0;
let doubled = 0;
for (const code of acknowledged.values()) {
	const n = byHash.get(hash(code)) ?? 0;
	if (n === 0) lost++;
	if (n > 1) doubled++;
}
const counted = rows.filter((r) => r.status === 'counted').length;
// A ballot stored without an acknowledgement would also be a "double" from the voter's point of view (they retry).
const unacknowledgedStored = rows.length - acknowledged.size;

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const rate = acknowledged.size / (voteMs / 1000);
const noopRate = noops / (noopMs / 1000);
const ratio = rate / noopRate;
noopLatencies.sort((a, b) => a - b);
const npct = (p: number) =>
	noopLatencies[Math.min(noopLatencies.length - 1, Math.floor((p / 100) * noopLatencies.length))] ?? NaN;
console.log(`
bench:vote — ${VOTERS} voters, ${CLIENTS} concurrent clients, form action POST + receipt GET over HTTP/1.1 on loopback
  acknowledged ballots : ${acknowledged.size} (${failures} failed requests; HTTP statuses ${JSON.stringify(Object.fromEntries(statuses))})
  wall time            : ${seconds.toFixed(2)} s (${BLOCKS} vote blocks ${(voteMs / 1000).toFixed(2)} s, as many no-op blocks ${(noopMs / 1000).toFixed(2)} s)
  ballots per second   : ${rate.toFixed(0)}
  no-op baseline       : ${noopRate.toFixed(0)} round trips/s (${noops}, ${noopFailures} failed; p50 / p99 ${npct(50).toFixed(1)} / ${npct(99).toFixed(1)} ms)
  ratio                : ${(100 * ratio).toFixed(1)} % of the no-op rate   (budget ≥ 70 %)
  latency p50 / p99    : ${pct(50).toFixed(1)} ms / ${pct(99).toFixed(1)} ms   (budget p99 < 300 ms)
  lost                 : ${lost}
  doubled              : ${doubled}
  stored, counted      : ${rows.length}, ${counted}   (stored without acknowledgement: ${unacknowledgedStored})
`);
const ok =
	failures === 0 &&
	lost === 0 &&
	doubled === 0 &&
	unacknowledgedStored === 0 &&
	counted === acknowledged.size &&
	noopFailures === 0 &&
	ratio >= 0.7 &&
	pct(99) < 300;
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
