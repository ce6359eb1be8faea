/**
 * The application's half of migrations 0011–0013 (issue 11): what SQL cannot do. Runs at every open, and does
 * something only once, right after those migrations moved an existing database:
 *   - records each DNI that held several counted ballots (legacy_vote_case) as an audit event;
 *   - tags the kept web ballots of rounds still in voting with the round's key file (so replacement keeps working);
 *   - drops the legacy tables, then seals every round whose voting has ended (VACUUM included), so nothing in
 *     closed rounds stays linkable.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ballots, receipts, rounds } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { ballotTag, roundKey } from './keys';
import { sealIfEnded, scrubFile } from './seal';
import { windowEnded } from './paper';

function hasTable(db: Db, name: string) {
	return Boolean(db.$client.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name));
}

export function finishVotingMigration(db: Db) {
	if (!hasTable(db, 'legacy_web_tag')) return;
	const cases = db.$client
		.prepare('SELECT round_id AS roundId, municipality_id AS m, ballots, kept FROM legacy_vote_case ORDER BY random()')
		.all() as { roundId: number; m: number; ballots: number; kept: string }[];
	const tags = db.$client
		.prepare(
			'SELECT round_id AS roundId, dni_hmac AS dni, ballot_id AS ballotId, receipt_hash AS hash FROM legacy_web_tag'
		)
		.all() as { roundId: number; dni: string; ballotId: number; hash: string | null }[];
	db.transaction(
		(t) => {
			const tx = t as unknown as Db;
			for (const c of cases)
				appendAudit(tx, {
					municipalityId: c.m,
					actorUserId: null,
					type: 'voting.duplicateResolved',
					payload: { roundId: c.roundId, countedBefore: c.ballots, kept: c.kept, migration: '0013' }
				});
			for (const r of tags) {
				const round = tx.select().from(rounds).where(eq(rounds.id, r.roundId)).get();
				if (!round || round.phase !== 'votacion' || windowEnded(tx, round)) continue;
				const tag = ballotTag(roundKey(tx, r.roundId, true)!, r.dni);
				tx.update(ballots).set({ tag }).where(eq(ballots.id, r.ballotId)).run();
				if (r.hash) tx.update(receipts).set({ tag }).where(eq(receipts.hash, r.hash)).run();
			}
			tx.run(sql`DROP TABLE legacy_web_tag`);
			tx.run(sql`DROP TABLE legacy_vote_case`);
		},
		{ behavior: 'immediate' }
	);
	const ids = db.select({ id: rounds.id }).from(rounds).all();
	let sealed = 0;
	for (const r of ids) if (sealIfEnded(db, r.id, Date.now(), { wait: true })) sealed++;
	if (!sealed) scrubFile(db);
}
