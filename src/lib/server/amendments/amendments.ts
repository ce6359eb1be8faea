import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { amendments } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { requireText, ML } from '../platform/validation';
import type { AmendableRecord, AmendmentChange, AmendmentView } from '../../domain/amendments';

export interface AmendmentInput {
	municipalityId: number;
	roundId: number | null;
	record: AmendableRecord;
	recordId: number;
	actorUserId: number | null;
	reason: string;
	changes: AmendmentChange[];
	/** The record names a person (council members): the public audit view shows only the payload's hash. */
	personal?: boolean;
}

export type { AmendmentView };

export const MAX_REASON = 1000;

/** The reason every correction must give (a translated refusal when missing). */
export function amendmentReason(value: unknown): string {
	return requireText(value, 'amendmentReason', MAX_REASON, ML);
}

/**
 * Records a correction inside the caller's transaction: one `amendment.recorded` event in the audit chain and one
 * row per changed field pointing at it. No-op (returns null) when nothing changed.
 */
export function recordAmendment(tx: Db, input: AmendmentInput): number | null {
	if (!input.changes.length) return null;
	const event = appendAudit(tx, {
		municipalityId: input.municipalityId,
		actorUserId: input.actorUserId,
		type: 'amendment.recorded',
		payload: {
			record: input.record,
			recordId: input.recordId,
			roundId: input.roundId,
			reason: input.reason,
			changes: input.changes.map((c) => ({ field: c.field, previous: c.previous, current: c.current }))
		},
		personal: input.personal
	});
	const amendedAt = Date.now();
	for (const c of input.changes)
		tx.insert(amendments)
			.values({
				municipalityId: input.municipalityId,
				roundId: input.roundId,
				record: input.record,
				recordId: input.recordId,
				field: c.field,
				kind: c.kind,
				previous: c.previous,
				current: c.current,
				reason: input.reason,
				amendedAt,
				actorUserId: input.actorUserId,
				auditSeq: event.seq
			})
			.run();
	return event.seq;
}

/** Corrections of the given records, oldest first, grouped by record id. */
export function amendmentsOf(
	db: Db,
	municipalityId: number,
	record: AmendableRecord,
	recordIds?: readonly number[]
): Map<number, AmendmentView[]> {
	const where = [eq(amendments.municipalityId, municipalityId), eq(amendments.record, record)];
	if (recordIds) {
		if (!recordIds.length) return new Map();
		where.push(inArray(amendments.recordId, [...recordIds]));
	}
	const rows = db
		.select()
		.from(amendments)
		.where(and(...where))
		.orderBy(asc(amendments.id))
		.all();
	const out = new Map<number, AmendmentView[]>();
	for (const r of rows) {
		const list = out.get(r.recordId) ?? [];
		list.push({
			field: r.field,
			kind: r.kind,
			previous: r.previous,
			current: r.current,
			reason: r.reason,
			amendedAt: r.amendedAt,
			auditSeq: r.auditSeq
		});
		out.set(r.recordId, list);
	}
	return out;
}

/** Plain object form for page data (Maps do not serialise through load functions). */
export function amendmentsRecord(map: Map<number, AmendmentView[]>): Record<number, AmendmentView[]> {
	return Object.fromEntries(map);
}
