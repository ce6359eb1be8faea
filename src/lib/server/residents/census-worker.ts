/**
 * The census import's heavy half, in a worker thread (node:worker_threads) so the server keeps answering: reads the
 * uploaded file (gzip accepted), parses and checks every row, HMACs the DNIs, stages the rows in a temporary table of
 * its own connection (no lock on the shared database), then merges them into `census_entry` in transactions of
 * BATCH rows (each a short write lock, so votes never wait long). The uploaded file is deleted when it ends, whatever
 * happens. Bundled to dist/census-worker.js by `npm run build` (tests run the TypeScript through tsx).
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
	db.exec(
		'CREATE TEMP TABLE census_stage (dni_hmac TEXT PRIMARY KEY, birth_date TEXT NOT NULL, zone_id INTEGER, line INTEGER)'
	);
	const stage = db.prepare('INSERT INTO census_stage (dni_hmac, birth_date, zone_id, line) VALUES (?, ?, ?, ?)');
	const zones = input.zones.map((z) => ({ id: z.id, code: z.code.toLowerCase(), name: z.name.toLowerCase() }));
	const seen = new Set<string>();
	const errors: { line: number; code: string }[] = [];
	let errorCount = 0;
	let rows = 0;
	let headersOk: boolean | null = null;
	// Column positions, from the header row (arrays, not an object per row: a million rows).
	let col = { dni: -1, birthDate: -1, zone: -1 };
	const at = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
	let batch: [string, string, number | null, number][] = [];
	const flush = db.transaction((b: typeof batch) => {
		for (const r of b) stage.run(...r);
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
			else batch.push([dniHmac(digits), birthDate, zone?.id ?? null, line]);
			if (digits) seen.add(digits);
			if (batch.length >= CENSUS_BATCH) {
				flush(batch);
				batch = [];
				post({ kind: 'progress', phase: 'staging', done: rows });
			}
		}
	});
	if (headersOk !== true) {
		db.close();
		post({ kind: 'failed', code: 'census.headers' });
		return;
	}
	flush(batch);
	batch = [];
	post({ kind: 'progress', phase: 'merging', done: 0 });

	// The merge, BATCH staged rows per transaction: existing DNIs updated, new ones inserted.
	const staged = (db.prepare('SELECT count(*) AS n FROM census_stage').get() as { n: number }).n;
	const censusCount = db.prepare('SELECT count(*) AS n FROM census_entry WHERE municipality_id = ?');
	const before = (censusCount.get(input.municipalityId) as { n: number }).n;
	const merge = db.prepare(
		`INSERT INTO census_entry (municipality_id, dni_hmac, birth_date, zone_id, imported_at)
		 SELECT ?, dni_hmac, birth_date, zone_id, ? FROM census_stage WHERE rowid > ? AND rowid <= ? ORDER BY rowid
		 ON CONFLICT (municipality_id, dni_hmac) DO UPDATE SET birth_date = excluded.birth_date,
		   zone_id = excluded.zone_id, imported_at = excluded.imported_at`
	);
	const maxRowid = (db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM census_stage').get() as { n: number }).n;
	const chunk = db.transaction((from: number, to: number) => {
		merge.run(input.municipalityId, input.importedAt, from, to);
	});
	for (let from = 0; from < maxRowid; from += CENSUS_BATCH) {
		chunk.immediate(from, from + CENSUS_BATCH);
		post({ kind: 'progress', phase: 'merging', done: Math.min(staged, from + CENSUS_BATCH) });
	}
	const imported = (censusCount.get(input.municipalityId) as { n: number }).n - before;
	db.close();
	post({ kind: 'done', rows, imported, updated: staged - imported, errors, errorCount });
}

try {
	run();
} catch (e) {
	post({ kind: 'failed', code: 'census.importFailed', detail: (e as Error).message });
} finally {
	rmSync(input.file, { force: true });
}
