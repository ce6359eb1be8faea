import { describe, it, expect } from 'vitest';
import { explainRows, fairness, fairnessFigures } from './results-explain';
import { buildElection } from './tally/index';
import type { BudgetOutcomeRow } from './results';

const row = (
	seq: number,
	costCents: number,
	selected: boolean,
	extra: Partial<BudgetOutcomeRow> = {}
): BudgetOutcomeRow => ({
	proposalId: seq,
	seq,
	title: `P${seq}`,
	costCents,
	votes: 0,
	score: '0',
	selected,
	runningTotalCents: 0,
	...extra
});

describe('explanations', () => {
	it('greedy: what was left at each turn, against the cost', () => {
		// budget 100 000: #1 (60 000) fits, #2 (95 000) does not with 40 000 left, #3 (30 000) fits, #4 gate
		const rows = [
			row(1, 60_000_00, true),
			row(2, 95_000_00, false),
			row(3, 30_000_00, true),
			row(4, 10_000_00, false, { ineligible: 'gate' })
		];
		expect(explainRows(rows, 100_000_00, false)).toEqual([
			{ key: 'fitted', leftCents: 100_000_00, costCents: 60_000_00 },
			{ key: 'didNotFit', leftCents: 40_000_00, costCents: 95_000_00 },
			{ key: 'fitted', leftCents: 40_000_00, costCents: 30_000_00 },
			{ key: 'gate', leftCents: 10_000_00, costCents: 10_000_00 }
		]);
	});
	it("MES: funded from the supporters' shares; not funded because their shares were used up", () => {
		const rows = [row(1, 60_000_00, true), row(2, 10_000_00, false)];
		expect(explainRows(rows, 100_000_00, true).map((e) => [e.key, e.leftCents])).toEqual([
			['mesPaid', 40_000_00],
			['mesSharesUsedUp', 40_000_00]
		]);
	});
});

describe('fairness figures', () => {
	// 4 voters (one blank): a, a+b, c, blank; funded a and c → 3 of 3 served, 1 + 1 + 1 = 3 funded supported
	const e = buildElection({
		budget: '100',
		projects: [
			{ id: 'a', cost: '50' },
			{ id: 'b', cost: '60' },
			{ id: 'c', cost: '40' }
		],
		ballots: [
			{ id: '1', vote: ['a'] },
			{ id: '2', vote: ['a', 'b'] },
			{ id: '3', vote: ['c'] },
			{ id: '4', vote: [] }
		]
	});
	it('share of voters with a funded project they chose, and the average, blank ballots aside', () => {
		expect(fairness(e, ['a', 'c'])).toEqual({ voters: 3, served: 3, fundedSupported: 3 });
		expect(fairnessFigures(fairness(e, ['a', 'c']))).toEqual({ share: '100.0', average: '1.00' });
		expect(fairness(e, ['b'])).toEqual({ voters: 3, served: 1, fundedSupported: 1 });
		expect(fairnessFigures(fairness(e, ['b']))).toEqual({ share: '33.3', average: '0.33' });
		expect(fairnessFigures({ voters: 0, served: 0, fundedSupported: 0 })).toEqual({ share: '0.0', average: '0.00' });
	});
	it('points ballots: a project given no points is not supported', () => {
		const p = buildElection({
			voteType: 'cumulative',
			budget: '100',
			projects: [
				{ id: 'a', cost: '50' },
				{ id: 'b', cost: '60' }
			],
			ballots: [
				{ id: '1', vote: ['a', 'b'], points: [3, 0] },
				{ id: '2', vote: ['b'], points: [2] }
			]
		});
		expect(fairness(p, ['b'])).toEqual({ voters: 2, served: 1, fundedSupported: 1 });
	});
});
