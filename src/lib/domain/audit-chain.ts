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
