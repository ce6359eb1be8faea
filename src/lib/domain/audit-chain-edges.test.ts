// The audit chain at its edges: canonical payloads, what an event's hash covers, each way a chain breaks, anchors
// as printed on paper, and what `npm run audit:verify` prints.
import { describe, expect, it } from 'vitest';
import {
	auditReport,
	canonicalJson,
	eventHash,
	GENESIS_HASH,
	parseAnchor,
	payloadDigest,
	sha256Hex,
	verifyChain,
	type ChainedEvent
} from './audit-chain';

function chain(n: number): (ChainedEvent & { payload: string })[] {
	let prev = GENESIS_HASH;
	const out: (ChainedEvent & { payload: string })[] = [];
	for (let i = 0; i < n; i++) {
		const payload = canonicalJson({ i });
		const e = {
			seq: i + 1,
			municipalityId: 7,
			at: `2026-05-01T00:00:0${i}Z`,
			actorUserId: i % 2 ? 5 : null,
			type: 'round.phase',
			payloadHash: payloadDigest(payload, null),
			prevHash: prev
		};
		prev = eventHash(e);
		out.push({ ...e, hash: prev, payload });
	}
	return out;
}

describe('canonicalJson', () => {
	it('sorts keys at every level, drops undefined, keeps arrays in order', () => {
		expect(canonicalJson({ c: { z: 1, d: true }, b: [2, null, 'x', { y: 1, x: 2 }], a: 1, u: undefined })).toBe(
			'{"a":1,"b":[2,null,"x",{"x":2,"y":1}],"c":{"d":true,"z":1}}'
		);
		expect(canonicalJson({ b: 1, B: 2, a: 3 })).toBe('{"B":2,"a":3,"b":1}');
	});
	it('primitives as JSON; undefined as null', () => {
		expect([5, 'x', true, null, undefined].map(canonicalJson)).toEqual(['5', '"x"', 'true', 'null', 'null']);
	});
});

describe('eventHash', () => {
	it('covers position, municipality, time, actor (blank when none), type, payload hash and previous hash', () => {
		const e = {
			seq: 3,
			municipalityId: 7,
			at: 'T',
			actorUserId: 5,
			type: 'x',
			payloadHash: 'p',
			prevHash: 'q'
		};
		expect(eventHash(e)).toBe(sha256Hex('3|7|T|5|x|p|q'));
		expect(eventHash({ ...e, actorUserId: null })).toBe(sha256Hex('3|7|T||x|p|q'));
	});
});

describe('verifyChain', () => {
	it('names where and how a chain breaks', () => {
		const c = chain(4);
		expect(verifyChain(c)).toEqual({ ok: true, count: 4 });
		expect(verifyChain([c[0], c[2], c[3]])).toEqual({ ok: false, brokenAt: 3, reason: 'sequence' });
		expect(verifyChain(c.map((e) => (e.seq === 2 ? { ...e, type: 'other' } : e)))).toEqual({
			ok: false,
			brokenAt: 2,
			reason: 'hash'
		});
		expect(verifyChain(c, new Map([[3, '{"i":99}']]))).toEqual({ ok: false, brokenAt: 3, reason: 'payloadHash' });
		expect(verifyChain(c, new Map([[3, '{"i":2}']]))).toEqual({ ok: true, count: 4 });
	});
});

describe('parseAnchor', () => {
	const hex = 'ABCDEF0123456789';
	it('POS:HASH with a prefix of 16 to 64 hex digits, spaces and # allowed', () => {
		expect(parseAnchor(`#12:${hex}`)).toEqual({ seq: 12, hash: hex.toLowerCase() });
		expect(parseAnchor(`  1 : ${'a'.repeat(64)}  `)).toEqual({ seq: 1, hash: 'a'.repeat(64) });
	});
	it('refuses anything else', () => {
		for (const t of [
			`0:${hex}`,
			`12:${hex.slice(1)}`,
			`12:${'a'.repeat(65)}`,
			`x12:${hex}`,
			`12:${hex} x`,
			`12x:${hex}`,
			`12:${hex}g`,
			`12`
		])
			expect(parseAnchor(t)).toBeNull();
	});
});

describe('auditReport', () => {
	it('intact, no anchors: OK with the withheld count, and a note on what was not checked', () => {
		const c = chain(3).map((e) => (e.seq === 2 ? { ...e, payload: null } : e));
		const r = auditReport(c, []);
		expect(r.code).toBe(0);
		expect(r.lines).toHaveLength(3);
		expect(r.lines[0]).toBe('OK: 3 events, chain intact (withheld payloads checked by hash: 1)');
		expect(r.lines[1]).toBe(`head: event #3, hash ${c[2].hash}`);
		expect(r.lines[2]).toMatch(/^NOTE: no anchor given/);
	});

	it('an anchor held says so', () => {
		const c = chain(3);
		expect(auditReport(c, [{ seq: 2, hash: c[1].hash.slice(0, 16).toUpperCase() }])).toEqual({
			code: 0,
			lines: [
				'OK: 3 events, chain intact (withheld payloads checked by hash: 0)',
				`head: event #3, hash ${c[2].hash}`,
				'OK: all 1 anchor(s) found at their position with their hash'
			]
		});
	});

	it('a cut tail or a rewritten chain fails its anchor; a broken chain fails first', () => {
		const c = chain(3);
		const other = 'f'.repeat(64);
		expect(auditReport(c, [{ seq: 5, hash: other, label: 'acta' }])).toEqual({
			code: 1,
			lines: [
				`ANCHOR FAILED: anchor 5:${'f'.repeat(16)}… (acta) is missing: the export ends at event #3 (its tail was cut off)`
			]
		});
		expect(auditReport(c, [{ seq: 2, hash: other }])).toEqual({
			code: 1,
			lines: [
				`ANCHOR FAILED: anchor 2:${'f'.repeat(16)}… (anchor): event #2 has hash ${c[1].hash.slice(0, 16)}… (the chain was rewritten up to it)`
			]
		});
		expect(auditReport([], [{ seq: 1, hash: other }]).lines[0]).toContain('the export ends at event #0');
		expect(auditReport([c[0], c[2]], [{ seq: 5, hash: other }])).toEqual({
			code: 1,
			lines: ['BROKEN at event #3: sequence does not match']
		});
	});
});
