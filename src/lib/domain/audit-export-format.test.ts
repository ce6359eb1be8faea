// The export's format 2: what each event carries, that the chain comes back whole, and each way a changed, cut or
// malformed export is named (issue 17: the export at metropolitan scale; the hashes were nearly all of its bytes).
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, GENESIS_HASH, payloadDigest, type ChainedEvent } from './audit-chain';
import {
	AUDIT_EXPORT_FORMAT,
	chainOfExport,
	CHECKPOINT_EVERY,
	compactEvent,
	expandCompactEvents,
	SHORT_HASH_DIGITS,
	type CompactEvent,
	type ExportedEvent
} from './audit-export-format';

const TOWN = 7;

/** A chain of n events; every fifth one personal (payload withheld, salted hash). */
function chain(n: number): ExportedEvent[] {
	let prev = GENESIS_HASH;
	const out: ExportedEvent[] = [];
	for (let i = 0; i < n; i++) {
		const personal = i % 5 === 4;
		const payload = canonicalJson({ i, note: 'ñ' });
		const e: Omit<ChainedEvent, 'hash'> = {
			seq: i + 1,
			municipalityId: TOWN,
			at: new Date(Date.UTC(2027, 5, 1, 8, 0, i)).toISOString(),
			actorUserId: i % 3 ? 40 + (i % 7) : null,
			type: personal ? 'member.added' : 'ballot.accepted',
			payloadHash: payloadDigest(payload, personal ? `salt${i}` : null),
			prevHash: prev
		};
		prev = eventHash(e);
		out.push({ ...e, hash: prev, payload: personal ? null : payload });
	}
	return out;
}

const compact = (events: ExportedEvent[]) => events.map((e, i) => compactEvent(e, i === events.length - 1));
const doc = (events: unknown[], id = TOWN) => ({ format: AUDIT_EXPORT_FORMAT, municipality: { id }, events });

describe('compactEvent', () => {
	it('writes the short hash, the whole hash on every checkpoint and the last event, payloadHash only when withheld', () => {
		const c = chain(2 * CHECKPOINT_EVERY + 3);
		const out = compact(c);
		for (const [i, e] of out.entries()) {
			const whole = e.seq % CHECKPOINT_EVERY === 0 || i === out.length - 1;
			expect(e.hash).toBe(whole ? c[i].hash : undefined);
			expect(e.h).toBe(whole ? undefined : c[i].hash.slice(0, SHORT_HASH_DIGITS));
			expect(e.payloadHash).toBe(c[i].payload === null ? c[i].payloadHash : undefined);
			expect(Object.keys(e)).not.toContain('prevHash');
			expect(Object.keys(e)).not.toContain('municipalityId');
		}
		expect(out.filter((e) => e.hash).map((e) => e.seq)).toEqual([1000, 2000, 2003]);
		expect(compactEvent(c[998], false).h).toHaveLength(8);
		expect(compactEvent(c[999], false).hash).toHaveLength(64);
	});

	it('is much smaller than the full event', () => {
		const c = chain(CHECKPOINT_EVERY);
		const full = JSON.stringify(c).length;
		const small = JSON.stringify(compact(c)).length;
		expect(small).toBeLessThan(full * 0.6);
	});
});

describe('expandCompactEvents', () => {
	it('gives back every event with every hash, across checkpoints and withheld payloads', () => {
		const c = chain(2 * CHECKPOINT_EVERY + 3);
		expect(expandCompactEvents(TOWN, compact(c))).toEqual({ ok: true, events: c });
		const one = chain(1);
		expect(expandCompactEvents(TOWN, compact(one))).toEqual({ ok: true, events: one });
		expect(expandCompactEvents(TOWN, [])).toEqual({ ok: true, events: [] });
	});

	const broken = (events: CompactEvent[], id = TOWN) => expandCompactEvents(id, events);
	const edit = (k: number, change: Partial<CompactEvent>) => {
		const out = compact(chain(12));
		out[k - 1] = { ...out[k - 1], ...change };
		return out;
	};

	it('names the changed event: its payload, time, actor, type or withheld payload hash', () => {
		expect(broken(edit(4, { payload: canonicalJson({ i: 99, note: 'ñ' }) }))).toEqual({
			ok: false,
			brokenAt: 4,
			reason: 'hash'
		});
		expect(broken(edit(6, { at: '2020-01-01T00:00:00.000Z' }))).toMatchObject({ brokenAt: 6, reason: 'hash' });
		expect(broken(edit(3, { actorUserId: 1 }))).toMatchObject({ brokenAt: 3, reason: 'hash' });
		expect(broken(edit(2, { type: 'ballot.rejected' }))).toMatchObject({ brokenAt: 2, reason: 'hash' });
		expect(broken(edit(5, { payloadHash: 'f'.repeat(64) }))).toMatchObject({ brokenAt: 5, reason: 'hash' });
		// the last event: its whole hash
		expect(broken(edit(12, { at: '2020-01-01T00:00:00.000Z' }))).toMatchObject({ brokenAt: 12, reason: 'hash' });
	});

	it('another municipality’s id breaks the first event', () => {
		expect(broken(compact(chain(3)), TOWN + 1)).toMatchObject({ brokenAt: 1, reason: 'hash' });
	});

	it('a missing, shortened or wrong hash breaks that event', () => {
		expect(broken(edit(3, { h: undefined }))).toMatchObject({ brokenAt: 3, reason: 'hash' });
		const c = compact(chain(12));
		expect(broken(edit(3, { h: c[2].h!.slice(0, SHORT_HASH_DIGITS - 1) }))).toMatchObject({ brokenAt: 3 });
		expect(broken(edit(3, { h: '0'.repeat(8) }))).toMatchObject({ brokenAt: 3, reason: 'hash' });
		// a whole hash written short is not whole
		expect(broken(edit(12, { hash: c[11].hash!.slice(0, 63) }))).toMatchObject({ brokenAt: 12, reason: 'hash' });
		// a whole hash where a short one would do is accepted
		const full = chain(12);
		expect(broken(edit(3, { h: undefined, hash: full[2].hash })).ok).toBe(true);
	});

	it('a removed or repeated event breaks the sequence where it happened', () => {
		const c = compact(chain(12));
		expect(broken([...c.slice(0, 4), ...c.slice(5)])).toEqual({ ok: false, brokenAt: 6, reason: 'sequence' });
		expect(broken([...c.slice(0, 5), c[4], ...c.slice(5)])).toMatchObject({ brokenAt: 5, reason: 'sequence' });
		expect(broken([c[1], c[0]])).toMatchObject({ brokenAt: 2, reason: 'sequence' });
	});

	it('a cut tail is named: the last event left carries only its short hash', () => {
		const c = compact(chain(12));
		expect(broken(c.slice(0, 7))).toEqual({ ok: false, brokenAt: 7, reason: 'head' });
		// cut on a checkpoint it cannot be told from a shorter chain: the anchors tell (audit-chain.ts)
		const long = compact(chain(CHECKPOINT_EVERY + 5));
		expect(broken(long.slice(0, CHECKPOINT_EVERY)).ok).toBe(true);
	});

	it('a malformed event is named, never thrown on', () => {
		const base = compact(chain(4));
		const bad: unknown[] = [
			{ ...base[1], at: 5 },
			{ ...base[1], type: null },
			{ ...base[1], actorUserId: '3' },
			{ ...base[1], actorUserId: 1.5 },
			{ ...base[1], payload: 7 },
			{ ...base[1], payload: null, payloadHash: undefined },
			{ ...base[1], payload: null, payloadHash: 'abc' },
			// a payload neither published nor withheld, even beside a well-formed hash
			{ ...base[1], payload: 7, payloadHash: 'a'.repeat(64) }
		];
		for (const b of bad)
			expect(expandCompactEvents(TOWN, [base[0], b, ...base.slice(2)])).toEqual({
				ok: false,
				brokenAt: 2,
				reason: 'format'
			});
		expect(expandCompactEvents(TOWN, [null])).toEqual({ ok: false, brokenAt: 1, reason: 'sequence' });
		expect(expandCompactEvents(TOWN, ['x', 1])).toMatchObject({ ok: false, brokenAt: 1 });
	});
});

describe('chainOfExport', () => {
	it('reads format 2 through the municipality id of its head', () => {
		const c = chain(30);
		expect(chainOfExport(doc(compact(c)))).toEqual({ ok: true, format: 2, events: c });
		expect(chainOfExport({ format: AUDIT_EXPORT_FORMAT, events: [] })).toEqual({
			ok: false,
			invalid: 'no municipality id'
		});
		expect(chainOfExport({ ...doc(compact(c)), municipality: {} })).toEqual({
			ok: false,
			invalid: 'no municipality id'
		});
		expect(chainOfExport(doc(compact(c), TOWN + 1))).toMatchObject({ ok: false, brokenAt: 1 });
	});
	it('reads format 1 as written (every hash checked by verifyChain)', () => {
		const c = chain(5);
		expect(chainOfExport({ format: 'minka-audit-chain/1', events: c })).toEqual({ ok: true, format: 1, events: c });
	});
	it('refuses what is not an export', () => {
		for (const d of [null, 5, 'x', {}, { events: 'no' }])
			expect(chainOfExport(d)).toEqual({ ok: false, invalid: 'no "events" array' });
	});
});
