import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/** The hash that precedes the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
	seq: number;
	municipalityId: number;
	at: string;
	actorUserId: number | null;
	type: string;
	payloadHash: string;
	prevHash: string;
	hash: string;
}

export function sha256Hex(text: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/**
 * The payload's hash as committed in the chain: sha256(payload) for a public payload; for a personal one,
 * sha256(salt + "|" + payload) with a random salt that is never published, so the public hash cannot be matched by
 * hashing guessed payloads (ids, DNIs, dates are all small spaces).
 */
export function payloadDigest(payload: string, salt: string | null | undefined): string {
	return sha256Hex(salt ? `${salt}|${payload}` : payload);
}

/** JSON with sorted keys, so the same payload always hashes the same. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return '{' + entries.map(([k, v]) => JSON.stringify(k) + ':' + canonicalJson(v)).join(',') + '}';
}

/** An event's hash covers its header, its payload's hash and the previous event's hash. */
export function eventHash(e: Omit<ChainedEvent, 'hash'>): string {
	return sha256Hex([e.seq, e.municipalityId, e.at, e.actorUserId ?? '', e.type, e.payloadHash, e.prevHash].join('|'));
}

export type ChainCheck = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/**
 * Re-checks a chain in order. `payloads` (optional, by seq) are re-hashed when present; events whose payload is
 * withheld (personal data) are checked through their payload hash alone. `salts` (by seq; only whoever holds the
 * database has them) lets the holder re-hash salted personal payloads too.
 */
export function verifyChain(
	events: ChainedEvent[],
	payloads?: Map<number, string>,
	salts?: Map<number, string>
): ChainCheck {
	let prev = GENESIS_HASH;
	for (let i = 0; i < events.length; i++) {
		const e = events[i];
		if (e.seq !== i + 1) return { ok: false, brokenAt: e.seq, reason: 'sequence' };
		if (e.prevHash !== prev) return { ok: false, brokenAt: e.seq, reason: 'prevHash' };
		const payload = payloads?.get(e.seq);
		if (payload !== undefined && payloadDigest(payload, salts?.get(e.seq)) !== e.payloadHash)
			return { ok: false, brokenAt: e.seq, reason: 'payloadHash' };
		if (eventHash(e) !== e.hash) return { ok: false, brokenAt: e.seq, reason: 'hash' };
		prev = e.hash;
	}
	return { ok: true, count: events.length };
}

/**
 * An anchor: the chain's head (position and hash) printed on a document when it was issued. An export that holds the
 * anchor's event at that position with that hash cannot have lost or rewritten anything up to it.
 */
export interface ChainAnchor {
	seq: number;
	hash: string;
	/** What printed it (for the message naming a failed anchor), e.g. "acta issued, round 3". */
	label?: string;
}

export type AnchorProblem = { anchor: ChainAnchor; reason: 'missing' | 'mismatch'; found: string | null };

/** `POS:HASH` (a hash prefix of at least 16 hex digits is accepted, as printed short on paper). */
export function parseAnchor(text: string): ChainAnchor | null {
	const m = /^\s*#?(\d+)\s*:\s*([0-9a-fA-F]{16,64})\s*$/.exec(text);
	if (!m) return null;
	const seq = Number(m[1]);
	return seq >= 1 ? { seq, hash: m[2].toLowerCase() } : null;
}

/** The anchors the export does not hold: beyond its end (a truncated tail) or another hash there (a rewritten one). */
export function checkAnchors(events: ChainedEvent[], anchors: ChainAnchor[]): AnchorProblem[] {
	const bySeq = new Map(events.map((e) => [e.seq, e.hash]));
	const problems: AnchorProblem[] = [];
	for (const a of anchors) {
		const found = bySeq.get(a.seq) ?? null;
		if (found === null) problems.push({ anchor: a, reason: 'missing', found });
		else if (!found.startsWith(a.hash.toLowerCase())) problems.push({ anchor: a, reason: 'mismatch', found });
	}
	return problems;
}

export interface AuditReport {
	/** 0: intact (and every anchor held); 1: broken chain or a failed anchor. */
	code: 0 | 1;
	lines: string[];
}

/** What `npm run audit:verify` says about an export (events with their public payloads) and the anchors given. */
export function auditReport(
	events: (ChainedEvent & { payload?: string | null })[],
	anchors: ChainAnchor[]
): AuditReport {
	const payloads = new Map<number, string>();
	for (const e of events) if (typeof e.payload === 'string') payloads.set(e.seq, e.payload);
	const result = verifyChain(events, payloads);
	if (!result.ok) return { code: 1, lines: [`BROKEN at event #${result.brokenAt}: ${result.reason} does not match`] };
	const last = events.at(-1)?.seq ?? 0;
	const lines: string[] = [];
	for (const p of checkAnchors(events, anchors)) {
		const name = `anchor ${p.anchor.seq}:${p.anchor.hash.slice(0, 16)}… (${p.anchor.label ?? 'anchor'})`;
		lines.push(
			p.reason === 'missing'
				? `ANCHOR FAILED: ${name} is missing: the export ends at event #${last} (its tail was cut off)`
				: `ANCHOR FAILED: ${name}: event #${p.anchor.seq} has hash ${p.found!.slice(0, 16)}… (the chain was rewritten up to it)`
		);
	}
	if (lines.length) return { code: 1, lines };
	lines.push(
		`OK: ${result.count} events, chain intact (withheld payloads checked by hash: ${events.length - payloads.size})`
	);
	const head = events.at(-1);
	if (head) lines.push(`head: event #${head.seq}, hash ${head.hash}`);
	if (anchors.length) lines.push(`OK: all ${anchors.length} anchor(s) found at their position with their hash`);
	else
		lines.push(
			'NOTE: no anchor given: only the internal consistency was checked. A chain whose last events were removed, or ' +
				'rewritten from some point on, still passes. Give the anchors printed on published results, actas and ' +
				'council minutes: --anchor POS:HASH or --anchors-from anchors.json (the list at /<municipality>/audit/anchors.json).'
		);
	return { code: 0, lines };
}
