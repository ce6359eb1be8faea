/**
 * The fast MES engine on small elections worked out by hand (spec §3.3: every supporter pays the equal share q, or all
 * she has if that is less; ρ = q / cost; the lowest ρ wins, ties by the tie-breaking order), with the exact price of
 * each round, and the engine's own promises: costs it refuses, projects it never considers, and the float path that
 * decides clear elections without a single exact (BigInt) evaluation.
 */
import { describe, expect, it } from 'vitest';
import { buildElection, type ElectionInput } from './index';
import { MesEngine } from './mes';
import { mesExact } from './mes-exact';
import { approvalProfile, utilityProfile } from './profile';
import * as R from './rational';

const MODES = ['auto', 'direct', 'aggregated'] as const;

function engineFor(input: ElectionInput, rankOf: string[]) {
	const e = buildElection(input);
	const rank = Int32Array.from(e.projects, (p) => rankOf.indexOf(p.id));
	const engine = new MesEngine(
		approvalProfile(e),
		e.projects.map((p) => p.cost),
		rank
	);
	const ids = (sel: number[]) => sel.map((p) => e.projects[p].id);
	return { e, engine, ids };
}

const votes = (...ballots: string[][]) => ballots.map((vote, i) => ({ id: `v${i + 1}`, vote }));
const price = (q: R.Rat) => R.toString(q);

describe('MES by hand (endowment 10 per voter)', () => {
	// v1 {A}, v2 {A,B}, v3 {A,B}, v4 {B,C}, v5 {C}; A 21, B 24, C 11.
	// Round 1: A q = 21/3 = 7, ρ = 1/3; B q = 24/3 = 8, ρ = 1/3 (an exact tie); C q = 11/2, ρ = 1/2.
	const tie: ElectionInput = {
		budget: '50',
		projects: [
			{ id: 'A', cost: '21' },
			{ id: 'B', cost: '24' },
			{ id: 'C', cost: '11' }
		],
		ballots: votes(['A'], ['A', 'B'], ['A', 'B'], ['B', 'C'], ['C'])
	};

	it('an exact tie in ρ goes to the project first in the tie-breaking order, and the rest follows from it', () => {
		for (const mode of MODES) {
			// A first: v1..v3 keep 3 each, B (3 + 3 + 10 < 24) is out; C: v4 and v5 pay 11/2 each
			const a = engineFor(tie, ['A', 'B', 'C']);
			a.engine.mode = mode;
			expect(a.ids(a.engine.run(R.rat(10n)).selected)).toEqual(['A', 'C']);
			expect(a.engine.prices().map(price)).toEqual(['7', '11/2']);
			// B first: v2..v4 keep 2 each, A (10 + 2 + 2 < 21) is out; C: v4 pays all she has (2), v5 the rest (9)
			const b = engineFor(tie, ['B', 'A', 'C']);
			b.engine.mode = mode;
			expect(b.ids(b.engine.run(R.rat(10n)).selected)).toEqual(['B', 'C']);
			expect(b.engine.prices().map(price)).toEqual(['8', '9']);
		}
	});

	// v1 {A}, v2 {A,B}, v3 {A,C}, v4 {C}; A 15, B 4, C 12. Every comparison is clear by far.
	// Round 1: A q = 5, ρ = 1/3 (C 1/2, B 1). Round 2: C: v3 has 5 < 6 and pays all, v4 pays 7, ρ = 7/12 (B: 1).
	// Round 3: B, v2 pays 4 of her 5.
	const clear: ElectionInput = {
		budget: '40',
		projects: [
			{ id: 'A', cost: '15' },
			{ id: 'B', cost: '4' },
			{ id: 'C', cost: '12' }
		],
		ballots: votes(['A'], ['A', 'B'], ['A', 'C'], ['C'])
	};

	it('a supporter with less than the equal share pays all she has; the others share the rest', () => {
		for (const mode of MODES) {
			const { engine, ids } = engineFor(clear, ['A', 'B', 'C']);
			engine.mode = mode;
			expect(ids(engine.run(R.rat(10n)).selected)).toEqual(['A', 'C', 'B']);
			expect(engine.prices().map(price)).toEqual(['5', '7', '4']);
		}
	});

	it('decides a clear election in floats alone, and re-decides an exact tie in rationals', () => {
		for (const mode of MODES) {
			const c = engineFor(clear, ['A', 'B', 'C']);
			c.engine.mode = mode;
			c.engine.run(R.rat(10n));
			expect(c.engine.stats).toMatchObject({ runs: 1, rounds: 3, exactEvals: 0 });
			expect(c.engine.stats.floatEvals).toBeGreaterThan(0);
			const t = engineFor(tie, ['A', 'B', 'C']);
			t.engine.mode = mode;
			t.engine.run(R.rat(10n));
			expect(t.engine.stats.exactEvals).toBeGreaterThan(0);
			expect(t.engine.stats).toMatchObject({ runs: 1, rounds: 2 });
		}
	});

	it('a reused engine starts every run afresh (Add1 runs it again and again)', () => {
		const { engine, ids } = engineFor(clear, ['A', 'B', 'C']);
		expect(ids(engine.run(R.rat(10n)).selected)).toEqual(['A', 'C', 'B']);
		// 4 each: A (12 < 15) and C (8 < 12) are out, B costs v2 all she has
		expect(ids(engine.run(R.rat(4n)).selected)).toEqual(['B']);
		expect(engine.prices().map(price)).toEqual(['4']);
		expect(ids(engine.run(R.rat(10n)).selected)).toEqual(['A', 'C', 'B']);
		expect(engine.stats.runs).toBe(3);
	});
});

describe('MES by hand: a price raised twice', () => {
	// Endowment 10. P2 (v2, v7..v10; 30) ρ 1/5, then P1 (v1, v4..v6; 36) ρ 1/4: v1 keeps 1, v2 keeps 4.
	// T (v1, v2, v3; 12): equal share 4, v1 pays her 1; 11/2 = 5.5 is more than v2's 4, so she pays all too; v3 pays
	// 7: ρ = 7/12. U (v3, v11; 10) ρ = 1/2 comes first, and leaves T unaffordable (1 + 4 + 5 < 12). Stopping at the
	// first raise (5.5) would make T's ρ 11/24 and buy it before U.
	const twice: ElectionInput = {
		budget: '110',
		projects: [
			{ id: 'P1', cost: '36' },
			{ id: 'P2', cost: '30' },
			{ id: 'T', cost: '12' },
			{ id: 'U', cost: '10' }
		],
		ballots: votes(['P1', 'T'], ['P2', 'T'], ['T', 'U'], ['P1'], ['P1'], ['P1'], ['P2'], ['P2'], ['P2'], ['P2'], ['U'])
	};

	it('every supporter who cannot pay the raised share pays all she has, until the share holds', () => {
		for (const mode of MODES) {
			const { e, engine, ids } = engineFor(twice, ['P1', 'P2', 'T', 'U']);
			engine.mode = mode;
			expect(ids(engine.run(R.rat(10n)).selected)).toEqual(['P2', 'P1', 'U']);
			expect(engine.prices().map(price)).toEqual(['6', '9', '5']);
			// the plain exact implementation agrees
			const exact = mesExact({
				profile: utilityProfile(e),
				cost: e.projects.map((p) => p.cost),
				endowment: R.rat(10n),
				rank: Int32Array.from([0, 1, 2, 3]),
				costUtility: true
			});
			expect(ids(exact.selected)).toEqual(['P2', 'P1', 'U']);
		}
	});
});

describe('what the engine never buys or refuses', () => {
	it('zero-cost projects and projects nobody approved are not candidates, and are never selected', () => {
		const { engine, ids } = engineFor(
			{
				budget: '10',
				projects: [
					{ id: 'free', cost: '0' },
					{ id: 'lonely', cost: '1' },
					{ id: 'A', cost: '6' }
				],
				ballots: votes(['free', 'A'], ['free', 'A'])
			},
			['free', 'lonely', 'A']
		);
		expect(ids([...engine.candidates])).toEqual(['A']);
		expect(ids(engine.run(R.rat(5n)).selected)).toEqual(['A']);
	});

	it('a project exactly affordable is bought (its supporters pay all they have); a unit more is not', () => {
		for (const [cost, expected] of [
			['10', ['A']],
			['10.01', []]
		] as const) {
			const made = engineFor({ budget: '10', projects: [{ id: 'A', cost }], ballots: votes(['A'], ['A']) }, ['A']);
			const { e, engine, ids } = made;
			// 5 each, in the election's money units (céntimos once a cost has them): 10 is 2 × 5, 10.01 is not
			expect(ids(engine.run(R.rat(5n * 10n ** BigInt(e.scale))).selected)).toEqual(expected);
		}
	});

	it('exactly affordable by many different ballots, where the floats fall short or land exactly', () => {
		// Every voter also names her own free project, so no two ballots merge and the float sum runs voter by voter.
		// A costs 1 and 10 voters hold 1/10 each: exactly affordable, all pay all (0.1 added ten times is 0.9999999999999999
		// in floats). B costs 10, 2 voters hold 5 each: the float sum is exact, and the error bound must not be negative.
		// 10 voters holding (10^15 − 1)/10^16 each are 10^-15 short of 1, closer than the floats can tell: not bought.
		for (const [n, cost, endowment, bought] of [
			[10, '1', R.rat(1n, 10n), true],
			[2, '10', R.rat(5n), true],
			[10, '1', R.rat(10n ** 15n - 1n, 10n ** 16n), false]
		] as const) {
			const input: ElectionInput = {
				budget: cost,
				projects: [{ id: 'A', cost }, ...Array.from({ length: n }, (_, i) => ({ id: `f${i}`, cost: '0' }))],
				ballots: votes(...Array.from({ length: n }, (_, i) => ['A', `f${i}`]))
			};
			for (const mode of MODES) {
				const { engine, ids } = engineFor(input, ['A']);
				engine.mode = mode;
				expect(ids(engine.run(endowment).selected), `${mode}, ${n} voters`).toEqual(bought ? ['A'] : []);
				expect(engine.prices().map(price)).toEqual(bought ? [R.toString(endowment)] : []);
			}
		}
	});

	it('refuses costs beyond 2^53 (the floats would no longer hold them exactly)', () => {
		const e = buildElection({ budget: '1', projects: [{ id: 'A', cost: '1' }], ballots: votes(['A']) });
		const prof = approvalProfile(e);
		expect(() => new MesEngine(prof, [2n ** 53n + 1n], Int32Array.from([0]))).toThrow(/cost too large/);
		expect(() => new MesEngine(prof, [2n ** 53n], Int32Array.from([0]))).not.toThrow();
	});
});

describe('more projects than the neighbour lists hold (4096)', () => {
	// Beyond 4096 projects the engine keeps no project-to-project neighbour lists and marks, after each purchase, the
	// projects of every ballot that paid as needing a new evaluation. The same hand-checked elections, padded with
	// projects nobody approved (never candidates), must come out the same.
	const pad = (input: ElectionInput): ElectionInput => ({
		...input,
		projects: [...input.projects, ...Array.from({ length: 4097 }, (_, i) => ({ id: `z${i}`, cost: '1' }))]
	});

	it('buys the same projects at the same prices, in every evaluation mode', () => {
		const clear: ElectionInput = {
			budget: '40',
			projects: [
				{ id: 'A', cost: '15' },
				{ id: 'B', cost: '4' },
				{ id: 'C', cost: '12' }
			],
			ballots: votes(['A'], ['A', 'B'], ['A', 'C'], ['C'])
		};
		const twice: ElectionInput = {
			budget: '110',
			projects: [
				{ id: 'P1', cost: '36' },
				{ id: 'P2', cost: '30' },
				{ id: 'T', cost: '12' },
				{ id: 'U', cost: '10' }
			],
			ballots: votes(
				['P1', 'T'],
				['P2', 'T'],
				['T', 'U'],
				['P1'],
				['P1'],
				['P1'],
				['P2'],
				['P2'],
				['P2'],
				['P2'],
				['U']
			)
		};
		for (const mode of MODES) {
			// worked out above: A, C, B at 5, 7, 4; P2, P1, U at 6, 9, 5 (T left unaffordable by U)
			const c = engineFor(pad(clear), ['A', 'B', 'C']);
			c.engine.mode = mode;
			expect(c.ids(c.engine.run(R.rat(10n)).selected)).toEqual(['A', 'C', 'B']);
			expect(c.engine.prices().map(price)).toEqual(['5', '7', '4']);
			const t = engineFor(pad(twice), ['P1', 'P2', 'T', 'U']);
			t.engine.mode = mode;
			expect(t.ids(t.engine.run(R.rat(10n)).selected)).toEqual(['P2', 'P1', 'U']);
			expect(t.engine.prices().map(price)).toEqual(['6', '9', '5']);
		}
	});
});

describe('mes-points by hand (mes-exact.ts, general utilities)', () => {
	// Each supporter i pays min(budget_i, ρ·u_i); the lowest ρ wins, ties by the tie-breaking order.
	// A ballot is written 'A:4 C:1' (project:utility); w gives the ballots' weights.
	function run(ballots: string[], cost: Record<string, number>, endowment: R.Rat, order: string[], w?: number[]) {
		const ids = Object.keys(cost);
		const weights = w ?? ballots.map(() => 1);
		const profile = {
			n: weights.reduce((a, b) => a + b, 0),
			m: ids.length,
			weights: weights.map(BigInt),
			ballots: ballots.map((b) =>
				b
					.split(' ')
					.map((x) => x.split(':'))
					.map(([id, u]) => [ids.indexOf(id), BigInt(u)] as [number, bigint])
					.sort((x, y) => x[0] - y[0])
			)
		};
		const res = mesExact({
			profile,
			cost: ids.map((id) => BigInt(cost[id])),
			endowment,
			rank: Int32Array.from(ids, (id) => order.indexOf(id)),
			costUtility: false
		});
		return { selected: res.selected.map((p) => ids[p]), zeroCost: res.zeroCost.map((p) => ids[p]) };
	}

	it('a supporter whose budget runs out before ρ·u pays all she has (the poorest per utility first)', () => {
		// Endowment 10. v1 {A:1, B:1}, v2 {A:1, B:2}, v3 {A:4}; A 24, B 15.
		// A: ρ = 24/6 = 4 asks v3 for 16 > 10, so she pays her 10 and v1, v2 share 14: ρ = 7 (they pay 7 ≤ 10).
		// B: ρ = 15/3 = 5, v2 pays 10 (all she has, exactly), v1 pays 5. B (5) before A (7); then A has 5 + 0 + 10 < 24.
		// Checking v1 first (the richest per utility, and first on the list) would give A ρ = 4 and buy A instead.
		expect(run(['A:1 B:1', 'A:1 B:2', 'A:4'], { A: 24, B: 15 }, R.rat(10n), ['A', 'B']).selected).toEqual(['B']);
	});

	it('whoever pays all she has is left with nothing, not with less than nothing', () => {
		// Endowment 10. v1 {A:4, C:1}, v2 {A:1}, v3 {A:1}, v4..v6 {C:1}; A 24, C 30.
		// A: ρ = 7 as above (v1 pays her 10 where ρ·u is 28; v2, v3 pay 7). C: 30/4 = 7.5, all could pay it. A first.
		// Then C: v1 has 0, v4..v6 have 30 = the cost, so C is bought at ρ = 10 (v1 pays 0, the others 10 each).
		// Charging v1 the full 28 (budget −18) would leave C 12 < 30.
		const ballots = ['A:4 C:1', 'A:1', 'A:1', 'C:1', 'C:1', 'C:1'];
		expect(run(ballots, { A: 24, C: 30 }, R.rat(10n), ['A', 'C']).selected).toEqual(['A', 'C']);
	});

	it('a project exactly affordable is bought, every supporter paying all she has', () => {
		// 1/3 each, three voters (a ballot of weight 2 and one of weight 1), A costs 1: ρ = 1/3, all pay 1/3
		expect(run(['A:1', 'A:1'], { A: 1 }, R.rat(1n, 3n), ['A'], [2, 1]).selected).toEqual(['A']);
		// a unit more is not
		expect(run(['A:1', 'A:1'], { A: 2 }, R.rat(1n, 3n), ['A'], [2, 1]).selected).toEqual([]);
	});

	it('an exact tie in ρ goes to the project first in the tie-breaking order; nothing is bought twice', () => {
		// Endowment 10. v1 {A:1}, v2 {A:1}, v3 {B:2}; A 6: ρ = 3; B 6: ρ = 6/2 = 3. Both are bought (v1, v2 keep 7,
		// enough to buy A again, which must not happen), in the tie-breaking order.
		expect(run(['A:1', 'A:1', 'B:2'], { A: 6, B: 6 }, R.rat(10n), ['A', 'B']).selected).toEqual(['A', 'B']);
		expect(run(['A:1', 'A:1', 'B:2'], { A: 6, B: 6 }, R.rat(10n), ['B', 'A']).selected).toEqual(['B', 'A']);
	});

	it('zero-cost projects with supporters come first (pabutools); unsupported ones and cost utility never', () => {
		const cost = { A: 6, F: 0, G: 0 };
		expect(run(['A:1 F:2', 'A:1'], cost, R.rat(10n), ['A', 'F', 'G'])).toEqual({
			selected: ['F', 'A'],
			zeroCost: ['F']
		});
		const res = mesExact({
			profile: {
				n: 2,
				m: 3,
				weights: [1n, 1n],
				ballots: [
					[
						[0, 1n],
						[1, 2n]
					],
					[[0, 1n]]
				]
			},
			cost: [6n, 0n, 0n],
			endowment: R.rat(10n),
			rank: Int32Array.from([0, 1, 2]),
			costUtility: true
		});
		expect(res).toEqual({ selected: [0], zeroCost: [] });
	});
});
