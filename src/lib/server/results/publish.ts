import { and, desc, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { resultSnapshots } from '../db/schema/index';
import { recordOutcome } from '../proposal-status';
import { outcomeStatus } from '../../domain/proposal-status';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import type { SnapshotBody } from './read';
import { forgetBatchKeyers, reduceRollToCounts, scrubInBackground } from '../voting';

/**
 * Publishing is its own audited act; it marks proposals selected / reserve / not selected. The page shows the ranked
 * preview and sends `confirmed` only when the official ticked that it was read (callers without a page pass nothing).
 */
export function publishResults(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	version: number,
	opts: { confirmed?: boolean } = {}
) {
	authorize(actor, 'results.publish', municipalityId);
	if (opts.confirmed === false) throw new UserError('results.guard.confirmPublish', {}, 400);
	writeTx(db, (tx) => {
		const snap = tx
			.select()
			.from(resultSnapshots)
			.where(
				and(
					eq(resultSnapshots.roundId, roundId),
					eq(resultSnapshots.version, version),
					eq(resultSnapshots.municipalityId, municipalityId)
				)
			)
			.get();
		if (!snap) throw new UserError('notFound', {}, 404);
		if (snap.publishedAt) throw new UserError('results.alreadyPublished', { version }, 409);
		const newer = tx
			.select()
			.from(resultSnapshots)
			.where(and(eq(resultSnapshots.roundId, roundId)))
			.orderBy(desc(resultSnapshots.version))
			.limit(1)
			.get()!;
		if (newer.version !== version) throw new UserError('results.notLatest', { version: newer.version }, 409);
		tx.update(resultSnapshots)
			.set({ publishedAt: Date.now(), publishedByUserId: actor.userId })
			.where(eq(resultSnapshots.id, snap.id))
			.run();
		const body = JSON.parse(snap.body) as SnapshotBody;
		for (const b of body.budgets)
			for (const r of b.rows) recordOutcome(tx, r.proposalId, outcomeStatus(r, body.scoreFrom === 'projects'));
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'results.published',
			payload: { roundId, version, inputHash: snap.inputHash }
		});
		// After publication the roll is reduced to counts (issue 11): no DNI HMAC stays beside a round's votes.
		reduceRollToCounts(tx, roundId);
		// ... nor beside its paper batches: the keyers' DNIs kept for four eyes go with it.
		forgetBatchKeyers(tx, roundId);
	});
	// the deleted HMACs' cells are zeroed (secure_delete); the VACUUM and the WAL truncation that remove the copies
	// left elsewhere in the file run in a worker, not on this request (issue 13 point 5)
	scrubInBackground(db);
}
