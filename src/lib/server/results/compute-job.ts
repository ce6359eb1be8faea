/**
 * Computing results off the request thread (issue 12 point 3; issue 13: heavy work never holds the server): the
 * official's request only checks who asks and that voting is closed (one row); a worker thread checks the guards,
 * reads the round and runs the engine (compute-worker.ts), reporting progress; the result is written by one short
 * transaction here when it ends (finishCompute). A guard's refusal comes back from the worker, translated like any
 * other. A worker that fails, is stopped, or dies with the server writes no result: the official computes again.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { isUserError, UserError } from '../../domain/errors';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { authorize, type Actor } from '../platform/policy';
import { startWorker } from '../platform/workers';
import { assertComputeAllowed, finishCompute, type ComputeOptions } from './compute';
import type { ComputeWorkerInput, ComputeWorkerMessage } from './compute-worker';

export interface ComputeJob {
	id: string;
	municipalityId: number;
	roundId: number;
	state: 'running' | 'done' | 'failed';
	/** budget being counted (1-based) of `budgets`; MES completion passes of that budget so far */
	budget: number;
	budgets: number;
	passes: number;
	startedAt: number;
	finishedAt: number | null;
	/** the version written (or found unchanged) when done */
	version: number | null;
	error: { code: string; params: Record<string, string | number> } | null;
}

/** Jobs of this process. A restart forgets them, and nothing of a running one was written. */
const jobs = new Map<string, ComputeJob>();
const workers = new Map<string, Worker>();
/** A finished job's page answers for this long (then it reads as unknown, like after a restart). */
const FORGET_AFTER = 60 * 60 * 1000;

export function computeJob(municipalityId: number, id: string): ComputeJob | null {
	const j = jobs.get(id);
	return j && j.municipalityId === municipalityId ? j : null;
}

export function runningComputeJob(municipalityId: number, roundId: number): ComputeJob | null {
	for (const j of jobs.values())
		if (j.municipalityId === municipalityId && j.roundId === roundId && j.state === 'running') return j;
	return null;
}

/** Resolves once the job ends, or after `ms` (whichever comes first). */
export function settledJob(job: ComputeJob, ms: number): Promise<ComputeJob> {
	return new Promise((ok) => {
		const started = Date.now();
		const tick = () => (job.state !== 'running' || Date.now() - started > ms ? ok(job) : setTimeout(tick, 20));
		tick();
	});
}

/** Stops a running job's worker (nothing is written); the job reads as failed. */
export async function stopComputeJob(id: string): Promise<void> {
	const w = workers.get(id);
	if (w) await w.terminate();
}

/**
 * MINKA_TEST_SLOW_COMPUTE=<slug prefix>:<ms>, set only by the browser tests' server (playwright.config.ts): computes of
 * municipalities whose slug starts so pause that long at each budget, so a spec can watch the progress page. Unset
 * (production), nothing changes.
 */
function testPause(db: Db, municipalityId: number): number | undefined {
	const m = /^([a-z0-9-]+):(\d{1,5})$/.exec(process.env.MINKA_TEST_SLOW_COMPUTE ?? '');
	if (!m) return undefined;
	const slug = db
		.select({ slug: municipalities.slug })
		.from(municipalities)
		.where(eq(municipalities.id, municipalityId))
		.get()?.slug;
	return slug?.startsWith(m[1]) ? Number(m[2]) : undefined;
}

/**
 * Starts computing the round's results in a worker thread and returns at once with the job. Refused here (translated,
 * changing nothing) when the official may not compute, voting is not closed, or another compute of the round runs;
 * the guards (pending batches, stations, zero ballots) refuse from the worker: the job fails with their message.
 */
export function startComputeJob(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	opts: ComputeOptions = {}
): ComputeJob {
	authorize(actor, 'results.compute', municipalityId);
	if (runningComputeJob(municipalityId, roundId)) throw new UserError('results.job.running', {}, 409);
	assertComputeAllowed(db, actor, municipalityId, roundId);
	for (const [id, j] of jobs) if (j.finishedAt !== null && Date.now() - j.finishedAt > FORGET_AFTER) jobs.delete(id);
	const job: ComputeJob = {
		id: randomBytes(9).toString('base64url'),
		municipalityId,
		roundId,
		state: 'running',
		budget: 0,
		budgets: 0,
		passes: 0,
		startedAt: Date.now(),
		finishedAt: null,
		version: null,
		error: null
	};
	jobs.set(job.id, job);
	const input: ComputeWorkerInput = {
		dbPath: resolve(db.$client.name),
		actor: { ...actor, roles: new Set(actor.roles) },
		municipalityId,
		roundId,
		opts: { confirmZeroBallots: opts.confirmZeroBallots === true },
		testPauseMs: testPause(db, municipalityId)
	};
	const worker = startWorker('compute-worker', 'src/lib/server/results/compute-worker.ts', input);
	workers.set(job.id, worker);
	const fail = (code: string, params: Record<string, string | number> = {}) => {
		if (job.state !== 'running') return;
		Object.assign(job, { state: 'failed', error: { code, params }, finishedAt: Date.now() });
	};
	worker.on('message', (m: ComputeWorkerMessage) => {
		if (m.kind === 'prepared') job.budgets = m.budgets;
		else if (m.kind === 'progress') {
			job.budget = m.budget;
			job.passes = m.passes;
		} else if (m.kind === 'refused') fail(m.code, m.params);
		else if (m.kind === 'failed') {
			console.error('results compute worker:', m.detail);
			fail('results.job.failed');
		} else {
			try {
				job.version = finishCompute(db, m.plan, m.computed).version;
				job.budget = job.budgets;
				job.state = 'done';
				job.finishedAt = Date.now();
			} catch (e) {
				if (isUserError(e)) fail(e.code, e.params);
				else {
					console.error('results compute: writing failed', e);
					fail('results.job.failed');
				}
			}
		}
	});
	worker.on('error', (e) => {
		console.error('results compute worker', e);
		fail('results.job.failed');
	});
	worker.on('exit', () => {
		workers.delete(job.id);
		fail('results.job.failed');
	});
	return job;
}
