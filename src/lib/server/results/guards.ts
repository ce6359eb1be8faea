/**
 * Guards before computing (issue 12 point 3): stations with pending paper batches or counts that do not agree stop
 * the count, unless an official records an audited reason that unblocks that station; zero ballots, when votes
 * decide, need the official to confirm. The unblocks are audit events (type STATION_UNBLOCKED): the reason is public.
 */
import { and, asc, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { computeBlocks, MIN_REASON_LENGTH, type ComputeBlock } from '../../domain/results-guards';
import { writeTx, type Db } from '../db/client';
import { auditEvents, stations } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { reconciliation } from '../voting';

export const STATION_UNBLOCKED = 'results.stationUnblocked';

export interface StationUnblock {
	stationId: number;
	station: string;
	reason: string;
	at: string;
}

/** The stations of the round an official unblocked, with their reasons (oldest first). */
export function stationUnblocks(db: Db, municipalityId: number, roundId: number): StationUnblock[] {
	return db
		.select({ payload: auditEvents.payload, at: auditEvents.at })
		.from(auditEvents)
		.where(and(eq(auditEvents.municipalityId, municipalityId), eq(auditEvents.type, STATION_UNBLOCKED)))
		.orderBy(asc(auditEvents.seq))
		.all()
		.map((e) => ({ ...(JSON.parse(e.payload) as Omit<StationUnblock, 'at'> & { roundId: number }), at: e.at }))
		.filter((u) => u.roundId === roundId)
		.map(({ stationId, station, reason, at }) => ({ stationId, station, reason, at }));
}

/** What stops the count now (empty: nothing). */
export function computeBlocksFor(db: Db, actor: Actor | null, municipalityId: number, roundId: number): ComputeBlock[] {
	const unblocked = new Set(stationUnblocks(db, municipalityId, roundId).map((u) => u.stationId));
	return computeBlocks(reconciliation(db, actor, municipalityId, roundId), unblocked);
}

/** Throws the first block as a translated refusal. */
export function assertComputable(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	const blocks = computeBlocksFor(db, actor, municipalityId, roundId);
	if (blocks.length) throw new UserError(blocks[0].code, blocks[0].params, 409);
}

/** An official unblocks one station with a public reason (audited); the count may then go ahead without it agreeing. */
export function unblockStation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	reason: string
) {
	authorize(actor, 'results.compute', municipalityId);
	const text = reason.trim();
	if (text.length < MIN_REASON_LENGTH) throw new UserError('results.guard.reasonRequired', { min: MIN_REASON_LENGTH });
	writeTx(db, (tx) => {
		const station = tx
			.select()
			.from(stations)
			.where(
				and(eq(stations.id, stationId), eq(stations.roundId, roundId), eq(stations.municipalityId, municipalityId))
			)
			.get();
		if (!station) throw new UserError('notFound', {}, 404);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: STATION_UNBLOCKED,
			payload: { roundId, stationId, station: station.name, reason: text }
		});
	});
}
