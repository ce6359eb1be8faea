import { describe, it, expect } from 'vitest';
import {
	canonicalJson,
	checkAnchors,
	eventHash,
	parseAnchor,
	sha256Hex,
	verifyChain,
	GENESIS_HASH,
	type ChainedEvent
} from './audit-chain';

function chain(n: number): { events: ChainedEvent[]; payloads: Map<number, string> } {
	const events: ChainedEvent[] = [];
	const payloads = new Map<number, string>();
	let prev = GENESIS_HASH;
	for (let seq = 1; seq <= n; seq++) {
		const payload = canonicalJson({ n: seq, who: 'x' });
		payloads.set(seq, payload);
		const base = {
			seq,
			municipalityId: 1,
			at: `2026-01-0${seq}`,
			actorUserId: 1,
			type: 't',
			payloadHash: sha256Hex(payload),
			prevHash: prev
		};
		const e = { ...base, hash: eventHash(base) };
		events.push(e);
		prev = e.hash;
	}
	return { events, payloads };
}

describe('audit hash chain', () => {
	it('canonical JSON sorts keys', () => {
		expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
	});
	it('verifies an intact chain', () => {
		const { events, payloads } = chain(4);
		expect(verifyChain(events, payloads)).toEqual({ ok: true, count: 4 });
	});
	it('names the first broken link when a payload is altered', () => {
		const { events, payloads } = chain(4);
		payloads.set(2, canonicalJson({ n: 2, who: 'y' }));
		expect(verifyChain(events, payloads)).toMatchObject({ ok: false, brokenAt: 2, reason: 'payloadHash' });
	});
	it('detects a re-hashed event through the next link', () => {
		const { events } = chain(4);
		events[2] = { ...events[2], type: 'forged' };
		events[2].hash = eventHash(events[2]);
		expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 4, reason: 'prevHash' });
	});
});

describe('anchors', () => {
	it('parses POS:HASH (full or a 16-digit prefix) and refuses anything else', () => {
		expect(parseAnchor('12:' + 'A'.repeat(64))).toEqual({ seq: 12, hash: 'a'.repeat(64) });
		expect(parseAnchor('#3:0123456789abcdef')).toEqual({ seq: 3, hash: '0123456789abcdef' });
		for (const bad of ['12', '0:' + 'a'.repeat(64), '12:abc', 'x:' + 'a'.repeat(64)])
			expect(parseAnchor(bad)).toBeNull();
	});

	it('finds a missing anchor (truncated tail) and a different hash (rewritten chain)', () => {
		const { events } = chain(5);
		const at4 = { seq: 4, hash: events[3].hash };
		expect(checkAnchors(events, [at4, { seq: 2, hash: events[1].hash.slice(0, 16) }])).toEqual([]);
		expect(checkAnchors(events.slice(0, 3), [at4])).toMatchObject([{ reason: 'missing' }]);
		expect(checkAnchors(events, [{ seq: 4, hash: events[2].hash }])).toMatchObject([{ reason: 'mismatch' }]);
	});
});
