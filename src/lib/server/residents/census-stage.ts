/**
 * The census import's writing half, run by the worker thread (census-worker.ts) on its own connection, with plain
 * better-sqlite3 statements (a million rows). Three steps, each safe to abandon:
 *
 * 1. stageCensus: the import's rows are written as generation active+1 in transactions of CENSUS_BATCH rows (each
 *    a short write lock, so votes never wait long). No reader sees them: readers take a DNI's row of the highest
 *    generation not above the active one (census-state.ts). Killed here, the census is exactly as before; the rows
 *    already written are deleted by the next import before it stages (`leftovers`).
 * 2. swapCensus: ONE transaction writing one row (the active generation and the census size) makes the whole import
 *    visible at once: a DNI in the file answers with its new row, a DNI not in the file keeps its old one.
 * 3. tidyCensus: the rows the swap superseded (and those of an abandoned import) are deleted in slices; invisible
 *    anyway, so stopping part-way changes nothing a reader sees, and the next import finishes the job.
 */
import type Database from 'better-sqlite3';
import Papa from 'papaparse';
import { parseDniDigits } from '../../domain/dni';
import { normaliseDate } from '../platform/validation';
import { dniHmac } from '../platform/secret';
import { CENSUS_BATCH, CENSUS_HEADERS } from './census-format';

type Sqlite = Database.Database;

export interface CensusFile {
	rows: number;
	/** Every good row as "hmac\tbirth date\tzone id", sorted (so batches land on neighbouring index pages). */
	good: string[];
	errors: { line: number; code: string }[];
	errorCount: number;
}

/** Parses and checks a census CSV's text, HMACs its DNIs; null when the header lacks the DNI or birth-date column. */
export function readCensusFile(
	text: string,
	zoneList: { id: number; code: string; name: string }[],
	progress: (rows: number) => void = () => {}
): CensusFile | null {
	const zones = zoneList.map((z) => ({ id: z.id, code: z.code.toLowerCase(), name: z.name.toLowerCase() }));
	const seen = new Set<string>();
	const errors: { line: number; code: string }[] = [];
	let errorCount = 0;
	let rows = 0;
	let headersOk: boolean | null = null;
	// Column positions, from the header row (arrays, not an object per row: a million rows).
	let col = { dni: -1, birthDate: -1, zone: -1 };
	const at = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
	const good: string[] = [];
	const fail = (line: number, code: string) => {
		errorCount++;
		if (errors.length < 1000) errors.push({ line, code });
	};
	Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
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
			if (rows % CENSUS_BATCH === 0) progress(rows);
		}
	});
	if (headersOk !== true) return null;
	// The DNI HMACs are random: written in the file's order each batch of BATCH rows lands on about BATCH different
	// pages of the (municipality, DNI, generation) index, and every commit rewrites them all (4 GB of log for a
	// million rows). Sorted, a batch fills neighbouring pages.
	good.sort();
	return { rows, good, errors, errorCount };
}

interface StateRow {
	generation: number;
	size: number;
	leftovers: number;
}

/** The municipality's census state, created (the census counted once, all of it generation 0) if it has none. */
function stateOf(db: Sqlite, municipalityId: number): StateRow {
	const read = () =>
		db.prepare('SELECT generation, size, leftovers FROM census_state WHERE municipality_id = ?').get(municipalityId) as
			StateRow | undefined;
	return (
		read() ??
		db
			.transaction(() => {
				db.prepare(
					`INSERT OR IGNORE INTO census_state (municipality_id, generation, size, leftovers)
					 SELECT ?, 0, count(*), 0 FROM census_entry WHERE municipality_id = ?`
				).run(municipalityId, municipalityId);
				return read()!;
			})
			.immediate()
	);
}

export interface Staged {
	municipalityId: number;
	/** The generation readers saw while staging, and the one the import wrote. */
	active: number;
	generation: number;
	/** DNIs new to the census, and DNIs it held already (their rows replaced at the swap). */
	imported: number;
	updated: number;
}

/**
 * Step 1: writes the file's good rows (sorted) as the next generation, in transactions of CENSUS_BATCH rows, after
 * deleting whatever an earlier abandoned import left. Readers keep seeing the census as it was.
 */
export function stageCensus(
	db: Sqlite,
	municipalityId: number,
	good: string[],
	importedAt: number,
	progress: (done: number) => void = () => {}
): Staged {
	if (stateOf(db, municipalityId).leftovers) tidyCensus(db, municipalityId);
	// Marked before the first staged row: if this import is abandoned, the next one deletes its rows first.
	const { generation: active } = db
		.transaction(() => {
			db.prepare('UPDATE census_state SET leftovers = 1 WHERE municipality_id = ?').run(municipalityId);
			return stateOf(db, municipalityId);
		})
		.immediate();
	const generation = active + 1;
	const visible = db.prepare(
		'SELECT 1 FROM census_entry WHERE municipality_id = ? AND dni_hmac = ? AND generation <= ? LIMIT 1'
	);
	const insert = db.prepare(
		`INSERT INTO census_entry (municipality_id, dni_hmac, birth_date, zone_id, imported_at, generation)
		 VALUES (?, ?, ?, ?, ?, ?)`
	);
	let imported = 0;
	let updated = 0;
	const batch = db.transaction((part: string[]) => {
		for (const r of part) {
			const [hmac, birthDate, zone] = r.split('\t');
			if (visible.get(municipalityId, hmac, active)) updated++;
			else imported++;
			insert.run(municipalityId, hmac, birthDate, zone ? Number(zone) : null, importedAt, generation);
		}
	});
	progress(0);
	for (let from = 0; from < good.length; from += CENSUS_BATCH) {
		batch.immediate(good.slice(from, from + CENSUS_BATCH));
		progress(Math.min(good.length, from + CENSUS_BATCH));
		giveWayToWriters();
	}
	return { municipalityId, active, generation, imported, updated };
}

/**
 * Step 2, the swap: one transaction, one row written. Every reader sees the whole import from its commit on.
 * Returns the census size after it. Refused (throws) if the census moved to another generation meanwhile.
 */
export function swapCensus(db: Sqlite, s: Staged): number {
	return db
		.transaction(() => {
			const changed = db
				.prepare(
					`UPDATE census_state SET generation = ?, size = size + ?, leftovers = ?
					 WHERE municipality_id = ? AND generation = ?`
				)
				// rows superseded (DNIs the census held) are left to tidy; a file of new DNIs leaves nothing behind
				.run(s.generation, s.imported, s.updated > 0 ? 1 : 0, s.municipalityId, s.active).changes;
			if (changed !== 1)
				throw new Error(`census of municipality ${s.municipalityId} is no longer at generation ${s.active}`);
			return stateOf(db, s.municipalityId).size;
		})
		.immediate();
}

const pause = new Int32Array(new SharedArrayBuffer(4));
/**
 * Between two of the import's write transactions the lock is left free a few milliseconds: a server write waiting for
 * it sleeps in SQLite's busy handler (1, 2, 5, 10… ms) and, against back-to-back transactions, can miss every gap
 * (starved, holding the server's thread meanwhile). Blocks this worker's thread only.
 */
function giveWayToWriters() {
	Atomics.wait(pause, 0, 0, GIVE_WAY_MS);
}
export const GIVE_WAY_MS = 5;

/** Rows looked at per tidying transaction. */
export const TIDY_SLICE = 5000;

/**
 * Step 3: deletes every row no reader can see (a generation above the active one; a generation below the DNI's
 * visible row), walking the (municipality, DNI, generation) index in slices of TIDY_SLICE rows, one short write
 * transaction each. Then clears `leftovers`. Returns the rows deleted.
 */
export function tidyCensus(db: Sqlite, municipalityId: number): number {
	const page = db.prepare(
		`SELECT id, dni_hmac AS h, generation AS g FROM census_entry
		 WHERE municipality_id = ? AND dni_hmac > ? ORDER BY dni_hmac, generation LIMIT ?`
	);
	const active = db.prepare('SELECT generation FROM census_state WHERE municipality_id = ?').pluck();
	const remove = db.prepare('DELETE FROM census_entry WHERE id = ?');
	// Nothing superseded or abandoned (a first import, a file of new DNIs): no walk of the whole index. Walked anyway,
	// a million-row census is 200 back-to-back write transactions that a server write waits behind (bench:census: one
	// public page held 0.9-1.1 s at the end of the import).
	if (!stateOf(db, municipalityId).leftovers) return 0;
	let after = '';
	let deleted = 0;
	const slice = db.transaction(() => {
		const a = (active.get(municipalityId) as number | undefined) ?? 0;
		const rows = page.all(municipalityId, after, TIDY_SLICE) as { id: number; h: string; g: number }[];
		const last = rows.length === TIDY_SLICE;
		// A DNI's rows are never split across slices: the last DNI of a full slice is left to the next one.
		let end = rows.length;
		if (last) while (end > 0 && rows[end - 1].h === rows[rows.length - 1].h) end--;
		if (end === 0) end = rows.length; // (more generations of one DNI than a slice holds: cannot happen)
		for (let i = 0; i < end;) {
			let j = i;
			let keep = -1; // the visible row: the highest generation ≤ active
			while (j < end && rows[j].h === rows[i].h) {
				if (rows[j].g <= a) keep = j;
				j++;
			}
			for (let k = i; k < j; k++)
				if (k !== keep) {
					remove.run(rows[k].id);
					deleted++;
				}
			i = j;
		}
		if (end > 0) after = rows[end - 1].h;
		if (!last) db.prepare('UPDATE census_state SET leftovers = 0 WHERE municipality_id = ?').run(municipalityId);
		return last;
	});
	while (slice.immediate()) giveWayToWriters();
	return deleted;
}
