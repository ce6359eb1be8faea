/**
 * The end of the voting window: the secrecy step. However voting ends (end date passed, "close voting now", a phase
 * change) this runs once per round, before anything is computed from the ballots:
 *   1. delete the round's key file (tags can no longer be recomputed from a DNI);
 *   2. null every tag on ballots and receipts;
 *   3. delete the content of superseded and voided ballots (only their number stays);
 *   4. rewrite ballot, section and receipt ids with fresh random ones (nothing keeps the order of casting);
 *   5. with secure_delete on, VACUUM the file and checkpoint/truncate the WAL so no freed page or WAL frame keeps
 *      the old rows.
 * After that, the database, a backup, a log or the audit trail links no ballot to a voter beyond the published
 * counts of its group (zone, station, channel, day on the roll).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { prepared } from '../db/prepared';
import { ballotSections, ballots, receipts, rounds, votingSeals } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { connectionOf, deleteRoundKey } from './keys';
import { isSealed, windowEnded } from './paper';

const RANDOM_ID = sql.raw('(abs(random()) % 281474976710655) + 1');

function sealInTx(tx: Db, roundId: number, municipalityId: number) {
	// Content of ballots that no longer count: gone (secure_delete zeroes the freed bytes).
	const dead = tx
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), ne(ballots.status, 'counted')));
	tx.delete(ballotSections).where(inArray(ballotSections.ballotId, dead)).run();
	tx.update(ballots).set({ tag: null }).where(eq(ballots.roundId, roundId)).run();
	tx.update(receipts).set({ tag: null }).where(eq(receipts.roundId, roundId)).run();
	// Fresh random ids: the sections follow their ballot through a temporary map (foreign keys checked at commit).
	tx.run(sql`PRAGMA defer_foreign_keys = ON`);
	tx.run(sql`DROP TABLE IF EXISTS temp.seal_map`);
	tx.run(
		sql`CREATE TEMP TABLE seal_map AS SELECT id AS old_id, ${RANDOM_ID} AS new_id FROM ballot WHERE round_id = ${roundId}`
	);
	tx.run(sql`CREATE UNIQUE INDEX temp.seal_map_old ON seal_map(old_id)`);
	tx.run(
		sql`UPDATE ballot_section SET ballot_id = (SELECT new_id FROM seal_map WHERE old_id = ballot_section.ballot_id),
			id = ${RANDOM_ID} WHERE ballot_id IN (SELECT old_id FROM seal_map)`
	);
	tx.run(
		sql`UPDATE ballot SET id = (SELECT new_id FROM seal_map WHERE old_id = ballot.id) WHERE round_id = ${roundId}`
	);
	tx.run(sql`DROP TABLE temp.seal_map`);
	tx.run(sql`UPDATE receipt SET id = ${RANDOM_ID} WHERE round_id = ${roundId}`);
	tx.insert(votingSeals).values({ roundId, sealedAt: Date.now() }).run();
	appendAudit(tx, { municipalityId, actorUserId: null, type: 'voting.sealed', payload: { roundId } });
}

/** Rebuilds the file without free pages and empties the WAL: nothing deleted or rewritten survives on disk. */
export function scrubFile(db: Db) {
	const conn = connectionOf(db);
	if (conn.inTransaction) {
		// Called from inside someone's transaction: scrub as soon as it has committed.
		setImmediate(() => scrubFile(db));
		return;
	}
	conn.pragma('secure_delete = ON');
	conn.exec('VACUUM');
	conn.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Ends the voting window of a round NOW and runs the secrecy step (idempotent: a sealed round is left as it is, its
 * key file deleted again if it came back). The caller decides that voting ends ("close voting now", phase change);
 * casting is refused from this moment whatever the phase or timetable say. Returns whether it sealed.
 */
export function endVotingWindow(db: Db, roundId: number): boolean {
	deleteRoundKey(db, roundId);
	const conn = connectionOf(db);
	conn.pragma('secure_delete = ON');
	const run = (tx: Db) => {
		if (isSealed(tx, roundId)) return false;
		const round = tx.select({ m: rounds.municipalityId }).from(rounds).where(eq(rounds.id, roundId)).get();
		if (!round) return false;
		for (let attempt = 0; ; attempt++) {
			try {
				// A random id colliding with another ballot's fails the savepoint; draw again.
				tx.transaction((t) => sealInTx(t as unknown as Db, roundId, round.m));
				return true;
			} catch (e) {
				if (attempt >= 3) throw e;
			}
		}
	};
	const sealed = conn.inTransaction
		? run(db)
		: db.transaction((tx) => run(tx as unknown as Db), { behavior: 'immediate' });
	if (sealed) scrubFile(db);
	return sealed;
}

/** Lazily: if the round's voting window has ended (timetable or phase) and it is not sealed yet, seal it now. */
export function sealIfEnded(db: Db, roundId: number, now = Date.now()): boolean {
	// on every officials' page that counts: prepared once (building the query cost more than running it)
	const round = prepared(db, 'seal.roundPhase', () =>
		db
			.select({ id: rounds.id, phase: rounds.phase })
			.from(rounds)
			.where(eq(rounds.id, sql.placeholder('roundId')))
			.prepare()
	).get({ roundId });
	if (!round || !windowEnded(db, round, now) || isSealed(db, roundId)) return false;
	return endVotingWindow(db, roundId);
}
