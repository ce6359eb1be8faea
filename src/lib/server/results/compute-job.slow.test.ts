/**
 * Issue 12 point 3 and issue 13, measured: computing a large MES + add-one round in the worker — the guards, the
 * public ids and reading the ballots there too — keeps the server's own thread answering (timer lag sampled every
 * 10 ms from before the request starts the job until the result is written), reports progress passes as it goes, and
 * writes the same snapshot the in-thread path writes; the in-thread times are what a request would hold the server.
 * VOTERS (default 20,000) sets the size: `VOTERS=90000 npx vitest run --config vitest.slow.config.ts <this file>`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import {
	ballotSections,
	ballots,
	municipalities,
	proposals,
	resultInputs,
	resultSnapshots,
	rounds
} from '../db/schema/index';
import { createAccount } from '../accounts';
import { DEFAULT_RULES } from '../../domain/round-rules';
import type { Actor } from '../platform/policy';
import { computeResults, prepareCompute, startComputeJob } from './results';

const VOTERS = Number(process.env.VOTERS ?? 20_000);
const PROJECTS = 24;

let db: Db;
let official: Actor;
let municipalityId: number;
let roundId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-compute-slow-')), 't.db'));
	const now = Date.now();
	writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'cs',
				ubigeo: '080108',
				name: 'CS',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		municipalityId = m.id;
		const acc = createAccount(tx, m.id, {
			fullName: 'Rosa Quispe',
			dni: '70000138',
			birthDate: '1980-01-01',
			email: 'rosa@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		official = {
			userId: acc.user.id,
			personId: acc.person.id,
			municipalityId,
			roles: new Set(['official']),
			verified: true
		};
		const round = tx
			.insert(rounds)
			.values({
				municipalityId,
				fiscalYear: 2031,
				titleEs: 'Grande',
				budgetCents: 1_500_000_00,
				phase: 'resultados',
				rules: { ...DEFAULT_RULES, allocation: 'mes', mesCompletion: 'add1', privateBelow: 1 },
				rulesFrozenAt: now,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		roundId = round.id;
		const ids: number[] = [];
		for (let i = 0; i < PROJECTS; i++)
			ids.push(
				tx
					.insert(proposals)
					.values({
						municipalityId,
						roundId,
						seq: i + 1,
						zoneId: null,
						authorPersonId: acc.person.id,
						originalLocale: 'es',
						title: `Proyecto ${i + 1}`,
						description: 'x',
						category: 'other',
						estimatedCostCents: (60_000 + ((i * 37_000) % 400_000)) * 100,
						beneficiaries: 10,
						status: 'on_ballot',
						createdAt: now,
						updatedAt: now
					})
					.returning()
					.get().id
			);
		// mulberry32: the same ballots every run; popular projects (low index) more often
		let seed = 12;
		const rnd = () => {
			seed = (seed + 0x6d2b79f5) | 0;
			let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
			t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
		for (let v = 0; v < VOTERS; v++) {
			const b = tx
				.insert(ballots)
				.values({ municipalityId, roundId, channel: 'web', status: 'counted' })
				.returning({ id: ballots.id })
				.get();
			const picks = new Set<number>();
			const k = 1 + Math.floor(rnd() * 6);
			while (picks.size < k) picks.add(ids[Math.floor(rnd() * rnd() * PROJECTS)]);
			tx.insert(ballotSections)
				.values({ ballotId: b.id, budgetZoneId: null, choices: { approve: [...picks] } })
				.run();
		}
	});
}, 120_000);

describe(`computing ${VOTERS} MES + add-one ballots`, () => {
	it('in the worker the server keeps answering; the snapshot equals the in-thread one', async () => {
		// Timer lag on this (the server's) thread, sampled every 10 ms from before the request starts the job until the
		// result is written: the request's own part, the worker's preparation and count, and the final write.
		let worstLag = 0;
		let ticks = 0;
		let maxPasses = 0;
		let last = performance.now();
		const sampler = setInterval(() => {
			const now = performance.now();
			worstLag = Math.max(worstLag, now - last - 10);
			last = now;
			ticks++;
		}, 10);
		await new Promise((ok) => setTimeout(ok, 50));
		const t0 = performance.now();
		const job = startComputeJob(db, official, municipalityId, roundId);
		const tStarted = performance.now() - t0;
		while (job.state === 'running') {
			await new Promise((ok) => setTimeout(ok, 10));
			maxPasses = Math.max(maxPasses, job.passes);
		}
		const worker = performance.now() - t0;
		await new Promise((ok) => setTimeout(ok, 30));
		clearInterval(sampler);
		expect(job.state, JSON.stringify(job.error)).toBe('done');
		const [viaWorker] = db.select().from(resultSnapshots).where(eq(resultSnapshots.roundId, roundId)).all();
		// the same round in this thread, for the figures and the comparison: the preparation alone is what the request
		// held the server for before it moved into the worker
		const ids = [viaWorker.id];
		db.delete(resultInputs).where(inArray(resultInputs.snapshotId, ids)).run();
		db.delete(resultSnapshots).where(eq(resultSnapshots.roundId, roundId)).run();
		const tp = performance.now();
		prepareCompute(db, official, municipalityId, roundId);
		const prepare = performance.now() - tp;
		const t1 = performance.now();
		const inThread = computeResults(db, official, municipalityId, roundId);
		const thread = performance.now() - t1;
		expect(inThread.body).toBe(viaWorker.body);
		console.log(
			`compute ${VOTERS} voters, ${PROJECTS} projects, mes-add1: request thread held ${tStarted.toFixed(1)} ms to start the job; ` +
				`worker total ${worker.toFixed(0)} ms, worst timer lag meanwhile ${worstLag.toFixed(0)} ms over ${ticks} ticks, ` +
				`passes seen ${maxPasses}; in this thread: preparation ${prepare.toFixed(0)} ms, all ${thread.toFixed(0)} ms ` +
				`(the server held all that time); load ${loadavg()
					.map((x) => x.toFixed(2))
					.join(' ')}`
		);
		expect(tStarted).toBeLessThan(50);
		// 50 ms is the aim (issue 13); on a 2-core machine shared with other work, the OS scheduler alone adds lag
		expect(worstLag).toBeLessThan(250);
		expect(maxPasses).toBeGreaterThan(0);
	}, 300_000);
});
