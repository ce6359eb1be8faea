// From a round's rules and rows to the engine's input, and from its output to the rows residents read.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RoundRules } from './round-rules';
import {
	budgetElection,
	engineRuleFor,
	engineTiesFor,
	mixKeys,
	otherRuleFor,
	outcomeRows,
	recountArgs,
	scoreKeys,
	voteTypeFor
} from './results';
import type { TallyResult } from './tally/index';

const rules = (over: Partial<RoundRules>): RoundRules => ({ ...DEFAULT_RULES, ...over });
const points = { type: 'cumulative', points: 10, maxPerProject: 5 } as const;
const ranked = { type: 'ranked', k: 3 } as const;
const mix = { rule: 'mix', voteWeight: 60, scoreWeight: 40 } as const;

describe('engineRuleFor / otherRuleFor / engineTiesFor', () => {
	it('names the engine rule, where the score comes from and the tie mode', () => {
		expect(engineRuleFor(rules({}))).toEqual({ rule: 'greedy', scoreFrom: 'ballots', ties: 'cost' });
		expect(engineRuleFor(rules({ decision: { rule: 'scores' } }))).toEqual({
			rule: 'greedy',
			scoreFrom: 'projects',
			ties: 'cost'
		});
		expect(engineRuleFor(rules({ decision: mix, tieBreak: 'votes' }))).toEqual({
			rule: 'greedy',
			scoreFrom: 'projects',
			ties: 'votes'
		});
		expect(engineRuleFor(rules({ allocation: 'mes', mesCompletion: 'add1' }))).toEqual({
			rule: 'mes-add1',
			scoreFrom: 'ballots',
			ties: 'cost'
		});
		expect(engineRuleFor(rules({ allocation: 'mes', mesCompletion: 'none' })).rule).toBe('mes');
		expect(engineRuleFor(rules({ allocation: 'mes' })).rule).toBe('mes');
		expect(engineRuleFor(rules({ allocation: 'mes', ballot: points, mesCompletion: 'none' }))).toEqual({
			rule: 'mes-points',
			scoreFrom: 'ballots',
			ties: 'cost'
		});
	});

	it('compares with the other allocation rule, except for ranked ballots and scores', () => {
		expect(otherRuleFor(rules({}))).toBe('mes-add1');
		expect(otherRuleFor(rules({ ballot: points }))).toBe('mes-points');
		expect(otherRuleFor(rules({ allocation: 'mes' }))).toBe('greedy');
		expect(otherRuleFor(rules({ ballot: ranked }))).toBeNull();
		expect(otherRuleFor(rules({ decision: { rule: 'scores' } }))).toBeNull();
		expect(otherRuleFor(rules({ decision: mix }))).toBeNull();
	});

	it('maps each tie-break to its engine mode', () => {
		expect(engineTiesFor(rules({ tieBreak: 'proposal' }))).toBe('file');
		expect(engineTiesFor(rules({ tieBreak: 'votes' }))).toBe('votes');
		expect(engineTiesFor(rules({ tieBreak: 'draw' }))).toBe('draw');
		expect(engineTiesFor(rules({ tieBreak: 'cost' }))).toBe('cost');
	});

	it('prints the recount command, with --score-from only for criteria scores', () => {
		expect(recountArgs({ rule: 'greedy', ties: 'cost', scoreFrom: 'ballots' })).toEqual([
			'--rule',
			'greedy',
			'--ties',
			'cost'
		]);
		expect(recountArgs({ rule: 'greedy', ties: 'file', scoreFrom: 'projects' })).toEqual([
			'--rule',
			'greedy',
			'--ties',
			'file',
			'--score-from',
			'projects'
		]);
	});

	it('names the .pb vote type', () => {
		expect(voteTypeFor(rules({}))).toBe('approval');
		expect(voteTypeFor(rules({ ballot: { type: 'knapsack' } }))).toBe('approval');
		expect(voteTypeFor(rules({ ballot: points }))).toBe('cumulative');
		expect(voteTypeFor(rules({ ballot: ranked }))).toBe('ordinal');
	});
});

describe('budgetElection', () => {
	const projects = [
		{ proposalId: 20, seq: 2, title: 'Losa', costCents: 150_050 },
		{ proposalId: 10, seq: 1, title: 'Agua', costCents: 100_000 },
		{ proposalId: 30, seq: 3, title: 'Posta', costCents: 99 }
	];

	it('orders projects by proposal, ballots by public id, names projects by proposal number', () => {
		const e = budgetElection({
			rules: rules({}),
			budgetCents: 500_000,
			projects,
			sections: [
				{ publicId: 'b', choices: { approve: [30, 99, 10] } },
				{ publicId: 'a', choices: { approve: [] } },
				{ publicId: 'c', choices: { approve: [20] } },
				{ publicId: 'b2', choices: { approve: [10] } }
			],
			meta: { description: 'Zona' }
		});
		expect(e).toEqual({
			meta: { currency: 'PEN', description: 'Zona' },
			voteType: 'approval',
			budget: '5000',
			projects: [
				{ id: '1', cost: '1000', name: 'Agua' },
				{ id: '2', cost: '1500.5', name: 'Losa' },
				{ id: '3', cost: '0.99', name: 'Posta' }
			],
			ballots: [
				{ id: 'a', vote: [] },
				{ id: 'b', vote: ['3', '1'] },
				{ id: 'b2', vote: ['1'] },
				{ id: 'c', vote: ['2'] }
			]
		});
	});

	it('points ballots: most points first, with their points; ranked ballots keep their order; scores as keys', () => {
		const e = budgetElection({
			rules: rules({ ballot: points }),
			budgetCents: 100,
			projects: [{ ...projects[0], scoreKey: 7n }, { ...projects[1] }, { ...projects[2], scoreKey: 9n }],
			sections: [
				{
					publicId: 'x',
					choices: {
						points: [
							[10, 2],
							[30, 5],
							[77, 9],
							[20, 3]
						]
					}
				},
				{ publicId: 'y', choices: { rank: [30, 10, 55] } }
			],
			meta: {}
		});
		expect(e.voteType).toBe('cumulative');
		expect(e.projects.map((p) => p.score)).toEqual(['0', '7', '9']);
		expect(e.ballots).toEqual([
			{ id: 'x', vote: ['3', '2', '1'], points: [5, 3, 2] },
			{ id: 'y', vote: ['3', '1'] }
		]);
		expect(e.meta).toEqual({ currency: 'PEN' });
	});
});

describe('scoreKeys and mixKeys', () => {
	it('scales every mean by the lcm of the scorer counts, exactly and in order', () => {
		const { keys, scale } = scoreKeys(
			new Map([
				[1, { totalHundredths: 1000, scorers: 2 }],
				[2, { totalHundredths: 1000, scorers: 3 }],
				[3, { totalHundredths: 500, scorers: 0 }],
				[4, { totalHundredths: 901, scorers: 4 }]
			])
		);
		// lcm(2, 3, 4) = 12
		expect(scale).toBe(1200n);
		expect(keys).toEqual(
			new Map([
				[1, 6000n],
				[2, 4000n],
				[3, 0n],
				[4, 2703n]
			])
		);
	});

	it('nobody scored: scale 100, keys 0', () => {
		const { keys, scale } = scoreKeys(new Map([[1, { totalHundredths: 0, scorers: 0 }]]));
		expect(scale).toBe(100n);
		expect(keys.get(1)).toBe(0n);
	});

	it('mixes each part over its maximum with its weight', () => {
		const out = mixKeys(
			new Map([
				[1, 10n],
				[2, 5n]
			]),
			new Map([
				[2, 8n],
				[3, 4n]
			]),
			60,
			40
		);
		// 60·v·maxS + 40·s·maxV with maxV 10, maxS 8
		expect(out).toEqual(
			new Map([
				[1, 60n * 10n * 8n],
				[2, 60n * 5n * 8n + 40n * 8n * 10n],
				[3, 40n * 4n * 10n]
			])
		);
		// a part whose maximum is 0 counts as 1 so the other part still orders
		expect(mixKeys(new Map([[1, 3n]]), new Map(), 50, 50)).toEqual(new Map([[1, 150n]]));
		expect(mixKeys(new Map(), new Map([[1, 3n]]), 50, 50)).toEqual(new Map([[1, 150n]]));
	});
});

describe('outcomeRows', () => {
	const projects = [
		{ proposalId: 10, seq: 1, title: 'Agua', costCents: 300 },
		{ proposalId: 20, seq: 2, title: 'Losa', costCents: 500 },
		{ proposalId: 30, seq: 3, title: 'Posta', costCents: 100 }
	];
	const result = {
		ranking: [
			{ id: '2', votes: 9, score: '9', selected: true },
			{ id: '1', votes: 7, score: '7', selected: false },
			{ id: '3', votes: 2, score: '2', selected: true }
		]
	} as unknown as TallyResult;

	it('keeps the engine order and the running total of what was funded', () => {
		const rows = outcomeRows(result, projects);
		expect(rows).toEqual([
			{
				proposalId: 20,
				seq: 2,
				title: 'Losa',
				costCents: 500,
				votes: 9,
				score: '9',
				selected: true,
				runningTotalCents: 500
			},
			{
				proposalId: 10,
				seq: 1,
				title: 'Agua',
				costCents: 300,
				votes: 7,
				score: '7',
				selected: false,
				runningTotalCents: 500
			},
			{
				proposalId: 30,
				seq: 3,
				title: 'Posta',
				costCents: 100,
				votes: 2,
				score: '2',
				selected: true,
				runningTotalCents: 600
			}
		]);
		expect('figure' in rows[0]).toBe(false);
	});

	it('adds the support figure when asked', () => {
		const rows = outcomeRows(result, projects, (p, r) => ({ kind: 'votes', votes: p.seq * 100 + r.votes }));
		expect(rows.map((r) => r.figure)).toEqual([
			{ kind: 'votes', votes: 209 },
			{ kind: 'votes', votes: 107 },
			{ kind: 'votes', votes: 302 }
		]);
	});
});
