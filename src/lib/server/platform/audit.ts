import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { countRows, type Db } from '../db/client';
import { auditEvents } from '../db/schema/index';
import {
	canonicalJson,
	eventHash,
	GENESIS_HASH,
	payloadDigest,
	verifyChain,
	type ChainCheck,
	type ChainedEvent
} from '../../domain/audit-chain';
import {
	AUDIT_EXPORT_FORMAT,
	CHECKPOINT_EVERY,
	compactEvent,
	SHORT_HASH_DIGITS
} from '../../domain/audit-export-format';

export interface AuditInput {
	municipalityId: number;
	actorUserId: number | null;
	type: string;
	payload: Record<string, unknown>;
	/** The payload names or identifies a person: the public view shows only its hash. */
	personal?: boolean;
}

/**
 * The event that records from which position of a chain personal payloads are salted: `{ saltedFrom: seq }`. The
 * chain is append-only, so personal events written before it keep their unsalted hashes.
 */
export const SALTING_FROM = 'audit.saltingFrom';

/** Chains seen holding their SALTING_FROM event, per connection (cached only once read back, so never after a rollback). */
const saltingSeen = new WeakMap<object, Set<number>>();

function hasSaltingEvent(tx: Db, municipalityId: number): boolean {
	const client = ((tx as unknown as { session?: { client?: object } }).session?.client ?? tx.$client) as object;
	let seen = saltingSeen.get(client);
	if (!seen) saltingSeen.set(client, (seen = new Set()));
	if (seen.has(municipalityId)) return true;
	const found = prepared(tx, 'audit.saltingFrom', () =>
		tx
			.select({ seq: auditEvents.seq })
			.from(auditEvents)
			.where(and(eq(auditEvents.municipalityId, sql.placeholder('m')), eq(auditEvents.type, SALTING_FROM)))
			.limit(1)
			.prepare()
	).get({ m: municipalityId });
	if (found) seen.add(municipalityId);
	return Boolean(found);
}

/** The chain's last event (one index seek); undefined for an empty chain. */
export function lastEvent(tx: Db, municipalityId: number) {
	return prepared(tx, 'audit.last', () =>
		tx
			.select({ seq: auditEvents.seq, hash: auditEvents.hash })
			.from(auditEvents)
			.where(eq(auditEvents.municipalityId, sql.placeholder('m')))
			.orderBy(desc(auditEvents.seq))
			.limit(1)
			.prepare()
	).get({ m: municipalityId });
}

function insertEvent(
	tx: Db,
	last: { seq: number; hash: string } | undefined,
	input: AuditInput,
	salt: string | null
): ChainedEvent {
	const payload = canonicalJson(input.payload);
	const base = {
		seq: (last?.seq ?? 0) + 1,
		municipalityId: input.municipalityId,
		at: new Date().toISOString(),
		actorUserId: input.actorUserId,
		type: input.type,
		payloadHash: payloadDigest(payload, salt),
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
				payloadSalt: ph('payloadSalt'),
				personal: ph('personal'),
				prevHash: ph('prevHash'),
				hash: ph('hash')
			})
			.prepare()
	).run({ ...event, payload, payloadSalt: salt, personal: input.personal ? 1 : 0 });
	return event;
}

/**
 * Appends one event to the municipality's chain. Call inside the transaction of the act it records. A personal
 * payload is committed with a fresh random salt (kept in the row, never published); the first one of a chain is
 * preceded by the SALTING_FROM event.
 */
export function appendAudit(tx: Db, input: AuditInput): ChainedEvent {
	let last = lastEvent(tx, input.municipalityId);
	if (!input.personal) return insertEvent(tx, last, input, null);
	if (!hasSaltingEvent(tx, input.municipalityId)) {
		const seq = (last?.seq ?? 0) + 1;
		const marker = insertEvent(
			tx,
			last,
			{
				municipalityId: input.municipalityId,
				actorUserId: null,
				type: SALTING_FROM,
				payload: { saltedFrom: seq + 1, scheme: 'sha256(salt|payload), 16-byte random salt, never published' }
			},
			null
		);
		last = { seq: marker.seq, hash: marker.hash };
	}
	return insertEvent(tx, last, input, randomBytes(16).toString('hex'));
}

/**
 * The holder's check of a stored chain (the database gives every payload and salt): each link, each payload
 * re-hashed, salted ones with their salt. The public export is checked by `npm run audit:verify` without the salts.
 */
export function verifyStoredChain(db: Db, municipalityId: number): ChainCheck {
	const rows = db
		.select()
		.from(auditEvents)
		.where(eq(auditEvents.municipalityId, municipalityId))
		.orderBy(asc(auditEvents.seq))
		.all();
	const payloads = new Map(rows.map((r) => [r.seq, r.payload]));
	const salts = new Map(rows.filter((r) => r.payloadSalt).map((r) => [r.seq, r.payloadSalt!]));
	return verifyChain(rows, payloads, salts);
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

/**
 * The acts that anchor the chain: publishing a result, issuing an acta, issuing council minutes. Each act's own event
 * is the chain's head at that moment; its position and hash are printed on the document and its public page (beside
 * the content hash, not inside it), and listed in the public document list `audit/anchors.json`.
 */
export const ANCHOR_TYPES = ['results.published', 'acta.issued', 'council.minutesIssued'] as const;
export type AnchorType = (typeof ANCHOR_TYPES)[number];

export interface AuditAnchor {
	type: AnchorType;
	seq: number;
	hash: string;
	at: string;
	roundId: number | null;
	/** results.published: the snapshot version; acta.issued: the result version it lists. */
	version: number | null;
	sessionId: number | null;
	/** The document's own content hash where it has one (acta). */
	contentSha256: string | null;
}

/** Every anchor of the municipality, oldest first (the public document list). */
export function auditAnchors(db: Db, municipalityId: number): AuditAnchor[] {
	// Ordered here, not in SQL: with ORDER BY seq SQLite walks the whole chain by position instead of looking the few
	// anchors up by type (index audit_event_type).
	const rows = db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.municipalityId, municipalityId), inArray(auditEvents.type, [...ANCHOR_TYPES])))
		.all()
		.sort((a, b) => a.seq - b.seq);
	return rows.map((r) => {
		const p = JSON.parse(r.payload) as Record<string, unknown>;
		const num = (v: unknown) => (typeof v === 'number' ? v : null);
		return {
			type: r.type as AnchorType,
			seq: r.seq,
			hash: r.hash,
			at: r.at,
			roundId: num(p.roundId),
			version: num(p.version ?? p.resultVersion),
			sessionId: num(p.sessionId),
			contentSha256: typeof p.contentSha256 === 'string' ? p.contentSha256 : null
		};
	});
}

/** The newest anchor of one act, e.g. `{ type: 'acta.issued', roundId: 3 }`; null when it was never done. */
export function anchorOf(
	db: Db,
	municipalityId: number,
	match: { type: AnchorType; roundId?: number; version?: number; sessionId?: number }
): AuditAnchor | null {
	const hits = auditAnchors(db, municipalityId).filter(
		(a) =>
			a.type === match.type &&
			(match.roundId === undefined || a.roundId === match.roundId) &&
			(match.version === undefined || a.version === match.version) &&
			(match.sessionId === undefined || a.sessionId === match.sessionId)
	);
	return hits.at(-1) ?? null;
}

/** One page of the public view after position `afterSeq` (keyset paging: each page costs the same). */
export function publicAuditPage(db: Db, municipalityId: number, afterSeq: number, limit: number): PublicAuditEvent[] {
	// prepared once: every export request reads at least its unfinished last page
	return prepared(db, 'audit.publicPage', () =>
		db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.municipalityId, sql.placeholder('m')), gt(auditEvents.seq, sql.placeholder('after'))))
			.orderBy(asc(auditEvents.seq))
			.limit(sql.placeholder('limit'))
			.prepare()
	)
		.all({ m: municipalityId, after: afterSeq, limit })
		.map((r) => ({
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

/** Events per page of the streamed export: a page is read and written in a few milliseconds. A page ends on a
 * checkpoint (an event carrying its whole hash), so a completed page never needs rewriting when the chain grows. */
export const AUDIT_EXPORT_PAGE = CHECKPOINT_EVERY;

/** The export's beginning, up to the opening of its `events` list (the events follow, separated by ",\n"). */
export function auditExportHead(
	m: { id: number; slug: string; ubigeo: string; name: string },
	exportedAt: Date
): string {
	const head = {
		format: AUDIT_EXPORT_FORMAT,
		municipality: { id: m.id, slug: m.slug, ubigeo: m.ubigeo, name: m.name },
		exportedAt: exportedAt.toISOString(),
		licence: 'CC BY 4.0',
		hashes:
			`h: the first ${SHORT_HASH_DIGITS} hex digits of the event's hash; hash: the whole hash, on every ` +
			`${CHECKPOINT_EVERY}th event and the last; prevHash and the hash of a published payload are derived ` +
			'(npm run audit:verify recomputes them)'
	};
	return JSON.stringify(head).slice(0, -1) + ',\n"events":[\n';
}

/**
 * One page of events as the export writes them (pages after the first start with the separator). `final`: no event
 * follows this page in this export, so its last event carries its whole hash.
 */
export function auditExportPageText(first: boolean, page: PublicAuditEvent[], final: boolean): string {
	const lastIndex = final ? page.length - 1 : -1;
	return (first ? '' : ',\n') + page.map((e, i) => JSON.stringify(compactEvent(e, i === lastIndex))).join(',\n');
}

/**
 * The public export (`minka-audit-chain/2`) as a stream, page by page in constant memory, yielding to other requests
 * between pages.
 */
export function auditExportStream(
	db: Db,
	m: { id: number; slug: string; ubigeo: string; name: string },
	exportedAt = new Date()
): ReadableStream<Uint8Array> {
	const enc = new TextEncoder();
	let after = 0;
	let first = true;
	return new ReadableStream<Uint8Array>(
		{
			start(c) {
				c.enqueue(enc.encode(auditExportHead(m, exportedAt)));
			},
			async pull(c) {
				const page = publicAuditPage(db, m.id, after, AUDIT_EXPORT_PAGE);
				// a short page is the end of the chain as read now: the export ends with it
				const final = page.length < AUDIT_EXPORT_PAGE;
				if (page.length) c.enqueue(enc.encode(auditExportPageText(first, page, final)));
				if (final) {
					c.enqueue(enc.encode('\n]}\n'));
					c.close();
					return;
				}
				first = false;
				after = page[page.length - 1].seq;
				await new Promise((ok) => setImmediate(ok));
			}
		},
		{ highWaterMark: 1 }
	);
}

/** The whole public export as one document (the open-data zip's audit.json when written inline). */
export function auditExportDocument(
	db: Db,
	m: { id: number; slug: string; ubigeo: string; name: string },
	exportedAt: Date
): string {
	const events = publicAuditTrail(db, m.id);
	return auditExportHead(m, exportedAt) + auditExportPageText(true, events, true) + '\n]}\n';
}
