// The scoring matrix at its edges: what an official may save, how bands are read, how gates and means decide.
import { describe, expect, it } from 'vitest';
import {
	aggregateScores,
	bandPoints,
	defaultMatrix,
	isValidValue,
	maxScore,
	rankByScore,
	validateMatrix,
	type CriterionDef,
	type CriterionInput,
	type ScoreRow
} from './scoring';

const band = (points: number, min?: number) => ({
	labelEs: `b${points}`,
	labelQu: `q${points}`,
	points,
	...(min === undefined ? {} : { min })
});
const points = (over: Partial<CriterionInput> = {}): CriterionInput => ({
	code: 'need',
	nameEs: 'Necesidad',
	nameQu: 'Necesidad',
	kind: 'points',
	measure: 'judgement',
	weight: 1,
	bands: [band(10), band(0)],
	...over
});
const gate = (over: Partial<CriterionInput> = {}): CriterionInput => ({
	code: 'gate',
	nameEs: 'Competencia',
	nameQu: null,
	kind: 'gate',
	measure: 'judgement',
	weight: 1,
	bands: [],
	...over
});
const error = (c: CriterionInput, code: string) => ({ ok: false, error: code, params: { code: c.code } });
const row = (proposalId: number, criterionId: number, scorerKey: string, value: number): ScoreRow => ({
	proposalId,
	criterionId,
	scorerKey,
	value,
	advisory: false
});

describe('validateMatrix', () => {
	it('needs at least one points criterion', () => {
		expect(validateMatrix([gate()])).toEqual({ ok: false, error: 'matrix.noPoints' });
		expect(validateMatrix([])).toEqual({ ok: false, error: 'matrix.noPoints' });
		expect(validateMatrix([gate(), points()])).toEqual({ ok: true });
	});

	it('codes: 1 to 30 of a-z, 0-9, _, each once', () => {
		expect(validateMatrix([points({ code: 'a'.repeat(30) })])).toEqual({ ok: true });
		expect(validateMatrix([points({ code: 'x_9' })])).toEqual({ ok: true });
		for (const code of ['a'.repeat(31), '', 'Need', 'need-2', ' need', 'need '])
			expect(validateMatrix([points({ code })])).toEqual(error(points({ code }), 'matrix.code'));
		expect(validateMatrix([points(), points({ nameEs: 'Otra' })])).toEqual(error(points(), 'matrix.duplicate'));
	});

	it('a Spanish name that is not blank', () => {
		expect(validateMatrix([points({ nameEs: '   ' })])).toEqual(error(points(), 'matrix.name'));
		expect(validateMatrix([points({ nameEs: ' x ' })])).toEqual({ ok: true });
	});

	it('weights above 0 up to 10, in hundredths', () => {
		for (const weight of [0.01, 1.25, 10]) expect(validateMatrix([points({ weight })])).toEqual({ ok: true });
		for (const weight of [0, -1, 10.01, 1.005, Number.NaN])
			expect(validateMatrix([points({ weight })])).toEqual(error(points(), 'matrix.weight'));
		expect(validateMatrix([points(), gate({ weight: 0 })])).toEqual(error(gate(), 'matrix.weight'));
	});

	it('points bands: at least one, whole points 0 to 1000, each value once', () => {
		expect(validateMatrix([points({ bands: [] })])).toEqual(error(points(), 'matrix.noBands'));
		expect(validateMatrix([points({ bands: [band(0), band(1000)] })])).toEqual({ ok: true });
		for (const p of [-1, 1001, 2.5])
			expect(validateMatrix([points({ bands: [band(5), band(p)] })])).toEqual(error(points(), 'matrix.bandPoints'));
		expect(validateMatrix([points({ bands: [band(5), band(5)] })])).toEqual(error(points(), 'matrix.bandDuplicate'));
	});

	it('a measured criterion needs a finite minimum of 0 or more on every band; judgement needs none', () => {
		const measured = (bands: CriterionInput['bands']) => points({ measure: 'beneficiaries', bands });
		expect(validateMatrix([measured([band(5, 0), band(10, 100)])])).toEqual({ ok: true });
		for (const min of [undefined, -1, Number.POSITIVE_INFINITY, Number.NaN])
			expect(validateMatrix([measured([band(5, 0), band(10, min)])])).toEqual(error(points(), 'matrix.bandMin'));
		expect(validateMatrix([points({ bands: [band(5), band(10)] })])).toEqual({ ok: true });
	});
});

describe('the default matrix', () => {
	it('one gate and five points criteria, each named and labelled in both languages', () => {
		const m = defaultMatrix();
		expect(m.map((c) => [c.code, c.kind, c.measure, c.weight, c.bands.map((b) => b.points)])).toEqual([
			['competence', 'gate', 'judgement', 1, []],
			['poverty_gap', 'points', 'judgement', 1, [25, 15, 5]],
			['population', 'points', 'beneficiaries', 1, [20, 15, 10, 5]],
			['basic_services', 'points', 'judgement', 1, [25, 10, 0]],
			['cofinancing', 'points', 'judgement', 1, [15, 8, 0]],
			['sustainability', 'points', 'judgement', 1, [15, 8, 0]]
		]);
		expect(m[2].bands.map((b) => b.min)).toEqual([1000, 500, 100, 0]);
		for (const c of m) {
			expect(c.nameEs.trim()).not.toBe('');
			expect(c.nameQu?.trim()).not.toBe('');
			expect(new Set(c.bands.map((b) => b.labelEs)).size).toBe(c.bands.length);
			expect(new Set(c.bands.map((b) => b.labelQu)).size).toBe(c.bands.length);
			for (const b of c.bands) expect([b.labelEs.trim(), b.labelQu.trim()]).not.toContain('');
		}
	});
});

describe('bands and values', () => {
	it('the maximum counts points criteria only, weighted', () => {
		const defs: CriterionDef[] = [
			{ ...gate({ bands: [band(50)] }), id: 1 },
			{ ...points({ weight: 1.5, bands: [band(10), band(20)] }), id: 2 }
		];
		expect(maxScore(defs)).toBe(30);
	});

	it('reads the band with the highest minimum reached, in any order; nothing reached is 0 points', () => {
		const c = { bands: [band(10, 100), band(5, 0), band(15, 500), band(99)] };
		expect(bandPoints(c, 600)).toBe(15);
		expect(bandPoints(c, 499)).toBe(10);
		expect(bandPoints(c, 0)).toBe(5);
		expect(bandPoints({ bands: [band(10, 100)] }, 99)).toBe(0);
		// two bands with the same minimum: the first one listed
		expect(bandPoints({ bands: [band(5, 0), band(7, 0)] }, 3)).toBe(5);
	});

	it('gates take 0 or 1; points take one of the bands, whole', () => {
		const g = gate();
		expect([0, 1, 2, -1, 0.5].map((v) => isValidValue(g, v))).toEqual([true, true, false, false, false]);
		expect(isValidValue({ kind: 'points', bands: [band(2.5)] }, 2.5)).toBe(false);
	});
});

describe('gates and means', () => {
	const defs: CriterionDef[] = [
		{ ...gate(), id: 1 },
		{ ...points({ bands: [band(25), band(20), band(15), band(5), band(0)] }), id: 2 }
	];

	it('a gate fails when half or more of the scorers judge it not met', () => {
		const votes = (nos: number, of: number) =>
			aggregateScores(
				defs,
				Array.from({ length: of }, (_, i) => [
					row(1, 1, `agent:${i}`, i < nos ? 0 : 1),
					row(1, 2, `agent:${i}`, 5)
				]).flat(),
				[1]
			).get(1)!.gatesPassed;
		expect(votes(0, 3)).toBe(true);
		expect(votes(1, 3)).toBe(true);
		expect(votes(2, 3)).toBe(false);
		expect(votes(2, 4)).toBe(false);
		expect(votes(1, 4)).toBe(true);
	});

	it('a higher mean wins whatever the number of scorers; equal mean and cost: the earlier proposal', () => {
		const rows = [row(1, 2, 'agent:1', 20), row(1, 2, 'agent:2', 20), row(2, 2, 'agent:1', 25)];
		const ranked = rankByScore(defs, rows, [
			{ id: 1, seq: 1, costCents: 100 },
			{ id: 2, seq: 2, costCents: 100 }
		]);
		expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
			[2, 1],
			[1, 2]
		]);
		// the same, listed the other way round: fewer scorers with the higher mean first
		const flipped = rankByScore(
			defs,
			[row(1, 2, 'agent:1', 25), row(2, 2, 'agent:1', 20), row(2, 2, 'agent:2', 20), row(3, 2, 'agent:1', 15)],
			[
				{ id: 1, seq: 1, costCents: 100 },
				{ id: 2, seq: 2, costCents: 100 },
				{ id: 3, seq: 3, costCents: 100 }
			]
		);
		expect(flipped.map((r) => r.proposalId)).toEqual([1, 2, 3]);
		const tied = rankByScore(
			defs,
			[row(1, 2, 'workshop', 5), row(2, 2, 'workshop', 5), row(3, 2, 'workshop', 15)],
			[
				{ id: 1, seq: 2, costCents: 100 },
				{ id: 2, seq: 1, costCents: 100 },
				{ id: 3, seq: 3, costCents: 100 }
			]
		);
		expect(tied.map((r) => r.proposalId)).toEqual([3, 2, 1]);
	});

	it('unranked proposals follow in proposal order', () => {
		const ranked = rankByScore(
			defs,
			[row(9, 2, 'workshop', 5)],
			[
				{ id: 3, seq: 3, costCents: 1 },
				{ id: 1, seq: 1, costCents: 1 },
				{ id: 9, seq: 9, costCents: 1 },
				{ id: 2, seq: 2, costCents: 1 }
			]
		);
		expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
			[9, 1],
			[1, 0],
			[2, 0],
			[3, 0]
		]);
	});
});
