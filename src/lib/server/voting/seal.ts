/**
 * The end of the voting window: the secrecy step. However voting ends (end date passed, "close voting now", a phase
 * change) this runs once per round, before anything is computed from the ballots:
 *   1. delete the round's key file (tags can no longer be recomputed from a DNI);
 *   2. null every tag on ballots and receipts;
 *   3. delete the content of superseded and voided ballots (only their number stays);
 *   4. rewrite ballot, section and receipt ids with fresh random ones (nothing keeps the order of casting), and give
 *      each counted ballot its random public id (the voter id of the open-data files);
 *   5. scrub the file: VACUUM, then empty the WAL (wal_checkpoint(TRUNCATE), retried while a reader blocks it), so
 *      no freed page, free space in a page or WAL frame keeps an old tag, an old id or a superseded ballot.
 * After that, the database, a backup, a log or the audit trail links no ballot to a voter beyond the published
 * counts of its group (zone, station, channel, day on the roll).
 *
 * At 90 000 ballots the step is seconds of writes (issue 13: heavy work never holds the server), so it runs in slices
 * of about SLICE_MS each, each its own short transaction, recorded in voting_seal_progress: a round with that row is closed for
 * voting, and a seal interrupted between slices (the process died) is finished by the next call. The first officials'
 * page after the window ends, and an official's «Cerrar la votación ahora» (startSeal), only start it (one row) and a
 * worker thread runs the slices and the scrub (seal-worker.ts); computing results finishes it first, in its own
 * worker, before reading a ballot. The seal's last slice writes file_scrub_pending in its transaction (publishing does
 * too, when it deletes the roll's DNI HMACs); the scrub deletes it, and a scrub the process did not live to run
 * starts again at the next start-up (scrubInBackground).
 *
 * Why a VACUUM and not only secure_delete (decided 2026-12-02, docs/decisions.md). Every connection that writes runs
 * with secure_delete on (db/client.ts), so a deleted cell, a freeblock and a freed page are zeroed as they are
 * written, and a replaced ballot's old cell is gone the moment it is replaced. But a page rebuilt while its b-tree
 * rebalances (btree.c: editPage falling back to rebuildPage during a split) rewrites its cells from the end of the
 * page and leaves the bytes between its cell pointers and its new content as they were: copies of cells that were
 * live then (a ballot row with its tag, a roll row with a DNI HMAC). Nulling or deleting the live cell later zeroes
 * that cell only. Measured on SQLite 3.53: with secure_delete on from the first write, 0–2 of 20 000 old tags and 1–3
 * of 10 000 DNI HMACs (two municipalities' rolls sharing pages) stay in the file without VACUUM, none with it
 * (secure-delete.test.ts); through the real path, 200 web voters per municipality in two municipalities, 6 old tags
 * stayed after the seal without VACUUM (linkability.test.ts fails). better-sqlite3's build has no sqlite_dbpage to
 * zero that space page by page, and VACUUM INTO a new file cannot replace the file under the server's open connection
 * without holding the writers for as long. So the VACUUM stays, in a worker: it holds the write lock for its length
 * (about 1 s at 90 000 ballots, once per seal and once per publication; a write of another municipality waits that
 * long, it does not fail: busy_timeout is 5 s). Tried and dropped, no gain measured (83 MB file, 90 000 synthetic
 * ballots, load 10, VACUUM 1.4–2.5 s in every variant): temp_store = MEMORY, synchronous = NORMAL, no autocheckpoint.
 * The truncation after it holds the lock 50–110 ms more.
 */
import { eq, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Db } from '../db/client';
import { prepared } from '../db/prepared';
import { rounds, votingSeals } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { exclusiveWork, startWorker } from '../platform/workers';
import { PUBLIC_ID_BYTES } from './ballots';
import { connectionOf, deleteRoundKey } from './keys';
import { isSealed, sealPending, windowEnded } from './paper';

/**
 * A slice writes steps of STEP rows until it has held the write lock for SLICE_MS, then commits: a writer of the
 * server waits about that long at most, whatever the machine's load (at 90 000 ballots on a loaded 2-core machine a
 * row of the id rewrite costs ~0.15 ms, most of it the random pages a random id lands on).
 */
export const STEP = 50;
export const SLICE_MS = 20;
const RANDOM_ID = '(abs(random()) % 281474976710655) + 1';

type Conn = Db['$client'];
const statements = new WeakMap<Conn, ReturnType<typeof prepare>>();

function prepare(conn: Conn) {
	return {
		progress: conn.prepare('SELECT stage, cursor FROM voting_seal_progress WHERE round_id = ?'),
		advance: conn.prepare('UPDATE voting_seal_progress SET stage = ?, cursor = ? WHERE round_id = ?'),
		// NOT INDEXED: by rowid from the cursor, a range of the table (an index on round_id would be read whole at
		// each slice: quadratic)
		ballotIds: conn
			.prepare('SELECT id FROM ballot NOT INDEXED WHERE id > ? AND round_id = ? ORDER BY id LIMIT ?')
			.pluck(),
		receiptIds: conn
			.prepare('SELECT id FROM receipt NOT INDEXED WHERE id > ? AND round_id = ? ORDER BY id LIMIT ?')
			.pluck(),
		// content of ballots that no longer count: gone (secure_delete zeroes the freed bytes)
		deadSections: conn.prepare(
			`DELETE FROM ballot_section WHERE ballot_id IN
				(SELECT id FROM ballot NOT INDEXED WHERE id > ? AND id <= ? AND round_id = ? AND status != 'counted')`
		),
		ballotTags: conn.prepare(
			'UPDATE ballot NOT INDEXED SET tag = NULL WHERE id > ? AND id <= ? AND round_id = ? AND tag IS NOT NULL'
		),
		receiptTags: conn.prepare(
			'UPDATE receipt NOT INDEXED SET tag = NULL WHERE id > ? AND id <= ? AND round_id = ? AND tag IS NOT NULL'
		),
		mapBallots: conn.prepare(
			`INSERT OR IGNORE INTO voting_seal_map (round_id, tbl, old_id, new_id)
				SELECT round_id, 'ballot', id, ${RANDOM_ID} FROM ballot NOT INDEXED WHERE id > ? AND id <= ? AND round_id = ?`
		),
		mapReceipts: conn.prepare(
			`INSERT OR IGNORE INTO voting_seal_map (round_id, tbl, old_id, new_id)
				SELECT round_id, 'receipt', id, ${RANDOM_ID} FROM receipt NOT INDEXED WHERE id > ? AND id <= ? AND round_id = ?`
		),
		// in the order of the new ids: each slice writes its rows side by side in the tables and indexes (in the order of
		// the old ones they land on random pages, and every slice rewrote hundreds of pages)
		mapChunk: conn.prepare(
			'SELECT tbl, old_id AS oldId, new_id AS newId FROM voting_seal_map WHERE round_id = ? ORDER BY tbl, new_id LIMIT ?'
		),
		redraw: conn.prepare(`UPDATE voting_seal_map SET new_id = ${RANDOM_ID} WHERE tbl = ? AND old_id = ?`),
		// the sections follow their ballot (foreign keys deferred to the commit) and get fresh ids too
		moveSections: conn.prepare(`UPDATE ballot_section SET ballot_id = ?, id = ${RANDOM_ID} WHERE ballot_id = ?`),
		// a counted ballot gets its public id (the voter id of the .pb files) as it moves: the row is rewritten here
		// anyway, and drawn after the close the id keeps no order of casting. Drawn at the first compute instead, it cost
		// 1.6 s of row growth and page splits at 90 000 ballots (bench:scale); ballots counted later get theirs there
		moveBallot: conn.prepare(
			"UPDATE ballot SET id = ?, public_id = CASE WHEN status = 'counted' THEN coalesce(public_id, ?) ELSE public_id END WHERE id = ?"
		),
		moveReceipt: conn.prepare('UPDATE receipt SET id = ? WHERE id = ?'),
		unmap: conn.prepare('DELETE FROM voting_seal_map WHERE tbl = ? AND old_id = ?'),
		done: conn.prepare('DELETE FROM voting_seal_progress WHERE round_id = ?')
	};
}

function stmts(conn: Conn) {
	let s = statements.get(conn);
	if (!s) statements.set(conn, (s = prepare(conn)));
	return s;
}

/**
 * Starts the seal of a round (one row: voting is closed from here on) unless it is sealed or under way. Returns
 * whether a seal is now pending. Deletes the key file first, again if it came back.
 */
export function beginSeal(db: Db, roundId: number): boolean {
	deleteRoundKey(db, roundId);
	const conn = connectionOf(db);
	return conn
		.transaction(() => {
			if (isSealed(db, roundId)) return false;
			if (sealPending(db, roundId)) return true;
			if (!db.select({ id: rounds.id }).from(rounds).where(eq(rounds.id, roundId)).get()) return false;
			conn
				.prepare("INSERT INTO voting_seal_progress (round_id, stage, cursor, started_at) VALUES (?, 'ballots', 0, ?)")
				.run(roundId, Date.now());
			return true;
		})
		.immediate();
}

/**
 * One slice of a pending seal, in its own transaction, writing for about budgetMs (0: one step of STEP rows).
 * 'more': call again; 'sealed': this slice wrote the seal (the caller scrubs the file); 'none': nothing pending
 * (sealed before, or never begun).
 */
export function sealSlice(db: Db, roundId: number, budgetMs = SLICE_MS): 'more' | 'sealed' | 'none' {
	const conn = connectionOf(db);
	const s = stmts(conn);
	return conn
		.transaction((): 'more' | 'sealed' | 'none' => {
			const p = s.progress.get(roundId) as { stage: 'ballots' | 'receipts' | 'rewrite'; cursor: number } | undefined;
			if (!p || isSealed(db, roundId)) return 'none';
			const started = performance.now();
			let { stage, cursor } = p;
			while (stage === 'ballots' || stage === 'receipts') {
				const ids = (stage === 'ballots' ? s.ballotIds : s.receiptIds).all(cursor, roundId, STEP) as number[];
				const last = ids.length ? ids[ids.length - 1] : cursor;
				if (stage === 'ballots') {
					s.deadSections.run(cursor, last, roundId);
					s.ballotTags.run(cursor, last, roundId);
					s.mapBallots.run(cursor, last, roundId);
				} else {
					s.receiptTags.run(cursor, last, roundId);
					s.mapReceipts.run(cursor, last, roundId);
				}
				if (ids.length === STEP) cursor = last;
				else [stage, cursor] = [stage === 'ballots' ? 'receipts' : 'rewrite', 0];
				if (performance.now() - started >= budgetMs) break;
			}
			s.advance.run(stage, cursor, roundId);
			if (stage !== 'rewrite') return 'more';
			if (p.stage !== 'rewrite' && performance.now() - started >= budgetMs) return 'more';
			let moved = false;
			for (;;) {
				const chunk = s.mapChunk.all(roundId, STEP) as { tbl: 'ballot' | 'receipt'; oldId: number; newId: number }[];
				if (!chunk.length) break;
				if (!moved) conn.pragma('defer_foreign_keys = ON');
				moved = true;
				const random = randomBytes(PUBLIC_ID_BYTES * chunk.length);
				for (const [i, m] of chunk.entries()) {
					if (m.tbl === 'ballot') {
						s.moveSections.run(m.newId, m.oldId);
						const at = PUBLIC_ID_BYTES * i;
						s.moveBallot.run(m.newId, random.toString('base64url', at, at + PUBLIC_ID_BYTES), m.oldId);
					} else s.moveReceipt.run(m.newId, m.oldId);
					s.unmap.run(m.tbl, m.oldId);
				}
				if (performance.now() - started >= budgetMs) return 'more';
			}
			s.done.run(roundId);
			markScrubPending(db);
			const round = db.select({ m: rounds.municipalityId }).from(rounds).where(eq(rounds.id, roundId)).get()!;
			db.insert(votingSeals).values({ roundId, sealedAt: Date.now() }).run();
			appendAudit(db, { municipalityId: round.m, actorUserId: null, type: 'voting.sealed', payload: { roundId } });
			return 'sealed';
		})
		.immediate();
}

/** A random id colliding with another row's fails its slice: the ids of the next rows (more than a slice takes) are drawn again. */
function redrawSlice(db: Db, roundId: number) {
	const conn = connectionOf(db);
	const s = stmts(conn);
	conn
		.transaction(() => {
			for (const m of s.mapChunk.all(roundId, STEP * 20) as { tbl: string; oldId: number }[])
				s.redraw.run(m.tbl, m.oldId);
		})
		.immediate();
}

/** Runs a pending seal's slices to the end on this connection; scrubs the file if this call wrote the seal. */
export function finishSeal(db: Db, roundId: number): boolean {
	connectionOf(db).pragma('secure_delete = ON');
	for (let collisions = 0; ;) {
		let step: 'more' | 'sealed' | 'none';
		try {
			step = sealSlice(db, roundId);
		} catch (e) {
			const code = (e as { code?: string }).code ?? '';
			if (!code.startsWith('SQLITE_CONSTRAINT') || ++collisions > 3) throw e;
			redrawSlice(db, roundId);
			continue;
		}
		collisions = 0;
		if (step === 'sealed') {
			scrubIfPending(db);
			return true;
		}
		if (step === 'none') return false;
	}
}

/**
 * Records, inside the transaction that frees them, that the file holds freed secrets until the next scrub (the seal's
 * last slice; publishing, which deletes the roll's DNI HMACs). A process that dies before the scrub leaves the row,
 * and the next start scrubs (resumeScrub).
 */
export function markScrubPending(db: Db) {
	connectionOf(db).prepare('INSERT OR IGNORE INTO file_scrub_pending (id, since) VALUES (1, ?)').run(Date.now());
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Empties the WAL (its frames hold every page as it was before: old tags, ids, roll rows). A reader of another
 * connection still on an old snapshot blocks the truncation (busy): retried for about 10 s. Returns whether it emptied.
 */
function truncateWal(conn: Conn): boolean {
	for (let attempt = 1; attempt <= 40; attempt++) {
		if (checkpointTruncate(conn)) return true;
		Atomics.wait(pause, 0, 0, 10 * attempt);
	}
	return false;
}

/** One attempt to empty the WAL; false when a reader blocked it. */
function checkpointTruncate(conn: Conn): boolean {
	// TRUNCATE holds the write lock while it waits for readers: wait briefly each time, and try again
	const timeout = conn.pragma('busy_timeout', { simple: true }) as number;
	conn.pragma('busy_timeout = 50');
	try {
		const [r] = conn.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
		return !r.busy;
	} finally {
		conn.pragma(`busy_timeout = ${timeout}`);
	}
}

/**
 * Rebuilds the file without free pages or free space in its pages (VACUUM) and empties the WAL: nothing deleted or
 * rewritten survives on disk. secure_delete alone is not enough: a page rebuilt when the b-tree rebalances keeps stale
 * copies of its cells in its unallocated space (see the header and secure-delete.test.ts). The VACUUM holds the write
 * lock for its length (about 1 s at 90 000 ballots): run it in a worker (scrubInBackground), never on a request.
 * Returns whether the WAL was emptied too.
 */
export function scrubFile(db: Db): boolean {
	const conn = connectionOf(db);
	if (conn.inTransaction) {
		// Called from inside someone's transaction: scrub as soon as it has committed.
		setImmediate(() => scrubFile(db));
		return false;
	}
	conn.pragma('secure_delete = ON');
	// The VACUUM and the first emptying of the WAL (it copies the whole rebuilt file back) hold the write lock for
	// their length: the server's writers wait for them asynchronously. Not the retries while a reader blocks the
	// truncation: each holds the lock 50 ms at most, and they can go on for seconds (a gate held that long kept an
	// official's progress page from updating: compute-progress.spec).
	const emptied = exclusiveWork(() => {
		conn.exec('VACUUM');
		return checkpointTruncate(conn);
	});
	return emptied || truncateWal(conn);
}

/** Scrubs the file if a seal or a publication left it marked; the mark goes once the WAL is empty. */
export function scrubIfPending(db: Db): boolean {
	const conn = connectionOf(db);
	if (conn.inTransaction || !conn.prepare('SELECT 1 FROM file_scrub_pending').get()) return false;
	if (!scrubFile(db)) return false;
	conn.prepare('DELETE FROM file_scrub_pending').run();
	return true;
}

/**
 * Ends the voting window of a round NOW and runs the secrecy step to its end here (idempotent: a sealed round is left
 * as it is, its key file deleted again if it came back), VACUUM included: for the demo, the legacy migration and
 * tests. An official's "close voting now" calls startSeal instead. Returns whether it sealed.
 */
export function endVotingWindow(db: Db, roundId: number): boolean {
	if (!beginSeal(db, roundId)) return false;
	return finishSeal(db, roundId);
}

/** Seals and scrubs running in a worker of this process, by database file and round (0: a scrub alone). */
const running = new Map<string, Promise<void>>();

/** Resolves when the seals and scrubs this process runs in workers have ended (tests; a clean shutdown). */
export async function sealsSettled(): Promise<void> {
	while (running.size) await Promise.all(running.values());
}

/** Runs the rest of a pending seal (roundId), or only a pending scrub (0), in a worker thread on its own connection. */
function inWorker(db: Db, roundId: number) {
	const conn = connectionOf(db);
	if (!conn.name || conn.name === ':memory:' || conn.memory) {
		if (roundId) finishSeal(db, roundId);
		else scrubIfPending(db);
		return;
	}
	const dbPath = resolve(conn.name);
	const key = `${dbPath}:${roundId}`;
	if (running.has(key)) return;
	const what = roundId ? `seal of round ${roundId}` : 'scrub of the file';
	const job = new Promise<void>((done) => {
		const worker = startWorker('seal-worker', 'src/lib/server/voting/seal-worker.ts', { dbPath, roundId });
		worker.on('message', (m: { kind: string; detail?: string }) => {
			if (m.kind === 'failed') console.error(`${what} stopped (finished by the next call):`, m.detail);
		});
		worker.on('error', (e) => console.error(`${what} stopped (finished by the next call):`, e));
		worker.on('exit', () => {
			running.delete(key);
			done();
		});
	});
	running.set(key, job);
}

/**
 * An official's "close voting now": starts the seal (one row: voting is refused from here on, whatever the phase or
 * timetable say) and lets a worker finish it and scrub the file, as the lazy path does; returns at once. Returns
 * whether a seal is now pending or running (false: sealed before, or no such round).
 */
export function startSeal(db: Db, roundId: number): boolean {
	if (!beginSeal(db, roundId)) return false;
	if (connectionOf(db).inTransaction) finishSeal(db, roundId);
	else inWorker(db, roundId);
	return true;
}

/**
 * After a write that freed secrets and marked the file (publishing: the roll's DNI HMACs), and at start-up (a scrub
 * the process did not live to run): scrubs the file in a worker if it is marked. Returns at once.
 */
export function scrubInBackground(db: Db) {
	const conn = connectionOf(db);
	if (conn.inTransaction) {
		setImmediate(() => scrubInBackground(db));
		return;
	}
	if (conn.prepare('SELECT 1 FROM file_scrub_pending').get()) inWorker(db, 0);
}

/**
 * Lazily: if the round's voting window has ended (timetable or phase) and it is not sealed yet, start the seal (or go
 * on with one under way) and return true. By default a worker runs it, and this returns at once: the counts the
 * officials' pages read (turnout, reconciliation) do not change with it. wait: run it to the end here (computing
 * results, in its worker; scripts).
 */
export function sealIfEnded(db: Db, roundId: number, now = Date.now(), opts: { wait?: boolean } = {}): boolean {
	// on every officials' page that counts: prepared once (building the query cost more than running it)
	const round = prepared(db, 'seal.roundPhase', () =>
		db
			.select({ id: rounds.id, phase: rounds.phase })
			.from(rounds)
			.where(eq(rounds.id, sql.placeholder('roundId')))
			.prepare()
	).get({ roundId });
	if (!round || isSealed(db, roundId)) return false;
	if (!sealPending(db, roundId) && !windowEnded(db, round, now)) return false;
	if (!beginSeal(db, roundId)) return false;
	if (opts.wait || connectionOf(db).inTransaction) finishSeal(db, roundId);
	else inWorker(db, roundId);
	return true;
}
