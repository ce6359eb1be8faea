/**
 * Every supported kind of round, end to end and in-process (tests/support/round-configs.ts): compute, publish, take
 * the published `.pb`, recount it with the printed command and compare with the snapshot, with an independent count
 * and with what the results page prints. The CLI on the same files: configs.slow.test.ts.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { CASES, runCase, setupDb } from '../../../../tests/support/round-configs';
import { DEFAULT_RULES, validateRules } from '../../domain/round-rules';

beforeAll(() => {
	setupDb();
});

describe('every kind of round computes, publishes and recounts the same', () => {
	it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, index) => {
		expect(runCase(c, index).length).toBeGreaterThan(0);
	});
});

describe('combinations the rules refuse are refused with a message', () => {
	it.each([
		[{ ballot: { type: 'ranked', k: 3 }, allocation: 'mes' }, 'rules.mesRanked'],
		[{ decision: { rule: 'scores' }, allocation: 'mes' }, 'rules.mesNeedsVotes'],
		[
			{ ballot: { type: 'cumulative', points: 10, maxPerProject: 5 }, allocation: 'mes', mesCompletion: 'add1' },
			'rules.mesPointsAdd1'
		],
		[{ ballot: { type: 'cumulative', points: 10, maxPerProject: 5 }, allocation: 'mes' }, 'rules.mesPointsAdd1'],
		[{ allocation: 'mes', mesCompletion: 'add2' }, 'rules.mesCompletion'],
		[{ tieBreak: 'beneficiaries' }, 'rules.tieBreak']
	])('%j → %s', (input, error) => {
		expect(validateRules({ ...DEFAULT_RULES, ...input })).toMatchObject({ ok: false, error });
	});
	it('MES defaults to add-one completion; greedy records none', () => {
		expect(
			(validateRules({ ...DEFAULT_RULES, allocation: 'mes' }) as { rules: { mesCompletion?: string } }).rules
				.mesCompletion
		).toBe('add1');
		expect((validateRules(DEFAULT_RULES) as { rules: { mesCompletion?: string } }).rules.mesCompletion).toBeUndefined();
	});
});
