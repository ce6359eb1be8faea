/**
 * Small hand-made cases: pabutools' own test expectations (spec §5.1) and the behaviour of each rule option.
 */
import { describe, expect, it } from 'vitest';
import { mesAdd1 } from './add1';
import { formatUnits, parseDecimal } from './decimal';
import { buildElection, runRule, type ElectionInput, type RuleId } from './index';
import { MesEngine } from './mes';
import { approvalProfile } from './profile';
import * as R from './rational';
import { tieRanks } from './ties';
import { countVotes } from './count';
import { greedy, greedyOrder } from './greedy';

function approval(
	budget: string,
	costs: Record<string, string>,
	ballots: string[][],
	meta: Record<string, string> = {}
): ElectionInput {
	return {
		meta,
		budget,
		projects: Object.entries(costs).map(([id, cost]) => ({ id, cost })),
		ballots: ballots.map((vote, i) => ({ id: String(i + 1), vote }))
	};
}

const sel = (input: ElectionInput, rule: RuleId, ties?: 'file' | 'lex' | 'equalshares' | 'cost') =>
	[...runRule(buildElection(input), { rule, ties }).selected].sort();

/** MES + completion with an arbitrary increment (in money units of the election), as pabutools' voter_budget_increment. */
function mesIncrement(input: ElectionInput, increment: string): string[] {
	const e = buildElection(input);
	const inc = parseDecimal(increment)!;
	const units = R.rat(inc.int * 10n ** BigInt(e.scale), 10n ** BigInt(inc.scale));
	const engine = new MesEngine(
		approvalProfile(e),
		e.projects.map((p) => p.cost),
		tieRanks(e, countVotes(e).votes, 'lex')
	);
	return mesAdd1(engine, e.budget, e.voters.length, units, 'exhaustive')
		.selected.map((p) => e.projects[p].id)
		.sort();
}

describe('pabutools test cases (spec §5.1)', () => {
	const appEx2 = approval('4', { p0: '1', p1: '0.9', p2: '2', p3: '1.09' }, [
		['p0'],
		['p1', 'p2', 'p3'],
		['p1', 'p2', 'p3'],
		['p2']
	]);
	const appEx3 = approval('4', { p0: '1', p1: '0.9', p2: '2', p3: '1.09', p4: '1.09', p5: '1.09' }, [
		['p0'],
		['p1', 'p2', 'p3'],
		['p1', 'p2', 'p3'],
		['p2']
	]);

	it('AppEx_2 and AppEx_3: MES[Cost], MES[Cardinality], and MES[Cost] with increment 1/10', () => {
		for (const ex of [appEx2, appEx3]) {
			expect(sel(ex, 'mes')).toEqual(['p0', 'p2']);
			expect(sel(ex, 'mes-points')).toEqual(['p0', 'p1', 'p3']); // approval utility 1 = Cardinality_Sat
			expect(mesIncrement(ex, '0.1')).toEqual(['p0', 'p1', 'p2']);
		}
	});

	it('AppEx_4 (a zero-cost project)', () => {
		const ex = approval('2', { p0: '0', p1: '1', p2: '2' }, [['p0'], ['p0', 'p1', 'p2'], ['p2']]);
		expect(sel(ex, 'greedy')).toEqual(['p0', 'p2']);
		expect(sel(ex, 'mes')).toEqual([]);
		expect(mesIncrement(ex, '0.1')).toEqual(['p2']);
		expect(sel(ex, 'mes-points')).toEqual(['p0']);
	});

	it('AppEx_1: greedy with everything tied returns one of the tied outcomes', () => {
		const ex = approval('3', { p0: '1', p1: '3', p2: '2', p3: '1' }, [
			['p0', 'p1', 'p2', 'p3'],
			['p0', 'p1', 'p2', 'p3']
		]);
		const allowed = [['p0', 'p2'], ['p0', 'p3'], ['p1'], ['p2', 'p3']].map((s) => s.join());
		for (const ties of ['file', 'lex', 'equalshares', 'cost'] as const)
			expect(allowed).toContain(sel(ex, 'greedy', ties).join());
		expect(sel(ex, 'greedy', 'file')).toEqual(['p0', 'p2']);
		expect(sel(ex, 'greedy', 'cost')).toEqual(['p0', 'p3']);
	});

	it('Lackner–Skowron running example: Phragmén {a,b,c,d}, MES {a}', () => {
		const costs = Object.fromEntries('abcdefg'.split('').map((x) => [x, '1']));
		const ballots = [
			...Array(3).fill(['a', 'b']),
			...Array(3).fill(['a', 'c']),
			...Array(2).fill(['a', 'd']),
			['b', 'c', 'f'],
			['e'],
			['f'],
			['g']
		];
		const ex = approval('4', costs, ballots);
		expect(sel(ex, 'phragmen')).toEqual(['a', 'b', 'c', 'd']);
		expect(sel(ex, 'mes')).toEqual(['a']);
	});

	it('edge cases: a single empty ballot; everything affordable', () => {
		const empty = approval('5', { a: '2', b: '3', c: '4' }, [[]]);
		expect(sel(empty, 'mes')).toEqual([]);
		expect(sel(empty, 'mes-add1')).toEqual([]);
		expect(sel(empty, 'greedy')).toEqual(['a', 'b']); // exhaustive
		const all = approval('10', { a: '2', b: '3', c: '4' }, [
			['a', 'b', 'c'],
			['a', 'b', 'c']
		]);
		for (const rule of [
			'greedy',
			'greedy-stop80',
			'mes',
			'mes-add1',
			'mes-add1-exhaustive',
			'mes-add1-exhaustive-greedy',
			'phragmen',
			'mes-points'
		] as const) {
			expect(sel(all, rule)).toEqual(['a', 'b', 'c']);
		}
	});
});

describe('rule options', () => {
	it('greedy-stop80 stops at the first misfit and funds it when ≥ 80 % of its cost is left', () => {
		const ex = approval('100', { a: '60', b: '45', c: '5' }, [['a', 'b', 'c'], ['a', 'b'], ['a']]);
		// 40 left ≥ 80 % of 45 = 36: b is funded (total 105 > 100), then the count stops (c would have fitted)
		const r = runRule(buildElection(ex), { rule: 'greedy-stop80' });
		expect(r.selected).toEqual(['a', 'b']);
		expect(r.totalCost).toBe('105');
		// 35 left < 36: b is not funded, and the count still stops before c
		expect(runRule(buildElection({ ...ex, budget: '95' }), { rule: 'greedy-stop80' }).selected).toEqual(['a']);
		expect(runRule(buildElection({ ...ex, budget: '95' }), { rule: 'greedy' }).selected).toEqual(['a', 'c']);
	});

	it('greedy-stop80 funds the misfit at exactly 80 % of its cost left, and not one unit below', () => {
		// a takes 60 of 100: 40 left. b costs 50: 40 is exactly 80 % of 50, so b is funded (total 110).
		const ex = approval('100', { a: '60', b: '50' }, [['a', 'b'], ['a', 'b'], ['a']]);
		expect(runRule(buildElection(ex), { rule: 'greedy-stop80' }).selected).toEqual(['a', 'b']);
		// One unit less left (39 < 40): b is not funded.
		expect(runRule(buildElection({ ...ex, budget: '99' }), { rule: 'greedy-stop80' }).selected).toEqual(['a']);
		// One unit dearer (40 < 80 % of 51 = 40.8): not funded either.
		const dearer = approval('100', { a: '60', b: '51' }, [['a', 'b'], ['a', 'b'], ['a']]);
		expect(runRule(buildElection(dearer), { rule: 'greedy-stop80' }).selected).toEqual(['a']);
	});

	it('greedy-stop80 counts a project costing exactly what is left as fitting, and goes on', () => {
		// a takes the whole 100 (100 ≤ 100 fits, not a misfit funded by the 80 % clause); the count goes on, and z,
		// free, still fits in the 0 left. Treating the exact fit as a misfit would stop before z.
		const ex = approval('100', { a: '100', z: '0' }, [['a', 'z'], ['a']]);
		expect(runRule(buildElection(ex), { rule: 'greedy-stop80' }).selected).toEqual(['a', 'z']);
	});

	it('greedy ranks by score first (tie rank only between equal scores) and keeps projects selected up front', () => {
		// p0 has the best tie rank but the lowest score: it comes last
		expect(greedyOrder([1n, 5n, 3n], new Int32Array([0, 1, 2]))).toEqual([1, 2, 0]);
		expect(greedyOrder([5n, 1n, 3n], new Int32Array([2, 0, 1]))).toEqual([0, 2, 1]);
		const input = { score: [3n, 2n, 1n], cost: [50n, 60n, 40n], rank: new Int32Array([0, 1, 2]) };
		// p1 already selected: its 60 is spent, so of 100 only 40 is left (p0 no longer fits, p2 does)
		expect(greedy({ ...input, budget: 100n, initial: [1] }).selected).toEqual([1, 2]);
		// with 200, p1 would fit again after p0, but it is not taken twice
		expect(greedy({ ...input, budget: 200n, initial: [1] }).selected).toEqual([1, 0, 2]);
	});

	it('tie modes order tied projects as documented', () => {
		// all have one vote: ranking decided by ties only
		const ex = approval('100', { '9': '30', '10': '30', B: '20', a: '50' }, [['9', '10', 'B', 'a']]);
		const e = buildElection(ex);
		const order = (ties: 'file' | 'lex' | 'equalshares' | 'cost') =>
			runRule(e, { rule: 'greedy', ties }).ranking.map((r) => r.id);
		expect(order('file')).toEqual(['9', '10', 'B', 'a']);
		expect(order('lex')).toEqual(['10', '9', 'B', 'a']);
		expect(order('equalshares')).toEqual(['B', '10', '9', 'a']);
		expect(order('cost')).toEqual(['B', '9', '10', 'a']);
	});

	it('greedy --score-from projects ranks by the PROJECTS score column (exact decimals)', () => {
		const e = buildElection({
			budget: '100',
			projects: [
				{ id: 'x', cost: '50', score: '71.25' },
				{ id: 'y', cost: '50', score: '71.3' },
				{ id: 'z', cost: '50', score: '9' }
			],
			ballots: [{ id: '1', vote: ['z'] }]
		});
		const r = runRule(e, { rule: 'greedy', scoreFrom: 'projects' });
		expect(r.selected).toEqual(['y', 'x']);
		expect(r.ranking.map((p) => p.score)).toEqual(['71.3', '71.25', '9']);
		expect(() => runRule(e, { rule: 'mes', scoreFrom: 'projects' })).toThrow(/only applies to greedy/);
	});

	it('min_project_score_threshold makes low-scored projects ineligible for greedy and greedy-stop80', () => {
		const ex = approval('100', { a: '50', b: '10' }, [['a', 'b'], ['a']], { min_project_score_threshold: '2' });
		expect(sel(ex, 'greedy')).toEqual(['a']);
		expect(runRule(buildElection(ex), { rule: 'greedy', useThreshold: false }).selected).toEqual(['a', 'b']);
		// the Poznań variant too: b would fit, but is below the threshold
		expect(sel(ex, 'greedy-stop80')).toEqual(['a']);
		expect(runRule(buildElection(ex), { rule: 'greedy-stop80', useThreshold: false }).selected).toEqual(['a', 'b']);
	});

	it('ordinal ballots score len..1, cumulative ballots sum points', () => {
		const ord = buildElection({
			voteType: 'ordinal',
			budget: '10',
			projects: [
				{ id: 'a', cost: '10' },
				{ id: 'b', cost: '10' },
				{ id: 'c', cost: '10' }
			],
			ballots: [
				{ id: '1', vote: ['a', 'b', 'c'] },
				{ id: '2', vote: ['b', 'a', 'c'] },
				{ id: '3', vote: ['c', 'b', 'a'] }
			]
		});
		const r = runRule(ord, { rule: 'greedy' });
		expect(r.ranking.map((x) => [x.id, x.score])).toEqual([
			['b', '7'],
			['a', '6'],
			['c', '5']
		]);
		const cum = buildElection({
			voteType: 'cumulative',
			budget: '10',
			projects: [
				{ id: 'a', cost: '10' },
				{ id: 'b', cost: '10' }
			],
			ballots: [
				{ id: '1', vote: ['a'], points: [3] },
				{ id: '2', vote: ['b', 'a'], points: [2, 1] },
				{ id: '3', vote: ['b'], points: [3] }
			]
		});
		const rc = runRule(cum, { rule: 'greedy' });
		expect(rc.selected).toEqual(['b']);
		expect(rc.ranking[0]).toMatchObject({ id: 'b', votes: 2, score: '5' });
	});

	it('money stays exact with céntimos and reports totals as exact decimals', () => {
		const ex = approval('0.3', { a: '0.1', b: '0.2', c: '0.05' }, [
			['a', 'b'],
			['a', 'b', 'c']
		]);
		const r = runRule(buildElection(ex), { rule: 'greedy' });
		expect(r.totalCost).toBe('0.3');
		expect(r.unspent).toBe('0');
		expect(r.budget).toBe('0.3');
	});

	it('add1 steps by one currency unit, whatever the decimals', () => {
		const ex = approval('10.50', { a: '6', b: '4.5', c: '3' }, [['a'], ['b'], ['c'], ['a', 'b']]);
		const r = runRule(buildElection(ex), { rule: 'mes-add1' });
		expect(r.mes?.initialEndowment).toBe('2'); // floor(10.5 / 4)
		const e = parseDecimal(r.mes!.endowment)!;
		expect(e.scale).toBe(0);
	});
});

describe('decimal and rational helpers', () => {
	it('parse and format exactly', () => {
		expect(parseDecimal('740793.05')).toMatchObject({ int: 74079305n, scale: 2 });
		expect(parseDecimal('1.2e3')).toMatchObject({ int: 1200n, scale: 0 });
		expect(parseDecimal('abc')).toBeNull();
		expect(parseDecimal('')).toBeNull();
		expect(formatUnits(123456750n, 2)).toBe('1234567.5');
		expect(formatUnits(-5n, 2)).toBe('-0.05');
		expect(formatUnits(0n, 3)).toBe('0');
	});
	it('rationals reduce and compare exactly', () => {
		expect(R.add(R.rat(1n, 3n), R.rat(1n, 6n))).toEqual({ n: 1n, d: 2n });
		expect(R.cmp(R.rat(1n, 3n), R.rat(333333333333333333n, 1000000000000000000n))).toBe(1);
		expect(R.toNumber(R.rat(10n ** 400n, 3n * 10n ** 400n))).toBeCloseTo(1 / 3, 15);
	});
});
