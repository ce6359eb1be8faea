import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { countRows, type Db } from '../db/client';
import { auditEvents } from '../db/schema/index';
import { canonicalJson, eventHash, GENESIS_HASH, sha256Hex, type ChainedEvent } from '../../domain/audit-chain';

export interface AuditInput {
	municipalityId: number;
	actorUserId: number | null;
	type: string;
	payload: Record<string, unknown>;
	/** The payload names or identifies a person: the public view shows only its hash. */
	personal?: boolean;
}

/** Appends one event to the municipality's chain. Call inside the transaction of the act it records. */
export function appendAudit(tx: Db, input: AuditInput): ChainedEvent {
	const last = prepared(tx, 'audit.last', () =>
		tx
			.select({ seq: auditEvents.seq, hash: auditEvents.hash })
			.from(auditEvents)
			.where(eq(auditEvents.municipalityId, sql.placeholder('m')))
			.orderBy(desc(auditEvents.seq))
			.limit(1)
			.prepare()
	).get({ m: input.municipalityId });
	const payload = canonicalJson(input.payload);
	const base = {
		seq: (last?.seq ?? 0) + 1,
		municipalityId: input.municipalityId,
		at: new Date().toISOString(),
		actorUserId: input.actorUserId,
		type: input.type,
		payloadHash: sha256Hex(payload),
		prevHash: last?.hash ?? GENESIS_HASH
	};
	const event = { ...base, hash: eventHash(base) };
	const ph = (name: string) => sql.placeholder(name);
	prepared(tx, 'audit.insert', () =>
		tx
			.insert(auditEvents)
			.values({
				municipalityId: ph('municipalityId'),
				seq: ph('seq'),
				at: ph('at'),
				actorUserId: ph('actorUserId'),
				type: ph('type'),
				payload: ph('payload'),
				payloadHash: ph('payloadHash'),
				personal: ph('personal'),
				prevHash: ph('prevHash'),
				hash: ph('hash')
			})
			.prepare()
	).run({ ...event, payload, personal: input.personal ? 1 : 0 });
	return event;
}

export interface PublicAuditEvent extends ChainedEvent {
	/** null where the payload holds personal data. */
	payload: string | null;
}

/** The public view: every event, the payload withheld (hash only) where it is personal. */
export function publicAuditTrail(
	db: Db,
	municipalityId: number,
	opts: { limit?: number; offset?: number } = {}
): PublicAuditEvent[] {
	const rows = db
		.select()
		.from(auditEvents)
		.where(eq(auditEvents.municipalityId, municipalityId))
		.orderBy(asc(auditEvents.seq))
		.limit(opts.limit ?? -1)
		.offset(opts.offset ?? 0)
		.all();
	return rows.map((r) => ({
		seq: r.seq,
		municipalityId: r.municipalityId,
		at: r.at,
		actorUserId: r.actorUserId,
		type: r.type,
		payloadHash: r.payloadHash,
		prevHash: r.prevHash,
		hash: r.hash,
		payload: r.personal ? null : r.payload
	}));
}

export function auditEventCount(db: Db, municipalityId: number): number {
	return countRows(db, auditEvents, eq(auditEvents.municipalityId, municipalityId));
}

export function auditEventsOfType(db: Db, municipalityId: number, type: string) {
	return db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.municipalityId, municipalityId), eq(auditEvents.type, type)))
		.orderBy(asc(auditEvents.seq))
		.all();
}
