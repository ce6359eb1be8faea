// How a frozen result reads: the one cut-off line, each row's status, the support figure as printed.
import { describe, expect, it } from 'vitest';
import type { BudgetOutcomeRow } from './results';
import { figureHeading, figureOf, figureText, rankedView } from './results-view';

const row = (seq: number, selected: boolean, extra: Partial<BudgetOutcomeRow> = {}): BudgetOutcomeRow => ({
	proposalId: seq * 10,
	seq,
	title: `P${seq}`,
	costCents: 100,
	votes: 5,
	score: '5',
	selected,
	runningTotalCents: 0,
	...extra
});

describe('rankedView', () => {
	it('draws the line above the first unfunded row; funded rows below it are funded from the leftover', () => {
		const rows = [
			row(1, true),
			row(2, true),
			row(3, false),
			row(4, true),
			row(5, false),
			row(6, false, { ineligible: 'gate' })
		];
		const v = rankedView(rows);
		expect(v.cutoffBefore).toBe(2);
		expect(v.rows.map((r) => [r.position, r.status])).toEqual([
			[1, 'funded'],
			[2, 'funded'],
			[3, 'reserve'],
			[4, 'fundedLeftover'],
			[5, 'reserve'],
			[null, 'notEligible']
		]);
		expect(v.rows[0].row).toBe(rows[0]);
	});

	it('no line when everything was funded, a line at the top when nothing was', () => {
		expect(rankedView([row(1, true), row(2, true)]).cutoffBefore).toBeNull();
		expect(rankedView([row(1, false), row(2, true)])).toMatchObject({
			cutoffBefore: 0,
			rows: [{ status: 'reserve' }, { status: 'fundedLeftover' }]
		});
		expect(rankedView([row(1, true, { ineligible: 'unscored' })]).cutoffBefore).toBeNull();
	});
});

describe('figureOf (snapshots without stored figures) and figureHeading', () => {
	it('keeps a stored figure, else reads the score the way the snapshot computed it', () => {
		const fig = { kind: 'votes', votes: 42 } as const;
		expect(figureOf(row(1, true, { figure: fig }), { scoreFrom: 'projects', ballotType: 'approval' })).toBe(fig);
		const r = row(1, true, { score: '7.5', votes: 3 });
		expect(figureOf(r, { scoreFrom: 'projects', ballotType: 'cumulative' })).toEqual({ kind: 'legacy', text: '7.5' });
		expect(figureOf(r, { scoreFrom: 'ballots', ballotType: 'cumulative' })).toEqual({
			kind: 'points',
			points: '7.5',
			voters: 3
		});
		expect(figureOf(r, { scoreFrom: 'ballots', ballotType: 'ranked' })).toEqual({
			kind: 'points',
			points: '7.5',
			voters: 3
		});
		expect(figureOf(r, { scoreFrom: 'ballots', ballotType: 'approval' })).toEqual({ kind: 'votes', votes: 3 });
		expect(figureOf(r, { scoreFrom: 'ballots', ballotType: 'knapsack' })).toEqual({ kind: 'votes', votes: 3 });
	});

	it('heads the column by kind', () => {
		expect(figureHeading('votes')).toBe('results.votes');
		expect(figureHeading('points')).toBe('results.points');
		expect(figureHeading('mix')).toBe('results.figure.mixHeading');
		expect(figureHeading('score')).toBe('results.score');
		expect(figureHeading('legacy')).toBe('results.score');
	});
});

describe('figureText', () => {
	const t = (key: string, params?: Record<string, unknown>) => `${key} ${JSON.stringify(params)}`;

	it('prints numbers in Peruvian notation, keeping their decimals', () => {
		expect(figureText({ kind: 'votes', votes: 12345 }, t)).toBe('12,345');
		expect(figureText({ kind: 'votes', votes: 7 }, t)).toBe('7');
		expect(figureText({ kind: 'points', points: '1234.50', voters: 3 }, t)).toBe(
			'results.figure.points {"points":"1,234.50","count":3,"voters":3}'
		);
		expect(figureText({ kind: 'score', mean: '17.25', max: 20 }, t)).toBe(
			'results.figure.score {"mean":"17.25","max":"20"}'
		);
		expect(
			figureText(
				{
					kind: 'mix',
					value: '61.5',
					votes: '1200',
					maxVotes: '1500',
					mean: '15.5',
					maxMean: '20',
					voteWeight: 60,
					scoreWeight: 40
				},
				t
			)
		).toBe(
			'results.figure.mix {"value":"61.5","votes":"1,200","maxVotes":"1,500","mean":"15.5","maxMean":"20","voteWeight":60,"scoreWeight":40}'
		);
		expect(figureText({ kind: 'legacy', text: '3/4' }, t)).toBe('3/4');
	});
});
