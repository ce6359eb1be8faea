/**
 * Computing a round's results in a worker thread (node:worker_threads), so neither the preparation nor a long MES
 * count ever holds the server: on its own connection to the database file it checks the guards, assigns the ballots'
 * public ids and reads the round (prepareCompute, the very function the in-thread path runs), runs the engine on each
 * budget (computeBudgets) posting progress (budget i of n, MES passes), and posts the outcome. The result itself is
 * written by the server in one short transaction when this ends (finishCompute). Bundled to dist/compute-worker.js by
 * `npm run build`; tests bundle it once too (tests/worker-bundles.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../../domain/errors';
import { attachDatabase } from '../db/client';
import type { Actor } from '../platform/policy';
import { computeBudgets, type ComputedBudget, type ComputeProgress } from './budget';
import { prepareCompute, type ComputeOptions, type PlanHead } from './compute';

export interface ComputeWorkerInput {
	dbPath: string;
	actor: Actor;
	municipalityId: number;
	roundId: number;
	opts: ComputeOptions;
	/** Browser tests only (MINKA_TEST_SLOW_COMPUTE, see compute-job.ts): a pause at the start of each budget. */
	testPauseMs?: number;
}

export type ComputeWorkerMessage =
	| { kind: 'prepared'; budgets: number }
	| ({ kind: 'progress' } & ComputeProgress)
	| { kind: 'done'; plan: PlanHead; computed: ComputedBudget[] }
	| { kind: 'refused'; code: string; params: Record<string, string | number> }
	| { kind: 'failed'; detail: string };

const post = (m: ComputeWorkerMessage) => parentPort!.postMessage(m);
const input = workerData as ComputeWorkerInput;

// A pass of MES can be quick: progress is posted at each new budget, at its first pass, then at most every 100 ms.
let last = 0;
let lastBudget = 0;
const db = attachDatabase(input.dbPath);
try {
	const { budgets, ...plan } = prepareCompute(db, input.actor, input.municipalityId, input.roundId, input.opts);
	post({ kind: 'prepared', budgets: budgets.length });
	const computed = computeBudgets(budgets, (p) => {
		const now = Date.now();
		if (p.budget === lastBudget && p.passes !== 1 && now - last < 100) return;
		last = now;
		lastBudget = p.budget;
		post({ kind: 'progress', ...p });
		if (input.testPauseMs && p.passes === 0)
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, input.testPauseMs);
	});
	post({ kind: 'done', plan, computed });
} catch (e) {
	if (isUserError(e)) post({ kind: 'refused', code: e.code, params: e.params });
	else post({ kind: 'failed', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
	db.$client.close();
}
