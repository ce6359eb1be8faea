/** Ballots and receipts: storing a ballot with its sections, checking a receipt, what results read. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { randomBytes, createHash } from 'node:crypto';
import { UserError } from '../../domain/errors';
import type { SectionChoices } from '../../domain/ballot';
import type { Db } from '../db/client';
import { ballots, ballotSections, type BallotChannel } from '../db/schema/index';
import type { RoundRow } from './paper';

export function newReceiptCode(): string {
	// 80 random bits in Crockford-like base32 without look-alikes, grouped for reading aloud: ABCD-EFGH-JKMN-PQRS.
	const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
	const bytes = randomBytes(16);
	let s = '';
	for (let i = 0; i < 16; i++) s += alphabet[bytes[i] % alphabet.length];
	return s.match(/.{4}/g)!.join('-');
}

export function normaliseReceipt(code: string): string {
	return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function receiptHash(code: string): string {
	return createHash('sha256')
		.update('receipt:' + normaliseReceipt(code))
		.digest('hex');
}

export function nextSeq(tx: Db, roundId: number): number {
	const last = prepared(tx, 'voting.lastSeq', () =>
		tx
			.select({ seq: ballots.seq })
			.from(ballots)
			.where(eq(ballots.roundId, sql.placeholder('roundId')))
			.orderBy(desc(ballots.seq))
			.limit(1)
			.prepare()
	).get({ roundId });
	return (last?.seq ?? 0) + 1;
}

export function insertBallot(
	tx: Db,
	round: RoundRow,
	input: {
		voterPersonId: number | null;
		channel: BallotChannel;
		receipt: string | null;
		stationId: number | null;
		batchId: number | null;
		sections: { zoneId: number | null; choices: SectionChoices }[];
		now: number;
	}
) {
	const seq = nextSeq(tx, round.id);
	const ph = (name: string) => sql.placeholder(name);
	const b = prepared(tx, 'voting.insertBallot', () =>
		tx
			.insert(ballots)
			.values({
				municipalityId: ph('municipalityId'),
				roundId: ph('roundId'),
				seq: ph('seq'),
				voterPersonId: ph('voterPersonId'),
				channel: ph('channel'),
				status: 'counted',
				receiptHash: ph('receiptHash'),
				stationId: ph('stationId'),
				batchId: ph('batchId'),
				castAt: ph('castAt')
			})
			.returning({ id: ballots.id })
			.prepare()
	).get({
		municipalityId: round.municipalityId,
		roundId: round.id,
		seq,
		voterPersonId: input.voterPersonId,
		channel: input.channel,
		receiptHash: input.receipt ? receiptHash(input.receipt) : null,
		stationId: input.stationId,
		batchId: input.batchId,
		castAt: input.now
	})!;
	const insertSection = prepared(tx, 'voting.insertSection', () =>
		tx
			.insert(ballotSections)
			.values({ ballotId: ph('ballotId'), budgetZoneId: ph('zoneId'), choices: ph('choices') })
			.prepare()
	);
	for (const s of input.sections) insertSection.run({ ballotId: b.id, zoneId: s.zoneId, choices: s.choices });
	return { id: b.id, seq };
}

export type ReceiptStatus = 'counted' | 'superseded';

/** Counted or superseded — never the content. */
export function checkReceipt(db: Db, municipalityId: number, roundId: number, code: unknown): ReceiptStatus {
	const c = typeof code === 'string' ? normaliseReceipt(code) : '';
	if (c.length !== 16) throw new UserError('ballot.receiptFormat');
	const row = db
		.select({ status: ballots.status })
		.from(ballots)
		.where(
			and(
				eq(ballots.receiptHash, receiptHash(c)),
				eq(ballots.roundId, roundId),
				eq(ballots.municipalityId, municipalityId)
			)
		)
		.get();
	if (!row) throw new UserError('ballot.receiptUnknown', {}, 404);
	return row.status;
}

/**
 * If an account is deleted, its counted ballot stays, anonymous: call inside the deleting transaction before the
 * person row goes.
 */
export function detachVoter(tx: Db, personId: number) {
	tx.update(ballots).set({ voterPersonId: null }).where(eq(ballots.voterPersonId, personId)).run();
}

/** For the results module: counted ballots of a round, content only (no voter, no receipt), in a stable order. */
export function countedSections(db: Db, roundId: number) {
	return db
		.select({
			ballotId: ballots.id,
			publicId: ballots.publicId,
			budgetZoneId: ballotSections.budgetZoneId,
			choices: ballotSections.choices
		})
		.from(ballotSections)
		.innerJoin(ballots, eq(ballotSections.ballotId, ballots.id))
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
		.all();
}

/** Assigns random public ids to the round's counted ballots (at results time): exports use these, never ids or receipts. */
export function assignPublicIds(tx: Db, roundId: number) {
	const rows = tx
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted'), isNull(ballots.publicId)))
		.all();
	for (const r of rows)
		tx.update(ballots)
			.set({ publicId: randomBytes(9).toString('base64url') })
			.where(eq(ballots.id, r.id))
			.run();
	return rows.length;
}
