/**
 * The secrecy step at the end of voting (seal.ts), run in a worker thread on its own connection so that its seconds
 * of writes at scale never hold the server: slices of short transactions, then the scrub of the file (VACUUM, WAL
 * truncated). roundId 0: only a pending scrub (after publishing, or one a dead process left). Bundled to
 * dist/seal-worker.js by `npm run build`; tests bundle it too (tests/worker-bundles.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attachDatabase } from '../db/client';
import { finishSeal, scrubIfPending } from './seal';

const { dbPath, roundId } = workerData as { dbPath: string; roundId: number };
const db = attachDatabase(dbPath);
try {
	const sealed = roundId ? finishSeal(db, roundId) : false;
	scrubIfPending(db);
	parentPort!.postMessage({ kind: 'done', sealed });
} catch (e) {
	parentPort!.postMessage({ kind: 'failed', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
	db.$client.close();
}
