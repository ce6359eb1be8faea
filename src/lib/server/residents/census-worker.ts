/**
 * The census import's heavy half, in a worker thread (node:worker_threads) so the server keeps answering: reads the
 * uploaded file (gzip accepted), parses and checks every row, HMACs the DNIs and sorts them (census-stage.ts), stages
 * them as the census's next generation in transactions of CENSUS_BATCH rows (invisible to every reader), swaps the
 * whole import in with one single-row transaction, tells the server (which verifies registered residents and audits
 * the import), then deletes the superseded rows in slices. The uploaded file is deleted when it ends, whatever
 * happens. Bundled to dist/census-worker.js by `npm run build` (tests bundle it too: tests/worker-bundles.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { type CensusWorkerInput, type CensusWorkerMessage } from './census-format';
import { readCensusFile, stageCensus, swapCensus, tidyCensus } from './census-stage';

const input = workerData as CensusWorkerInput;
const post = (m: CensusWorkerMessage) => parentPort!.postMessage(m);
let swapped = false;

function run() {
	const raw = readFileSync(input.file);
	const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
	const file = readCensusFile(bytes.toString('utf8'), input.zones, (done) =>
		post({ kind: 'progress', phase: 'staging', done })
	);
	if (!file) {
		post({ kind: 'failed', code: 'census.headers' });
		return;
	}
	const db = new Database(input.dbPath, { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 10000');
		db.pragma('foreign_keys = ON');
		// as every connection that writes (db/client.ts): a superseded row's DNI HMAC and birth date are zeroed in place
		db.pragma('secure_delete = ON');
		// Each row lands at a random place of the (municipality, DNI, generation) index: with SQLite's default 2 MB page
		// cache a million-row census rereads most index pages from disk for every batch.
		db.pragma('cache_size = -65536');
		// The staged batches need not each reach the disk: a crash loses only rows nobody sees (an abandoned import,
		// deleted by the next one). The swap itself is written with synchronous = FULL.
		db.pragma('synchronous = NORMAL');
		const staged = stageCensus(db, input.municipalityId, file.good, input.importedAt, (done) =>
			post({ kind: 'progress', phase: 'merging', done })
		);
		db.pragma('synchronous = FULL');
		const total = swapCensus(db, staged);
		swapped = true;
		post({
			kind: 'done',
			rows: file.rows,
			imported: staged.imported,
			updated: staged.updated,
			total,
			errors: file.errors,
			errorCount: file.errorCount
		});
		db.pragma('synchronous = NORMAL');
		tidyCensus(db, input.municipalityId);
	} finally {
		db.close();
	}
}

try {
	run();
} catch (e) {
	// After the swap the import stands: only the tidying stopped (the next import finishes it).
	if (swapped) console.error('census import: tidying the superseded rows stopped', e);
	else post({ kind: 'failed', code: 'census.importFailed', detail: (e as Error).message });
} finally {
	rmSync(input.file, { force: true });
}
