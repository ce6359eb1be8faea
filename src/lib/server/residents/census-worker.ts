/**
 * The census import's heavy half, in a worker thread (node:worker_threads) so the server keeps answering: reads the
 * uploaded file (gzip accepted), parses and checks every row, HMACs the DNIs, sorts them, and upserts them into
 * `census_entry` in transactions of BATCH rows (each a short write lock, so votes never wait long). The uploaded file is deleted when it ends, whatever happens. Bundled to
 * dist/census-worker.js by `npm run build` (tests run the TypeScript through tsx).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { parseDniDigits } from '../../domain/dni';
import { normaliseDate } from '../platform/validation';
import { dniHmac } from '../platform/secret';
import { CENSUS_HEADERS, CENSUS_BATCH, type CensusWorkerInput, type CensusWorkerMessage } from './census-format';

const input = workerData as CensusWorkerInput;
const post = (m: CensusWorkerMessage) => parentPort!.postMessage(m);

function run() {
	const raw = readFileSync(input.file);
	const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	const db = new Database(input.dbPath, { fileMustExist: true });
	db.pragma('busy_timeout = 10000');
	db.pragma('foreign_keys = ON');
	// Each row lands at a random place of the (municipality, DNI HMAC) index: with SQLite's default 2 MB page cache a
	// million-row census rereads most index pages from disk for every batch.
	db.pragma('cache_size = -65536');
	// The batches need not each reach the disk on their own: the server's census.imported event, committed after the
	// last batch with synchronous = FULL, syncs the write-ahead log and every batch before it. A crash before that
	// loses only batches of an import that is then reported as abandoned (and imported again).
	db.pragma('synchronous = NORMAL');
	const censusCount = db.prepare('SELECT count(*) AS n FROM census_entry WHERE municipality_id = ?');
	const before = (censusCount.get(input.municipalityId) as { n: number }).n;
	const upsert = db.prepare(
		`INSERT INTO census_entry (municipality_id, dni_hmac, birth_date, zone_id, imported_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (municipality_id, dni_hmac) DO UPDATE SET birth_date = excluded.birth_date,
		   zone_id = excluded.zone_id, imported_at = excluded.imported_at`
	);
	const zones = input.zones.map((z) => ({ id: z.id, code: z.code.toLowerCase(), name: z.name.toLowerCase() }));
	const seen = new Set<string>();
	const errors: { line: number; code: string }[] = [];
	let errorCount = 0;
	let rows = 0;
	let headersOk: boolean | null = null;
	// Column positions, from the header row (arrays, not an object per row: a million rows).
	let col = { dni: -1, birthDate: -1, zone: -1 };
	const at = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
	// Every good row as one string "hmac\tbirth date\tzone id": sorted, they come in the index's order (below).
	const good: string[] = [];
	const upsertAll = db.transaction((part: string[]) => {
		for (const r of part) {
			const [hmac, birthDate, zone] = r.split('\t');
			upsert.run(input.municipalityId, hmac, birthDate, zone ? Number(zone) : null, input.importedAt);
		}
	});
	const fail = (line: number, code: string) => {
		errorCount++;
		if (errors.length < 1000) errors.push({ line, code });
	};
	Papa.parse<string[]>(text, {
		header: false,
		skipEmptyLines: 'greedy',
		delimitersToGuess: [',', ';'],
		step: (result, parser) => {
			const row = result.data;
			if (headersOk === null) {
				const fields = row.map((f) => f.trim().toLowerCase());
				const find = (names: readonly string[]) => fields.findIndex((f) => names.includes(f));
				col = {
					dni: find(CENSUS_HEADERS.dni),
					birthDate: find(CENSUS_HEADERS.birthDate),
					zone: find(CENSUS_HEADERS.zone)
				};
				headersOk = col.dni >= 0 && col.birthDate >= 0;
				if (!headersOk) parser.abort();
				return;
			}
			rows++;
			const line = rows + 1;
			const digits = parseDniDigits(at(row, col.dni));
			const birthDate = normaliseDate(at(row, col.birthDate));
			const label = at(row, col.zone).toLowerCase();
			const zone = label ? zones.find((z) => z.code === label || z.name === label) : undefined;
			if (!digits) fail(line, 'census.badDni');
			else if (!birthDate) fail(line, 'census.badDate');
			else if (label && !zone) fail(line, 'census.unknownZone');
			else if (seen.has(digits)) fail(line, 'census.duplicate');
			else good.push(`${dniHmac(digits)}\t${birthDate}\t${zone?.id ?? ''}`);
			if (digits) seen.add(digits);
			if (rows % CENSUS_BATCH === 0) post({ kind: 'progress', phase: 'staging', done: rows });
		}
	});
	if (headersOk !== true) {
		db.close();
		post({ kind: 'failed', code: 'census.headers' });
		return;
	}
	// The DNI HMACs are random: written in the file's order each batch of BATCH rows lands on about BATCH different
	// pages of the (municipality, DNI) index, and every commit rewrites them all (4 GB of log for a million rows).
	// Sorted, a batch fills neighbouring pages.
	good.sort();
	let saved = 0;
	post({ kind: 'progress', phase: 'merging', done: 0 });
	for (let from = 0; from < good.length; from += CENSUS_BATCH) {
		upsertAll.immediate(good.slice(from, from + CENSUS_BATCH));
		saved = Math.min(good.length, from + CENSUS_BATCH);
		post({ kind: 'progress', phase: 'merging', done: saved });
	}
	const total = (censusCount.get(input.municipalityId) as { n: number }).n;
	db.close();
	post({ kind: 'done', rows, imported: total - before, updated: saved - (total - before), total, errors, errorCount });
}

try {
	run();
} catch (e) {
	post({ kind: 'failed', code: 'census.importFailed', detail: (e as Error).message });
} finally {
	rmSync(input.file, { force: true });
}
