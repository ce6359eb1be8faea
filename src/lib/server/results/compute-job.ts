/**
 * Computing results off the request thread (issue 12 point 3): the official's request checks the guards and reads
 * the input (prepareCompute), a worker thread runs the engine (compute-worker.ts) and reports progress, and the
 * result is written by one short transaction when it ends (finishCompute). A worker that fails, is stopped, or dies
 * with the server writes nothing: the official computes again.
 */
import { randomBytes } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { isUserError, UserError } from '../../domain/errors';
import type { Db } from '../db/client';
import { authorize, type Actor } from '../platform/policy';
import { startWorker } from '../platform/workers';
import { finishCompute, prepareCompute, type ComputeOptions } from './compute';
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
 * Starts computing the round's results in a worker thread and returns at once with the job. Refused (translated,
 * changing nothing) by the same guards as computing in-thread, and while another compute of the round runs.
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
	const plan = prepareCompute(db, actor, municipalityId, roundId, opts);
	for (const [id, j] of jobs) if (j.finishedAt !== null && Date.now() - j.finishedAt > FORGET_AFTER) jobs.delete(id);
	const job: ComputeJob = {
		id: randomBytes(9).toString('base64url'),
		municipalityId,
		roundId,
		state: 'running',
		budget: 0,
		budgets: plan.budgets.length,
		passes: 0,
		startedAt: Date.now(),
		finishedAt: null,
		version: null,
		error: null
	};
	jobs.set(job.id, job);
	const input: ComputeWorkerInput = { budgets: plan.budgets };
	const worker = startWorker('compute-worker', 'src/lib/server/results/compute-worker.ts', input);
	workers.set(job.id, worker);
	const fail = (code: string, params: Record<string, string | number> = {}) => {
		if (job.state !== 'running') return;
		Object.assign(job, { state: 'failed', error: { code, params }, finishedAt: Date.now() });
	};
	worker.on('message', (m: ComputeWorkerMessage) => {
		if (m.kind === 'progress') {
			job.budget = m.budget;
			job.passes = m.passes;
		} else if (m.kind === 'failed') {
			console.error('results compute worker:', m.detail);
			fail('results.job.failed');
		} else {
			try {
				job.version = finishCompute(db, plan, m.computed).version;
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
