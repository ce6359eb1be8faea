import { describe, it, expect } from 'vitest';
import { compareEntries, normaliseLine, parsePaperLine, splitLines, type PaperSection } from './paper';

const zone: PaperSection = {
	zoneId: 1,
	budgetCents: 1000,
	projects: [
		{ id: 11, costCents: 600 },
		{ id: 12, costCents: 400 },
		{ id: 13, costCents: 401 }
	],
	numbers: new Map([
		[1, 11],
		[2, 12],
		[3, 13]
	])
};
const wide: PaperSection = {
	zoneId: null,
	budgetCents: 500,
	projects: [{ id: 21, costCents: 500 }],
	numbers: new Map([[7, 21]])
};

describe('paper lines', () => {
	it('normalises spacing, commas and void marks', () => {
		expect(normaliseLine('  1,2   |7 ')).toBe('1 2 | 7');
		expect(normaliseLine('nulo')).toBe('NULO');
		expect(normaliseLine('x')).toBe('NULO');
		expect(normaliseLine('3 : 2  1:1')).toBe('3:2 1:1');
		expect(normaliseLine('| 7')).toBe('- | 7');
	});
	it('reads approval lines by public number', () => {
		expect(parsePaperLine({ type: 'approval', maxChoices: 2 }, [zone, wide], '2 1 | 7')).toEqual({
			kind: 'valid',
			sections: [{ approve: [11, 12] }, { approve: [21] }]
		});
		expect(parsePaperLine({ type: 'approval', maxChoices: 2 }, [zone, wide], '-')).toEqual({
			kind: 'valid',
			sections: [{ approve: [] }, { approve: [] }]
		});
	});
	it('a paper breaking the rules is void; a typo is unreadable', () => {
		expect(parsePaperLine({ type: 'approval', maxChoices: 2 }, [zone, wide], '1 2 3 | 7')).toMatchObject({
			kind: 'void',
			reason: 'rules',
			error: { code: 'ballot.tooMany' }
		});
		expect(parsePaperLine({ type: 'knapsack' }, [zone, wide], '1 3 | -')).toMatchObject({
			kind: 'void',
			reason: 'rules',
			error: { code: 'ballot.overBudget', params: { overCents: 1 } }
		});
		expect(parsePaperLine({ type: 'knapsack' }, [zone, wide], '1 2 | -').kind).toBe('valid');
		expect(parsePaperLine({ type: 'knapsack' }, [zone, wide], '1 9 | -')).toMatchObject({
			kind: 'unreadable',
			error: { code: 'ballot.paperToken', params: { token: '9' } }
		});
		expect(parsePaperLine({ type: 'knapsack' }, [zone, wide], '1 2')).toMatchObject({
			kind: 'unreadable',
			error: { code: 'ballot.paperSections' }
		});
		expect(parsePaperLine({ type: 'knapsack' }, [zone, wide], 'NULO')).toEqual({ kind: 'void', reason: 'marked' });
	});
	it('cumulative and ranked', () => {
		expect(parsePaperLine({ type: 'cumulative', points: 5, maxPerProject: 3 }, [zone], '1:3 2:2')).toEqual({
			kind: 'valid',
			sections: [
				{
					points: [
						[11, 3],
						[12, 2]
					]
				}
			]
		});
		expect(parsePaperLine({ type: 'cumulative', points: 5, maxPerProject: 3 }, [zone], '1')).toMatchObject({
			kind: 'unreadable'
		});
		expect(parsePaperLine({ type: 'ranked', k: 2 }, [zone], '3 1')).toEqual({
			kind: 'valid',
			sections: [{ rank: [13, 11] }]
		});
	});
	it('compares two keyings line by line', () => {
		expect(compareEntries(['1 2 | 7', '3|-'], ['1  2|7', '3 | -'])).toEqual([]);
		expect(compareEntries(['1 2 | 7', '3 | -'], ['1 2 | 7', '2 | -', 'NULO'])).toEqual([
			{ line: 2, first: '3 | -', second: '2 | -' },
			{ line: 3, first: null, second: 'NULO' }
		]);
	});
	it('splits a textarea', () => {
		expect(splitLines('1 2\r\n\n3\n\n')).toEqual(['1 2', '-', '3']);
	});
});
