/**
 * Computing a round's results in a worker thread (node:worker_threads), so a long MES count never holds the server:
 * it receives the budgets compute.ts read (plain data), runs the engine on each (computeBudgets, the very function
 * the in-thread path runs) and posts progress (budget i of n, MES passes) and then the outcome. It touches no
 * database: the server writes the result in one short transaction when this ends. Bundled to dist/compute-worker.js
 * by `npm run build` (tests run the TypeScript through tsx).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { computeBudgets, type BudgetInput, type ComputedBudget, type ComputeProgress } from './budget';

export interface ComputeWorkerInput {
	budgets: BudgetInput[];
}

export type ComputeWorkerMessage =
	| ({ kind: 'progress' } & ComputeProgress)
	| { kind: 'done'; computed: ComputedBudget[] }
	| { kind: 'failed'; detail: string };

const post = (m: ComputeWorkerMessage) => parentPort!.postMessage(m);

// A pass of MES can be quick: progress is posted at each new budget, at its first pass, then at most every 100 ms.
let last = 0;
let lastBudget = 0;
try {
	const computed = computeBudgets((workerData as ComputeWorkerInput).budgets, (p) => {
		const now = Date.now();
		if (p.budget === lastBudget && p.passes !== 1 && now - last < 100) return;
		last = now;
		lastBudget = p.budget;
		post({ kind: 'progress', ...p });
	});
	post({ kind: 'done', computed });
} catch (e) {
	post({ kind: 'failed', detail: e instanceof Error ? e.message : String(e) });
}
