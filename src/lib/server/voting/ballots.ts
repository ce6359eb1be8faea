/** Ballots and receipts: storing a ballot with its sections, checking a receipt, what results read. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { randomBytes, randomInt, createHash } from 'node:crypto';
import { UserError } from '../../domain/errors';
import type { SectionChoices } from '../../domain/ballot';
import { writeTx, type Db } from '../db/client';
import { ballots, ballotSections, receipts, type BallotChannel } from '../db/schema/index';
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

/**
 * A random row id (1 … 2^48): ids of ballots, sections and receipts say nothing about the order of casting.
 * A collision (about n²/2^49) fails the primary key and the caller's transaction: the voter retries, nothing is lost.
 */
export function randomId(): number {
	return randomInt(1, 2 ** 48);
}

/** Stores one ballot, its sections and (if any) its receipt. No person, no time, no sequence. */
export function insertBallot(
	tx: Db,
	round: RoundRow,
	input: {
		channel: BallotChannel;
		receipt: string | null;
		/** Web ballots only: HMAC(round key, DNI HMAC), nulled when the voting window ends. */
		tag: string | null;
		stationId: number | null;
		batchId: number | null;
		sections: { zoneId: number | null; choices: SectionChoices }[];
	}
) {
	const ph = (name: string) => sql.placeholder(name);
	const id = randomId();
	prepared(tx, 'voting.insertBallot', () =>
		tx
			.insert(ballots)
			.values({
				id: ph('id'),
				municipalityId: ph('municipalityId'),
				roundId: ph('roundId'),
				channel: ph('channel'),
				status: 'counted',
				tag: ph('tag'),
				stationId: ph('stationId'),
				batchId: ph('batchId')
			})
			.prepare()
	).run({
		id,
		municipalityId: round.municipalityId,
		roundId: round.id,
		channel: input.channel,
		tag: input.tag,
		stationId: input.stationId,
		batchId: input.batchId
	});
	const insertSection = prepared(tx, 'voting.insertSection', () =>
		tx
			.insert(ballotSections)
			.values({ id: ph('id'), ballotId: ph('ballotId'), budgetZoneId: ph('zoneId'), choices: ph('choices') })
			.prepare()
	);
	for (const s of input.sections)
		insertSection.run({ id: randomId(), ballotId: id, zoneId: s.zoneId, choices: s.choices });
	if (input.receipt)
		prepared(tx, 'voting.insertReceipt', () =>
			tx
				.insert(receipts)
				.values({
					id: ph('id'),
					municipalityId: ph('municipalityId'),
					roundId: ph('roundId'),
					hash: ph('hash'),
					tag: ph('tag')
				})
				.prepare()
		).run({
			id: randomId(),
			municipalityId: round.municipalityId,
			roundId: round.id,
			hash: receiptHash(input.receipt),
			tag: input.tag
		});
	return { id };
}

export type ReceiptStatus = 'counted' | 'superseded';

/** Counted or superseded — never the content. */
export function checkReceipt(db: Db, municipalityId: number, roundId: number, code: unknown): ReceiptStatus {
	const c = typeof code === 'string' ? normaliseReceipt(code) : '';
	if (c.length !== 16) throw new UserError('ballot.receiptFormat');
	const row = db
		.select({ status: receipts.status })
		.from(receipts)
		.where(
			and(eq(receipts.hash, receiptHash(c)), eq(receipts.roundId, roundId), eq(receipts.municipalityId, municipalityId))
		)
		.get();
	if (!row) throw new UserError('ballot.receiptUnknown', {}, 404);
	return row.status;
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

/** A public id: 9 random bytes, 12 characters of base64url. */
export const PUBLIC_ID_BYTES = 9;

/** Public ids assigned per write transaction: each a short lock (a few ms), so other writers never wait long. */
export const PUBLIC_ID_SLICE = 2_000;

/**
 * Assigns random public ids to the round's counted ballots that have none (at results time): exports use these, never
 * ids or receipts. The seal gives them to the ballots counted by the close (seal.ts); this gives them to the rest
 * (a paper batch accepted after the close). In slices of PUBLIC_ID_SLICE ballots, each its own transaction: 90 000 ballots in one took most of a
 * second of write lock. A stop half-way leaves some ballots with ids and the rest without; the next call finishes.
 */
export function assignPublicIds(db: Db, roundId: number) {
	let total = 0;
	for (;;) {
		const n = writeTx(db, (tx) => {
			const rows = tx
				.select({ id: ballots.id })
				.from(ballots)
				.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted'), isNull(ballots.publicId)))
				.limit(PUBLIC_ID_SLICE)
				.all();
			if (!rows.length) return 0;
			// One prepared statement and one draw of random bytes per slice (a query built per row cost seconds).
			const set = prepared(tx, 'ballot.setPublicId', () =>
				tx
					.update(ballots)
					.set({ publicId: sql.placeholder('publicId') as unknown as string })
					.where(eq(ballots.id, sql.placeholder('id')))
					.prepare()
			);
			const random = randomBytes(PUBLIC_ID_BYTES * rows.length);
			rows.forEach((r, i) => {
				const at = PUBLIC_ID_BYTES * i;
				set.run({ id: r.id, publicId: random.toString('base64url', at, at + PUBLIC_ID_BYTES) });
			});
			return rows.length;
		});
		total += n;
		if (n < PUBLIC_ID_SLICE) return total;
	}
}
