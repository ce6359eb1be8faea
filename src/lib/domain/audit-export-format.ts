import { eventHash, GENESIS_HASH, payloadDigest, type ChainCheck, type ChainedEvent } from './audit-chain';

/**
 * The public export's format `minka-audit-chain/2`. Format 1 listed every event with its three hashes (its own, the
 * previous one, its payload's); those 192 hex digits are nearly all of the export's bytes (90 000 ballots: 4 MB
 * gzipped) and all but the personal payload hashes are derived: the verifier recomputes them anyway. Format 2 writes
 * each event's first 8 hex digits of its hash (`h`: a changed event is still named exactly), the whole hash every
 * CHECKPOINT_EVERY events and on the last event (`hash`: the head an auditor compares with the anchors printed on
 * documents), and the payload hash only where the payload is withheld. The chain itself is unchanged.
 */
export const AUDIT_EXPORT_FORMAT = 'minka-audit-chain/2';
export const CHECKPOINT_EVERY = 1000;
export const SHORT_HASH_DIGITS = 8;

/** One event as format 2 writes it. */
export interface CompactEvent {
	seq: number;
	at: string;
	actorUserId: number | null;
	type: string;
	/** null: withheld (personal data); then payloadHash is given */
	payload: string | null;
	payloadHash?: string;
	h?: string;
	hash?: string;
}

export type ExportedEvent = ChainedEvent & { payload: string | null };

/** An event of the chain as the export writes it; `last`: the export's last event (it carries its whole hash). */
export function compactEvent(e: ExportedEvent, last: boolean): CompactEvent {
	const out: CompactEvent = { seq: e.seq, at: e.at, actorUserId: e.actorUserId, type: e.type, payload: e.payload };
	if (e.payload === null) out.payloadHash = e.payloadHash;
	if (last || e.seq % CHECKPOINT_EVERY === 0) out.hash = e.hash;
	else out.h = e.hash.slice(0, SHORT_HASH_DIGITS);
	return out;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The chain back from a format-2 export: every derived hash recomputed and each written one (short or whole) compared.
 * The first event that does not match, or is malformed, breaks it; its position is named as format 1's check names it.
 */
export function expandCompactEvents(
	municipalityId: number,
	events: unknown[]
): { ok: true; events: ExportedEvent[] } | (ChainCheck & { ok: false }) {
	const out: ExportedEvent[] = [];
	let prevHash = GENESIS_HASH;
	for (let i = 0; i < events.length; i++) {
		const e = events[i] as Partial<CompactEvent> | null;
		const seq = typeof e?.seq === 'number' ? e.seq : i + 1;
		if (!e || e.seq !== i + 1) return { ok: false, brokenAt: seq, reason: 'sequence' };
		const wellFormed =
			typeof e.at === 'string' &&
			typeof e.type === 'string' &&
			(e.actorUserId === null || Number.isInteger(e.actorUserId)) &&
			(typeof e.payload === 'string' || (e.payload === null && HEX64.test(e.payloadHash ?? '')));
		if (!wellFormed) return { ok: false, brokenAt: seq, reason: 'format' };
		const payload = e.payload as string | null;
		const base = {
			seq,
			municipalityId,
			at: e.at as string,
			actorUserId: e.actorUserId as number | null,
			type: e.type as string,
			payloadHash: payload === null ? (e.payloadHash as string) : payloadDigest(payload, null),
			prevHash
		};
		const hash = eventHash(base);
		const written = typeof e.hash === 'string' ? e.hash : typeof e.h === 'string' ? e.h : null;
		const minDigits = typeof e.hash === 'string' ? 64 : SHORT_HASH_DIGITS;
		if (written === null || written.length < minDigits || !hash.startsWith(written))
			return { ok: false, brokenAt: seq, reason: 'hash' };
		out.push({ ...base, hash, payload });
		prevHash = hash;
	}
	const last = events.at(-1) as Partial<CompactEvent> | undefined;
	if (last && typeof last.hash !== 'string') return { ok: false, brokenAt: out.length, reason: 'head' };
	return { ok: true, events: out };
}

/** An export file read back: the chain's events (format 1 as written, format 2 expanded), or why it is not one. */
export function chainOfExport(
	doc: unknown
):
	| { ok: true; format: 1 | 2; events: ExportedEvent[] }
	| { ok: false; brokenAt: number; reason: string }
	| { ok: false; invalid: string } {
	const d = doc as { format?: unknown; municipality?: { id?: unknown }; events?: unknown } | null;
	if (!d || typeof d !== 'object' || !Array.isArray(d.events)) return { ok: false, invalid: 'no "events" array' };
	if (d.format === AUDIT_EXPORT_FORMAT) {
		const id = d.municipality?.id;
		if (!Number.isInteger(id)) return { ok: false, invalid: 'no municipality id' };
		const expanded = expandCompactEvents(id as number, d.events);
		return expanded.ok ? { ok: true, format: 2, events: expanded.events } : expanded;
	}
	// format 1 (and exports written before formats were named): every hash written out, checked as it stands
	return { ok: true, format: 1, events: d.events as ExportedEvent[] };
}
