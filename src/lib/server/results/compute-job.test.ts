/**
 * Issue 12 point 3: computing results runs in a worker thread with progress — the guards and reading the round too
 * (issue 13: nothing heavy on the server's thread) — and the result is written by one short transaction at the end.
 * The worker path gives byte-identical snapshots to the in-thread path; a worker stopped half-way writes nothing and
 * the official computes again; one compute of a round at a time; a guard's refusal comes back from the worker. The
 * worker is the bundle tests/worker-bundles.ts makes once per run (as production runs dist/compute-worker.js).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { ballots, municipalities, resultInputs, resultSnapshots, zones } from '../db/schema/index';
import { assignPublicIds, PUBLIC_ID_SLICE } from '../voting';
import { createAccount } from '../accounts';
import { auditEventsOfType } from '../platform/audit';
import type { Actor } from '../platform/policy';
import type { RoundRules } from '../../domain/round-rules';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import { computeBudgets, type ComputeProgress } from './budget';
import {
	computeResults,
	prepareCompute,
	settledJob,
	startComputeJob,
	stopComputeJob,
	type ComputeJob
} from './results';

let db: Db;
let official: Actor;
let municipalityId: number;
let zoneId: number;
let personId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-compute-job-')), 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'cj',
				ubigeo: '080106',
				name: 'CJ',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const acc = createAccount(tx, m.id, {
			fullName: 'Edwin Ccorimanya',
			dni: '70000137',
			birthDate: '1980-01-01',
			email: 'edwin@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	zoneId = base.z.id;
	personId = base.acc.person.id;
	official = { userId: base.acc.user.id, personId, municipalityId, roles: new Set(['official']), verified: true };
});

function closedRound(rules: Partial<RoundRules>) {
	const { round } = seedVotedRound(db, { municipalityId, zoneId, authorPersonId: personId, rules });
	closeVoting(db, round.id);
	return round.id;
}

async function done(job: ComputeJob) {
	await settledJob(job, 60_000);
	return job;
}

const snapshotsOf = (roundId: number) =>
	db.select().from(resultSnapshots).where(eq(resultSnapshots.roundId, roundId)).all();

function forget(roundId: number) {
	const ids = snapshotsOf(roundId).map((s) => s.id);
	if (ids.length) db.delete(resultInputs).where(inArray(resultInputs.snapshotId, ids)).run();
	db.delete(resultSnapshots).where(eq(resultSnapshots.roundId, roundId)).run();
}

describe('computing in a worker thread', () => {
	// MES with add-one (passes), plain greedy with a public draw, and budgets kept private (k = 10 > 5 voters): the
	// three rounds computed by the worker, then each again in this thread.
	it('gives the same snapshots, byte for byte, as computing in this thread', async () => {
		const configs: [string, Partial<RoundRules>][] = [
			['MES + add-one', { allocation: 'mes', mesCompletion: 'add1', privateBelow: 1 }],
			['greedy, ties by draw', { tieBreak: 'draw', privateBelow: 1 }],
			['MES, budgets kept private', { allocation: 'mes', mesCompletion: 'add1' }]
		];
		const roundIds = configs.map(([, rules]) => closedRound(rules));
		const jobs: ComputeJob[] = [];
		for (const r of roundIds) jobs.push(await done(startComputeJob(db, official, municipalityId, r)));
		configs.forEach(([name, rules], i) => {
			const roundId = roundIds[i];
			const job = jobs[i];
			expect(job.state, `${name}: ${JSON.stringify(job.error)}`).toBe('done');
			expect(job.version).toBe(1);
			expect(job.budget).toBe(job.budgets);
			const [viaWorker] = snapshotsOf(roundId);
			const workerFiles = db.select().from(resultInputs).where(eq(resultInputs.snapshotId, viaWorker.id)).all();
			forget(roundId);
			const inThread = computeResults(db, official, municipalityId, roundId);
			expect(inThread.version).toBe(1);
			expect(inThread.body, name).toBe(viaWorker.body);
			expect(inThread.inputHash).toBe(viaWorker.inputHash);
			const threadFiles = db.select().from(resultInputs).where(eq(resultInputs.snapshotId, inThread.id)).all();
			expect(threadFiles.map((f) => [f.fileName, f.pb, f.sha256, f.auditorPb])).toEqual(
				workerFiles.map((f) => [f.fileName, f.pb, f.sha256, f.auditorPb])
			);
			expect(workerFiles.every((f) => Boolean(f.auditorPb) === (rules.privateBelow === undefined))).toBe(true);
			// same input again: the same version, nothing new
			expect(computeResults(db, official, municipalityId, roundId).version).toBe(1);
			expect(snapshotsOf(roundId)).toHaveLength(1);
		});
	}, 180_000);

	it('reports progress: budget i of n, and the passes of MES with add-one', () => {
		const roundId = closedRound({ allocation: 'mes', mesCompletion: 'add1', privateBelow: 1 });
		const plan = prepareCompute(db, official, municipalityId, roundId);
		const seen: ComputeProgress[] = [];
		computeBudgets(plan.budgets, (p) => seen.push(p));
		expect(seen[0]).toEqual({ budget: 1, budgets: 2, passes: 0 });
		expect(seen.some((p) => p.budget === 2 && p.passes === 0)).toBe(true);
		expect(Math.max(...seen.map((p) => p.passes))).toBeGreaterThan(0);
		// progress is only told: it changes nothing in the outcome
		expect(JSON.stringify(computeBudgets(prepareCompute(db, official, municipalityId, roundId).budgets))).toBe(
			JSON.stringify(computeBudgets(plan.budgets.map((b) => ({ ...b, meta: { ...b.meta } }))))
		);
	});

	it('a worker stopped half-way writes nothing; the official computes again', async () => {
		const roundId = closedRound({ allocation: 'mes', mesCompletion: 'add1', privateBelow: 1 });
		const computedBefore = auditEventsOfType(db, municipalityId, 'results.computed').length;
		const job = startComputeJob(db, official, municipalityId, roundId);
		await stopComputeJob(job.id);
		await done(job);
		expect(job.state).toBe('failed');
		expect(job.error?.code).toBe('results.job.failed');
		expect(snapshotsOf(roundId)).toHaveLength(0);
		expect(auditEventsOfType(db, municipalityId, 'results.computed')).toHaveLength(computedBefore);
		const retry = await done(startComputeJob(db, official, municipalityId, roundId));
		expect(retry.state).toBe('done');
		expect(snapshotsOf(roundId)).toHaveLength(1);
	}, 120_000);

	it('one compute of a round at a time; who asks and a round still voting are refused at once', async () => {
		const roundId = closedRound({ privateBelow: 1 });
		const job = startComputeJob(db, official, municipalityId, roundId);
		expect(() => startComputeJob(db, official, municipalityId, roundId)).toThrowError('results.job.running');
		await done(job);
		expect(job.state).toBe('done');
		const open = seedVotedRound(db, { municipalityId, zoneId, authorPersonId: personId }).round.id;
		expect(() => startComputeJob(db, official, municipalityId, open)).toThrowError('results.votingNotClosed');
		expect(() => startComputeJob(db, null, municipalityId, roundId)).toThrowError('loginRequired');
	}, 120_000);

	it('the guards run in the worker: their refusal fails the job with its code, and nothing is written', async () => {
		const roundId = closedRound({ privateBelow: 1 });
		writeTx(db, (tx) => tx.run(`update ballot set status = 'voided' where round_id = ${roundId}`));
		const refused = await done(startComputeJob(db, official, municipalityId, roundId));
		expect(refused.state).toBe('failed');
		expect(refused.error).toEqual({ code: 'results.guard.zeroBallots', params: {} });
		expect(snapshotsOf(roundId)).toHaveLength(0);
		// the official confirms: the same worker path computes
		const confirmed = await done(startComputeJob(db, official, municipalityId, roundId, { confirmZeroBallots: true }));
		expect(confirmed.state, JSON.stringify(confirmed.error)).toBe('done');
		expect(snapshotsOf(roundId)).toHaveLength(1);
	}, 120_000);
});

describe('public ids for the exports', () => {
	it('are drawn in slices of PUBLIC_ID_SLICE ballots: every counted ballot gets one, distinct, once', () => {
		const { round } = seedVotedRound(db, { municipalityId, zoneId, authorPersonId: personId });
		const extra = PUBLIC_ID_SLICE * 2 - 5 + 1; // with the seed's 5: two full slices and one more ballot
		writeTx(db, (tx) => {
			for (let i = 0; i < extra; i++)
				tx.insert(ballots).values({ municipalityId, roundId: round.id, channel: 'web', status: 'counted' }).run();
			tx.insert(ballots).values({ municipalityId, roundId: round.id, channel: 'web', status: 'voided' }).run();
		});
		const ids = () =>
			db
				.select({ id: ballots.id, publicId: ballots.publicId, status: ballots.status })
				.from(ballots)
				.where(eq(ballots.roundId, round.id))
				.all();
		expect(assignPublicIds(db, round.id)).toBe(PUBLIC_ID_SLICE * 2 + 1);
		const first = ids();
		const counted = first.filter((b) => b.status === 'counted');
		expect(counted.every((b) => b.publicId !== null)).toBe(true);
		expect(new Set(counted.map((b) => b.publicId)).size).toBe(counted.length);
		expect(first.find((b) => b.status === 'voided')!.publicId).toBeNull();
		// already drawn: kept as they are
		expect(assignPublicIds(db, round.id)).toBe(0);
		expect(ids()).toEqual(first);
	});
});
