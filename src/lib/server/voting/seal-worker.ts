/**
 * The secrecy step at the end of voting (seal.ts), run in a worker thread on its own connection so that its seconds
 * of writes at scale never hold the server: slices of short transactions, then VACUUM. Bundled to
 * dist/seal-worker.js by `npm run build`; tests bundle it too (tests/worker-bundles.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachDatabase } from '../db/client';
import { finishSeal } from './seal';

const { dbPath, roundId } = workerData as { dbPath: string; roundId: number };
const db = attachDatabase(dbPath);
try {
	parentPort!.postMessage({ kind: 'done', sealed: finishSeal(db, roundId) });
} catch (e) {
	parentPort!.postMessage({ kind: 'failed', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
	db.$client.close();
}
