/**
 * The round's roll (padrón electoral of the round): one row per DNI HMAC and round, enforced by the database's
 * unique index. Every path to a counted ballot claims it first, in the same transaction as the ballot (web,
 * assisted) or when the paper is handed out (paper). Accounts do not appear: deleting an account, signing up again,
 * holding two accounts or moving a verification all lead back to the same row.
 */
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { UserError } from '../../domain/errors';
import type { Db } from '../db/client';
import { rollCounts, rollEntries, type BallotChannel } from '../db/schema/index';
import { limaToday } from '../../domain/clock';
import { markScrubPending } from './seal';

export type RollRow = typeof rollEntries.$inferSelect;

export function rollRow(db: Db, roundId: number, dniHmac: string): RollRow | undefined {
	return prepared(db, 'voting.rollRow', () =>
		db
			.select()
			.from(rollEntries)
			.where(and(eq(rollEntries.roundId, sql.placeholder('roundId')), eq(rollEntries.dniHmac, sql.placeholder('dni'))))
			.prepare()
	).get({ roundId, dni: dniHmac });
}

/** The refusal for a DNI that already voted by `held`, when it tries `wanted`. */
function refusal(held: BallotChannel, wanted: BallotChannel): UserError {
	if (held === 'web') return new UserError('ballot.votedOnline', {}, 409);
	return new UserError(wanted === 'web' ? 'ballot.markedAtStation' : 'ballot.alreadyMarked', {}, 409);
}

/**
 * Claims the roll for a DNI inside the caller's transaction. Returns replace: true when a web voter already holds a
 * web ballot (the caller supersedes it); throws when the DNI voted by any other path.
 */
export function claimRoll(
	tx: Db,
	input: {
		roundId: number;
		dniHmac: string;
		zoneId: number | null;
		channel: BallotChannel;
		stationId: number | null;
		userId: number | null;
		now?: number;
	}
): { replace: boolean } {
	const row = rollRow(tx, input.roundId, input.dniHmac);
	const day = limaToday(input.now);
	if (row && row.channel !== null) {
		if (row.channel === 'web' && input.channel === 'web') return { replace: true };
		throw refusal(row.channel, input.channel);
	}
	const values = {
		zoneId: input.zoneId,
		channel: input.channel,
		day,
		stationId: input.stationId,
		markedByUserId: input.channel === 'web' ? null : input.userId
	};
	if (row) {
		// A row left unvoted by an in-person void: taken again, only if still unvoted.
		const n = tx
			.update(rollEntries)
			.set(values)
			.where(and(eq(rollEntries.id, row.id), sql`${rollEntries.channel} is null`))
			.run().changes;
		if (n !== 1) throw new UserError('ballot.alreadyMarked', {}, 409);
	} else {
		// The unique (round, DNI HMAC) index is the guarantee: a concurrent claim fails here and rolls back its ballot.
		prepared(tx, 'voting.rollInsert', () =>
			tx
				.insert(rollEntries)
				.values({
					roundId: sql.placeholder('roundId'),
					dniHmac: sql.placeholder('dniHmac'),
					zoneId: sql.placeholder('zoneId'),
					channel: sql.placeholder('channel'),
					day: sql.placeholder('day'),
					stationId: sql.placeholder('stationId'),
					markedByUserId: sql.placeholder('markedByUserId')
				})
				.prepare()
		).run({ roundId: input.roundId, dniHmac: input.dniHmac, ...values });
	}
	return { replace: false };
}

/**
 * After publication the roll is reduced to counts: its rows become one count per (zone, channel, day, station,
 * official) in roll_count, and the rows with DNI HMACs are deleted (secure_delete zeroes their cells) and the file is
 * marked for a scrub: the caller starts it in a worker after the commit (scrubInBackground: VACUUM, WAL truncated).
 * Idempotent. Call inside the publishing transaction.
 */
export function reduceRollToCounts(tx: Db, roundId: number): number {
	tx.run(sql`INSERT INTO ${rollCounts} (round_id, zone_id, channel, day, station_id, marked_by_user_id, n)
		SELECT round_id, zone_id, channel, day, station_id, marked_by_user_id, count(*) FROM ${rollEntries}
		WHERE round_id = ${roundId}
		GROUP BY zone_id, channel, day, station_id, marked_by_user_id`);
	const deleted = tx.delete(rollEntries).where(eq(rollEntries.roundId, roundId)).run().changes;
	// every publication scrubs (the batch keyers' DNI HMACs go in the same transaction)
	markScrubPending(tx);
	return deleted;
}
