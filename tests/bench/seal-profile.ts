/**
 * The end-of-voting step (seal) at N ballots: the officials' first reads after the window ends (station guard check,
 * turnout) timed on this thread, the seal in its worker, and the worst timer lag of this thread meanwhile.
 * `npx tsx tests/bench/seal-profile.ts [--voters 90000]` seeds (about a minute at 90 000 under load) and prints the
 * seeded file's path; `--from <that seed.db>` reuses it; `--steps` times each statement of the seal as it was before
 * it was sliced (one transaction on this thread). Benchmark, not a test. Build dist/seal-worker.js first (npm run build).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import type { Actor } from '../../src/lib/server/platform/policy';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDatabase, writeTx } from '../../src/lib/server/db/client';
import { ballotSections, ballots, receipts, rollEntries } from '../../src/lib/server/db/schema/index';
import { seedVotingRound } from '../support/voting-fixture';
import { seedPerson, seedTown } from '../support/voting-people';

process.env.MINKA_SECRET = 'test';
const i = process.argv.indexOf('--voters');
const VOTERS = i > 0 ? Number(process.argv[i + 1]) : 90_000;
const from = process.argv.indexOf('--from');
const file = join(mkdtempSync(join(tmpdir(), 'minka-seal-')), 't.db');
let db: ReturnType<typeof openDatabase>;
let roundId: number;
let m: number;
let actor: Actor;
if (from > 0) {
	// a copy of a file this script seeded before (printed as "seed:"): the same round, never sealed
	copyFileSync(process.argv[from + 1], file);
	db = openDatabase(file);
	roundId = 1;
	m = 1;
	actor = { userId: 1, personId: 1, municipalityId: 1, roles: new Set(['official']), verified: true };
} else {
	const file = join(mkdtempSync(join(tmpdir(), 'minka-seal-')), 't.db');
	db = openDatabase(file);
	const town = seedTown(db, '080108');
	const official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		budgets: [
			[town.zones[0], 1_000_000_00],
			[null, 1_000_000_00]
		],
		proposals: [
			[town.zones[0], 'A', null, 10_00],
			[town.zones[0], 'B', null, 10_00],
			[null, 'W', null, 10_00]
		],
		phase: 'resultados'
	});
	m = town.municipalityId;
	roundId = r.roundId;
	actor = official.actor;
	const t0 = performance.now();
	writeTx(db, (tx) => {
		for (let v = 0; v < VOTERS; v++) {
			const tag = createHash('sha256').update(`t${v}`).digest('hex');
			const status = v % 20 === 0 ? 'superseded' : 'counted';
			const b = tx
				.insert(ballots)
				.values({ municipalityId: m, roundId, channel: 'web', status, tag: status === 'counted' ? tag : tag + 'x' })
				.returning({ id: ballots.id })
				.get();
			tx.insert(ballotSections)
				.values({ ballotId: b.id, budgetZoneId: town.zones[0], choices: { approve: [r.proposalIds[0]] } })
				.run();
			tx.insert(ballotSections)
				.values({ ballotId: b.id, budgetZoneId: null, choices: { approve: [r.proposalIds[2]] } })
				.run();
			tx.insert(receipts)
				.values({ municipalityId: m, roundId, hash: createHash('sha256').update(`r${v}`).digest('hex'), status, tag })
				.run();
			if (status === 'counted')
				tx.insert(rollEntries)
					.values({ roundId, dniHmac: tag, zoneId: town.zones[0], channel: 'web', day: '2027-05-01' })
					.run();
		}
	});
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	console.log(file);
	console.log(`seeded ${VOTERS} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	const seed = file.replace(/t\.db$/, 'seed.db');
	copyFileSync(file, seed);
	console.log(`seed: ${seed}`);
}
const mode = process.argv.includes('--steps') ? 'steps' : 'calls';
const time = (label: string, fn: () => unknown) => {
	const s = performance.now();
	const out = fn();
	console.log(`${label}: ${(performance.now() - s).toFixed(0)} ms`);
	return out;
};
const { turnout, sealIfEnded, sealsSettled } = await import('../../src/lib/server/voting');
const { computeBlocksFor } = await import('../../src/lib/server/results/guards');
if (mode === 'steps') {
	const conn = db.$client;
	conn.pragma('secure_delete = ON');
	const RID = '(abs(random()) % 281474976710655) + 1';
	conn.exec('BEGIN IMMEDIATE');
	time('delete dead sections', () =>
		conn
			.prepare(
				`DELETE FROM ballot_section WHERE ballot_id IN (SELECT id FROM ballot WHERE round_id = ? AND status != 'counted')`
			)
			.run(roundId)
	);
	time('null ballot tags', () => conn.prepare(`UPDATE ballot SET tag = NULL WHERE round_id = ?`).run(roundId));
	time('null receipt tags', () => conn.prepare(`UPDATE receipt SET tag = NULL WHERE round_id = ?`).run(roundId));
	conn.exec('PRAGMA defer_foreign_keys = ON');
	time('seal_map', () =>
		conn.exec(
			`CREATE TEMP TABLE seal_map AS SELECT id AS old_id, ${RID} AS new_id FROM ballot WHERE round_id = ${roundId}; CREATE UNIQUE INDEX temp.seal_map_old ON seal_map(old_id)`
		)
	);
	time('section ids', () =>
		conn.exec(
			`UPDATE ballot_section SET ballot_id = (SELECT new_id FROM seal_map WHERE old_id = ballot_section.ballot_id), id = ${RID} WHERE ballot_id IN (SELECT old_id FROM seal_map)`
		)
	);
	time('ballot ids', () =>
		conn.exec(
			`UPDATE ballot SET id = (SELECT new_id FROM seal_map WHERE old_id = ballot.id) WHERE round_id = ${roundId}`
		)
	);
	time('receipt ids', () => conn.exec(`UPDATE receipt SET id = ${RID} WHERE round_id = ${roundId}`));
	time('commit', () => conn.exec('COMMIT'));
	time('vacuum', () => conn.exec('VACUUM'));
	time('checkpoint', () => conn.pragma('wal_checkpoint(TRUNCATE)'));
} else {
	// the server's thread: timer lag sampled every 10 ms across the first officials' reads and the whole seal
	let worst = 0;
	let last = performance.now();
	const sampler = setInterval(() => {
		const t = performance.now();
		worst = Math.max(worst, t - last - 10);
		last = t;
	}, 10);
	await new Promise((ok) => setTimeout(ok, 50));
	const s0 = performance.now();
	time('sealIfEnded (first)', () => sealIfEnded(db, roundId));
	time('computeBlocksFor (first)', () => computeBlocksFor(db, actor, m, roundId));
	time('turnout (first)', () => turnout(db, actor, m, roundId));
	time('computeBlocksFor (again)', () => computeBlocksFor(db, actor, m, roundId));
	// a writer of the server meanwhile (a login, an audited act): how long it waits for the seal's slices
	db.$client.exec('CREATE TABLE IF NOT EXISTS bench_probe (x)');
	const probe = db.$client.prepare('INSERT INTO bench_probe VALUES (1)');
	const waits: number[] = [];
	const writer = setInterval(() => {
		const t = performance.now();
		probe.run();
		waits.push(performance.now() - t);
	}, 100);
	await sealsSettled();
	clearInterval(writer);
	waits.sort((a, b) => a - b);
	console.log(
		`a write every 100 ms during the seal: ${waits.length} writes, p50 ${waits[waits.length >> 1].toFixed(0)} ms, ` +
			`p99 ${waits[Math.floor(waits.length * 0.99)].toFixed(0)} ms, max ${waits[waits.length - 1].toFixed(0)} ms`
	);
	console.log(`seal in the worker: ${(performance.now() - s0).toFixed(0)} ms`);
	time('turnout (after the seal)', () => turnout(db, actor, m, roundId));
	time('turnout (again)', () => turnout(db, actor, m, roundId));
	time('computeBlocksFor (after the seal)', () => computeBlocksFor(db, actor, m, roundId));
	await new Promise((ok) => setTimeout(ok, 30));
	clearInterval(sampler);
	console.log(`worst timer lag on this thread: ${worst.toFixed(0)} ms`);
	const n = db.$client.prepare('SELECT count(*) FROM ballot WHERE tag IS NOT NULL').pluck().get();
	const sealed = db.$client.prepare('SELECT count(*) FROM voting_seal').pluck().get();
	console.log(`sealed rows ${sealed}, tags left ${n}`);
}
console.log(
	'load',
	loadavg()
		.map((x) => x.toFixed(2))
		.join(' ')
);
