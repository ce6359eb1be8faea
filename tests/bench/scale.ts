/**
 * npm run bench:scale — a municipality at metropolitan scale: 800 000 census rows, 200 proposals (8 zones of 20 and
 * 40 municipality-wide), 90 000 counted web ballots (a zone section and the municipality-wide one each, correlated
 * approvals), their roll entries and their audit events, written straight to a temporary database. Then:
 *   - computing the result (computeResults, in process, as the officials' button runs it) with greedy, MES and MES
 *     with add-one, each separately (budgets: greedy and MES < 5 s, MES add-one < 60 s);
 *   - the production server over real HTTP with 20 concurrent readers: the public results page, the turnout page
 *     (officials') and the audit export (p50, p99; budget p99 < 100 ms). The readers run in a process of their own
 *     (readers.mjs), forked after the seeding and computing: this process's heap (about 180 MB live by then) put its
 *     garbage collections into the readers' times (at load 10, a 339 ms scavenge here made the turnout page's
 *     slowest answers); --readers-in-process reads from here as before, to compare.
 *     Each page is warmed up first, not counted: 20 requests one after another (the first renders it), then one wave of
 *     20 at once that opens the 20 connections the measurement uses. Before, only one connection was warmed and the
 *     measurement began with 19 new ones at once: that first wave's slowest answer (new connections, a server that has
 *     not yet answered 20 at once, for the export TCP buffers not yet grown) is printed on its own line;
 *   - meanwhile a static file asked for every 25 ms from a third process (probe.mjs): the longest a request waited;
 *   - a reference for the export, not a budget: the same number of bytes from a bare node:http server
 *     (bytes-server.mjs) read by the same readers, i.e. what the bytes alone cost on this machine.
 * Flags: --census N --voters N --readers N --requests N --no-build --no-pages (computing only), --pages-only (only
 * greedy computed), --trace (the slowest requests, when they were sent, the readers' CPU per request), --wait (keep the
 * seeded server running), --keep (leave the seeded database in the temporary folder; removed otherwise).
 * BENCH_SERVER_MONITOR=1: the server reports its event-loop holds of 50 ms of CPU or more (told from waits for a core),
 * its GC pauses and its CPU time after each phase (server-monitor.mjs); BENCH_CPU_PROF=<dir> profiles it;
 * BENCH_NODE_ARGS adds flags to its node (e.g. --trace-gc). Benchmark, not a test: figures depend on the machine (the
 * load is printed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, writeTx } from '../../src/lib/server/db/client';
import {
	municipalities,
	roleGrants,
	rounds,
	roundBudgets,
	proposals,
	votingSeals,
	zones
} from '../../src/lib/server/db/schema/index';
import { DEFAULT_RULES, type RoundRules } from '../../src/lib/domain/round-rules';
import { computeResults, publishResults } from '../../src/lib/server/results';
import { appendAudit } from '../../src/lib/server/platform/audit';
import { sealsSettled } from '../../src/lib/server/voting';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { seedPerson } from '../support/voting-people';
import { ensureBuild, SECRET, startServer } from './voting-server';
import { read } from './readers.mjs';

const arg = (name: string, dflt: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const CENSUS = arg('census', 800_000);
const VOTERS = arg('voters', 90_000);
const READERS = arg('readers', 20);
const REQUESTS = arg('requests', 400);
const TRACE = process.argv.includes('--trace');
const ZONES = 8;
const PER_ZONE = 20;
const WIDE = 40;

ensureBuild();
const loadAtStart = loadavg();
process.env.MINKA_SECRET = SECRET;
const dbPath = join(mkdtempSync(join(tmpdir(), 'minka-scale-')), 'minka.db');
const db = openDatabase(dbPath);
const sqlite = db.$client;
// The seeded database (100-200 MB) is removed when the bench ends, unless --keep (or --wait) asks to look at it.
if (!process.argv.includes('--keep') && !process.argv.includes('--wait'))
	process.on('exit', () => rmSync(dirname(dbPath), { recursive: true, force: true }));

// A deterministic generator, so every run seeds the same election.
let x = 20261201;
const rnd = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;

let t0 = performance.now();
const now = Date.now();
const { m, zoneIds } = writeTx(db, (tx) => {
	const m = tx
		.insert(municipalities)
		.values({
			slug: 'metropoli',
			ubigeo: '150132',
			name: 'San Juan de Lurigancho (bench)',
			kind: 'distrital',
			department: 'Lima',
			province: 'Lima',
			defaultLocale: 'es',
			createdAt: now
		})
		.returning()
		.get();
	const zoneIds: number[] = [];
	for (let z = 0; z < ZONES; z++)
		zoneIds.push(
			tx
				.insert(zones)
				.values({ municipalityId: m.id, code: `Z${z + 1}`, name: `Sector ${z + 1}`, createdAt: now })
				.returning()
				.get().id
		);
	return { m, zoneIds };
});

// The census: 800 000 rows (HMAC'd DNIs, birth dates, zones).
const insertCensus = sqlite.prepare(
	'INSERT INTO census_entry (municipality_id, dni_hmac, birth_date, zone_id, imported_at) VALUES (?, ?, ?, ?, ?)'
);
sqlite.transaction(() => {
	for (let i = 0; i < CENSUS; i++) {
		const y = 1940 + Math.floor(rnd() * 68);
		insertCensus.run(
			m.id,
			createHash('sha256').update(`dni-${i}`).digest('hex'),
			`${y}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
			zoneIds[i % ZONES],
			now
		);
	}
})();
// Its size remembered as an import's swap would (residents/census-state.ts), so no page counts 800 000 rows.
sqlite
	.prepare('INSERT INTO census_state (municipality_id, generation, size, leftovers) VALUES (?, 0, ?, 0)')
	.run(m.id, CENSUS);
const censusSeconds = (performance.now() - t0) / 1000;

const official = seedPerson(db, m.id, { roles: ['official'], zoneId: zoneIds[0] });
db.insert(roleGrants).values({ municipalityId: m.id, userId: official.userId, role: 'official', grantedAt: now }).run();
const officialToken = generateSessionToken();
createSession(db, officialToken, official.userId);

// The round: approval ballot (up to 5 per section), zone budgets and a municipality-wide share.
const rules = (over: Partial<RoundRules>): RoundRules => ({
	...DEFAULT_RULES,
	ballot: { type: 'approval', maxChoices: 5 },
	...over
});
t0 = performance.now();
const { roundId, zoneProjects, wideProjects } = writeTx(db, (tx) => {
	const costs: number[] = [];
	const cost = () => {
		// log-normal-ish, S/ 50 000 … S/ 2 000 000
		const c = Math.round(Math.exp(Math.log(50_000) + rnd() * rnd() * Math.log(40)) / 1000) * 1000 * 100;
		costs.push(c);
		return c;
	};
	const projects: { zoneId: number | null; cost: number }[] = [];
	for (const z of zoneIds) for (let i = 0; i < PER_ZONE; i++) projects.push({ zoneId: z, cost: cost() });
	for (let i = 0; i < WIDE; i++) projects.push({ zoneId: null, cost: cost() });
	const budgetOf = (zoneId: number | null) =>
		Math.round((0.3 * projects.filter((p) => p.zoneId === zoneId).reduce((s, p) => s + p.cost, 0)) / 100) * 100;
	const budgets: [number | null, number][] = [
		...zoneIds.map((z) => [z, budgetOf(z)] as [number, number]),
		[null, budgetOf(null)]
	];
	const round = tx
		.insert(rounds)
		.values({
			municipalityId: m.id,
			fiscalYear: 2027,
			titleEs: 'Presupuesto participativo 2027',
			titleQu: 'Presupuesto participativo 2027 watapaq',
			budgetCents: budgets.reduce((s, [, c]) => s + c, 0),
			phase: 'resultados',
			phaseChangedAt: now,
			rules: rules({}),
			rulesFrozenAt: now,
			createdAt: now,
			updatedAt: now
		})
		.returning()
		.get();
	for (const [zoneId, amountCents] of budgets)
		tx.insert(roundBudgets).values({ roundId: round.id, zoneId, amountCents }).run();
	const ids = projects.map(
		(p, i) =>
			tx
				.insert(proposals)
				.values({
					municipalityId: m.id,
					roundId: round.id,
					seq: i + 1,
					zoneId: p.zoneId,
					authorPersonId: official.personId,
					originalLocale: 'es',
					title: `Proyecto ${i + 1}: mejoramiento de la infraestructura del sector`,
					description: 'Obra pedida por los vecinos del sector.',
					category: 'other',
					estimatedCostCents: p.cost,
					beneficiaries: 100 + i,
					status: 'on_ballot',
					createdAt: now,
					updatedAt: now
				})
				.returning({ id: proposals.id })
				.get().id
	);
	// Voting has ended and the secrecy step has run (no tags; each counted ballot's public id drawn, seal.ts): the
	// pages read a sealed round.
	tx.insert(votingSeals).values({ roundId: round.id, sealedAt: now }).run();
	return {
		roundId: round.id,
		zoneProjects: zoneIds.map((_, zi) => ids.slice(zi * PER_ZONE, (zi + 1) * PER_ZONE)),
		wideProjects: ids.slice(ZONES * PER_ZONE)
	};
});

// Popularity: a few favourites per section, a long tail (approvals ~ 1 … 5 per section, 3.2 on average).
const pick = (ids: number[]): number[] => {
	const n = 1 + Math.floor(rnd() * rnd() * 5 + rnd() * 2);
	const chosen = new Set<number>();
	while (chosen.size < Math.min(n, 5)) chosen.add(ids[Math.floor(ids.length * rnd() ** 2)]);
	return [...chosen].sort((a, b) => a - b);
};
const insBallot = sqlite.prepare(
	"INSERT INTO ballot (id, municipality_id, round_id, channel, status, public_id) VALUES (?, ?, ?, 'web', 'counted', ?)"
);
const insSection = sqlite.prepare(
	'INSERT INTO ballot_section (id, ballot_id, budget_zone_id, choices) VALUES (?, ?, ?, ?)'
);
const insReceipt = sqlite.prepare(
	"INSERT INTO receipt (id, municipality_id, round_id, hash, status) VALUES (?, ?, ?, ?, 'counted')"
);
const insRoll = sqlite.prepare(
	"INSERT INTO roll_entry (round_id, dni_hmac, zone_id, channel, day) VALUES (?, ?, ?, 'web', ?)"
);
const randomId = () => randomBytes(6).readUIntBE(0, 6) || 1;
sqlite.transaction(() => {
	for (let i = 0; i < VOTERS; i++) {
		const zi = i % ZONES;
		const id = randomId();
		insBallot.run(id, m.id, roundId, randomBytes(9).toString('base64url'));
		insSection.run(randomId(), id, zoneIds[zi], JSON.stringify({ approve: pick(zoneProjects[zi]) }));
		insSection.run(randomId(), id, null, JSON.stringify({ approve: pick(wideProjects) }));
		insReceipt.run(randomId(), m.id, roundId, randomBytes(32).toString('hex'));
		insRoll.run(
			roundId,
			createHash('sha256')
				.update(`dni-${i * 7}`)
				.digest('hex'),
			zoneIds[zi],
			`2027-06-0${1 + (i % 9)}`
		);
	}
})();
// One audit event per accepted ballot, as casting appends them.
writeTx(db, (tx) => {
	for (let i = 0; i < VOTERS; i++)
		appendAudit(tx, {
			municipalityId: m.id,
			actorUserId: null,
			type: 'ballot.accepted',
			payload: { roundId, channel: 'web' }
		});
});
const ballotSeconds = (performance.now() - t0) / 1000;
console.log(
	`Seeded ${CENSUS.toLocaleString('en')} census rows in ${censusSeconds.toFixed(1)} s; 200 proposals, ` +
		`${VOTERS.toLocaleString('en')} ballots, roll and audit events in ${ballotSeconds.toFixed(1)} s`
);

// Computing, one rule at a time (each a new snapshot: the rules are part of the input).
const computes: { name: string; seconds: number; budget: number }[] = [];
let lastVersion = 0;
const ruleSets: [string, Partial<RoundRules>, number][] = [
	['greedy', { allocation: 'greedy' }, 5],
	['MES', { allocation: 'mes', mesCompletion: 'none' }, 5],
	['MES + add-one', { allocation: 'mes', mesCompletion: 'add1' }, 60]
];
// --pages-only: only greedy computed (the pages need a published result), for iterating on the pages' figures
for (const [name, over, budget] of process.argv.includes('--pages-only') ? ruleSets.slice(0, 1) : ruleSets) {
	db.update(rounds)
		.set({ rules: rules(over) })
		.where(eq(rounds.id, roundId))
		.run();
	const t = performance.now();
	const snap = computeResults(db, official.actor, m.id, roundId);
	computes.push({ name, seconds: (performance.now() - t) / 1000, budget });
	console.log(`  computed ${name}: ${computes.at(-1)!.seconds.toFixed(2)} s`);
	lastVersion = snap.version;
}
publishResults(db, official.actor, m.id, roundId, lastVersion);
// Publishing scrubs the file in a worker of this process (a VACUUM of the whole seeded file, seconds): let it end
// before the server starts, or the server's start-up writes wait for it in SQLite's busy handler (its event loop held
// 4.8 s; with a CPU profile attached past the 5 s busy timeout, and the server died at start-up).
await sealsSettled();
if (process.argv.includes('--no-pages')) {
	for (const c of computes) console.log(`    ${c.name.padEnd(16)} ${c.seconds.toFixed(2).padStart(7)} s`);
	process.exit(0);
}

// Pages over real HTTP, 20 concurrent readers.
const server = await startServer(dbPath, { BENCH_SERVER_MONITOR_LABEL: join(dirname(dbPath), 'monitor-label') });
if (process.argv.includes('--wait')) {
	console.log(`server at ${server.origin}, official session ${officialToken}; Ctrl-C to stop`);
	await new Promise(() => {});
}
/** With BENCH_SERVER_MONITOR=1, the server prints its event-loop holds and GC pauses since the last call (server-monitor.mjs). */
const monitorLabel = join(dirname(dbPath), 'monitor-label');
async function monitorPhase(label: string) {
	if (!process.env.BENCH_SERVER_MONITOR) return;
	writeFileSync(monitorLabel, label);
	server.child.kill('SIGUSR2');
	await new Promise((r) => setTimeout(r, 100));
}
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
/** read() of readers.mjs in a forked process with a fresh heap, or here with --readers-in-process (to compare). */
async function readIn(o: Parameters<typeof read>[0], warmed: () => Promise<unknown>): ReturnType<typeof read> {
	if (process.argv.includes('--readers-in-process')) return read(o, warmed);
	const child = fork(here('./readers.mjs'), [JSON.stringify(o)], { execArgv: [] });
	return new Promise((resolve, reject) => {
		child.on('message', (m) => {
			if (m === 'warmed') void warmed().then(() => child.send('go'));
			else resolve(m as Awaited<ReturnType<typeof read>>);
		});
		child.once('exit', (code) => code && reject(new Error(`readers.mjs exited with ${code}`)));
	});
}
async function readers(path: string, n: number, cookie?: string, port = server.port) {
	await monitorPhase(`${path} before`);
	// A static file asked for every 25 ms during the measured requests, on its own socket and from a process of its own
	// (probe.mjs): how long the server kept anyone waiting, not how long a load generator's busy event loop took to
	// notice. (For the bytes reference, still the app's server: what a large response elsewhere does to it.)
	let probe: ChildProcess | undefined;
	let probed: Promise<{ longest: number; waits: number[] }> | undefined;
	const warmed = async () => {
		await monitorPhase(`${path} warm-up`);
		probe = fork(here('./probe.mjs'), [String(server.port), '/robots.txt', '25'], { execArgv: [] });
		probed = new Promise((resolve) =>
			probe!.on('message', (m) => typeof m === 'object' && resolve(m as { longest: number; waits: number[] }))
		);
		await new Promise((resolve) => probe!.once('message', resolve));
	};
	const r = await readIn({ port, path, cookie, n, readers: READERS, warm: Math.min(20, n) }, warmed);
	probe!.send('stop');
	const { longest: stall } = await probed!;
	await monitorPhase(`${path} measured`);
	if (r.failed) console.error(`${path}: ${r.failed} answers not 200 (HTTP ${r.status})`);
	if (TRACE) {
		const slow = r.times.map((ms, i) => ({ ms, at: r.started[i] })).sort((a, b) => b.ms - a.ms);
		console.log(
			`  ${path}: slowest ${slow
				.slice(0, 8)
				.map((x) => `${x.ms.toFixed(0)} ms (sent at +${x.at.toFixed(0)} ms)`)
				.join(', ')}; readers' CPU ${(r.cpuMs / r.times.length).toFixed(2)} ms per request`
		);
	}
	const times = [...r.times].sort((a, b) => a - b);
	const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
	return {
		p50: pct(50),
		p99: pct(99),
		rate: times.length / r.seconds,
		failed: r.failed,
		bytes: r.bytes,
		stall,
		clientLoop: r.loopMax,
		firstWave: r.firstWave
	};
}
const base = `/${m.slug}/rounds/${roundId}`;
const session = `minka_session=${officialToken}`;
const pages = [
	['public results page', `${base}/results`, REQUESTS, undefined],
	['turnout page (officials)', `/${m.slug}/admin/rounds/${roundId}/voting`, REQUESTS, session],
	['audit export (JSON, whole chain)', `/${m.slug}/audit/export`, Math.max(40, REQUESTS / 10), undefined]
] as const;
const measured: { name: string; r: Awaited<ReturnType<typeof readers>> }[] = [];
let reference: Awaited<ReturnType<typeof readers>> | undefined;
try {
	for (const [name, path, n, cookie] of pages) {
		if (process.argv.includes('--verbose')) console.log('reading', path);
		measured.push({ name, r: await readers(path, n, cookie) });
	}
	// The reference for the export: the same number of bytes from a bare node:http server (bytes-server.mjs), read the
	// same way: what 20 readers of that many bytes cost on this machine whatever the app does.
	const exportBytes = measured.at(-1)!.r.bytes;
	const bare = fork(here('./bytes-server.mjs'), [String(exportBytes)], { execArgv: [] });
	const barePort = await new Promise<number>((resolve) => bare.once('message', (p) => resolve(p as number)));
	try {
		reference = await readers('/', Math.max(40, REQUESTS / 10), undefined, barePort);
	} finally {
		bare.send('stop');
	}
} finally {
	await server.stop();
}

console.log(`
bench:scale — ${CENSUS.toLocaleString('en')} census rows, 200 proposals (${ZONES} zones × ${PER_ZONE} + ${WIDE} wide), ${VOTERS.toLocaleString('en')} ballots (2 sections each)
  computing the result (computeResults, in process: read ballots, one .pb per budget, engine, snapshot)`);
let ok = true;
for (const c of computes) {
	const pass = c.seconds < c.budget;
	ok &&= pass;
	console.log(
		`    ${c.name.padEnd(16)} ${c.seconds.toFixed(2).padStart(7)} s   (budget < ${c.budget} s) ${pass ? '' : 'MISS'}`
	);
}
console.log(`  pages over HTTP, ${READERS} concurrent readers (p50 / p99; compressed bytes)`);
for (const { name, r } of measured) {
	const pass = r.p99 < 100 && r.failed === 0;
	ok &&= pass;
	console.log(
		`    ${name.padEnd(34)} ${r.p50.toFixed(1).padStart(7)} / ${r.p99.toFixed(1).padStart(7)} ms   ${r.rate.toFixed(0)} req/s, ` +
			`${(r.bytes / 1024).toFixed(1)} KB, ${r.failed} failed   (budget p99 < 100 ms) ${pass ? '' : 'MISS'}`
	);
}
if (reference)
	console.log(
		`    ${'(the same bytes from bare node:http)'.padEnd(34)} ${reference.p50.toFixed(1).padStart(7)} / ${reference.p99.toFixed(1).padStart(7)} ms   ${reference.rate.toFixed(0)} req/s, ` +
			`${(reference.bytes / 1024).toFixed(1)} KB   (reference, no budget)`
	);
console.log(
	`  longest wait of a static file asked for meanwhile (every 25 ms): ${measured.map(({ name, r }) => `${name.split(' ')[0]} ${r.stall.toFixed(0)} ms`).join(' · ')}`
);
console.log(
	`  slowest answer of the warm-up's wave on ${READERS} new connections (not counted): ${measured.map(({ name, r }) => `${name.split(' ')[0]} ${r.firstWave.toFixed(0)} ms`).join(' · ')}`
);
console.log(
	`  longest event-loop delay of this load generator meanwhile: ${measured.map(({ name, r }) => `${name.split(' ')[0]} ${r.clientLoop.toFixed(0)} ms`).join(' · ')}`
);
const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
console.log(`  machine load (1, 5, 15 min): ${loads(loadAtStart)} at the start, ${loads(loadavg())} at the end`);
console.log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);
