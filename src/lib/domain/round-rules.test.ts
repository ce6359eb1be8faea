// Each rule of validateRules at its edge: the last value accepted, the first refused, and the code and parameters
// the form shows. (Mutation testing, issue 10 point 5.)
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, PRIVATE_BELOW_DEFAULT, validateRules, type RoundRules } from './round-rules';

const base = { ...DEFAULT_RULES };
const check = (over: Record<string, unknown>) => validateRules({ ...base, ...over });
const rulesOf = (over: Record<string, unknown>): RoundRules => {
	const r = check(over);
	if (!r.ok) throw new Error(`refused: ${r.error}`);
	return r.rules;
};
const errorOf = (over: Record<string, unknown>) => {
	const r = check(over);
	return r.ok ? 'accepted' : r.error;
};

describe('validateRules', () => {
	it('refuses what is not an object', () => {
		for (const v of [null, undefined, 0, 'approval', true])
			expect(validateRules(v)).toEqual({ ok: false, error: 'rules.invalid' });
	});

	it('returns exactly the rules it accepted, with the default privacy threshold', () => {
		expect(validateRules({ ...base, privateBelow: undefined })).toEqual({
			ok: true,
			rules: { ...DEFAULT_RULES, privateBelow: PRIVATE_BELOW_DEFAULT }
		});
		expect(PRIVATE_BELOW_DEFAULT).toBe(10);
		expect(rulesOf({ privateBelow: 5 }).privateBelow).toBe(5);
	});

	it('approval: 1 to 100 choices, whole numbers', () => {
		expect(rulesOf({ ballot: { type: 'approval', maxChoices: 1 } }).ballot).toEqual({
			type: 'approval',
			maxChoices: 1
		});
		expect(rulesOf({ ballot: { type: 'approval', maxChoices: 100 } }).ballot).toEqual({
			type: 'approval',
			maxChoices: 100
		});
		for (const maxChoices of [0, 101, 2.5, '3', undefined])
			expect(check({ ballot: { type: 'approval', maxChoices } })).toEqual({
				ok: false,
				error: 'rules.maxChoices',
				params: { min: 1, max: 100 }
			});
	});

	it('knapsack needs nothing more', () => {
		expect(rulesOf({ ballot: { type: 'knapsack', maxChoices: 3 } }).ballot).toEqual({ type: 'knapsack' });
	});

	it('points: 1 to 1000, at most all of them on one project', () => {
		expect(rulesOf({ ballot: { type: 'cumulative', points: 1, maxPerProject: 1 } }).ballot).toEqual({
			type: 'cumulative',
			points: 1,
			maxPerProject: 1
		});
		expect(rulesOf({ ballot: { type: 'cumulative', points: 1000, maxPerProject: 1000 } }).ballot).toEqual({
			type: 'cumulative',
			points: 1000,
			maxPerProject: 1000
		});
		for (const points of [0, 1001, 1.5])
			expect(check({ ballot: { type: 'cumulative', points, maxPerProject: 1 } })).toEqual({
				ok: false,
				error: 'rules.points',
				params: { min: 1, max: 1000 }
			});
		for (const maxPerProject of [0, 11])
			expect(check({ ballot: { type: 'cumulative', points: 10, maxPerProject } })).toEqual({
				ok: false,
				error: 'rules.maxPerProject',
				params: { max: 10 }
			});
	});

	it('ranked: the top 1 to 100', () => {
		expect(rulesOf({ ballot: { type: 'ranked', k: 1 } }).ballot).toEqual({ type: 'ranked', k: 1 });
		expect(rulesOf({ ballot: { type: 'ranked', k: 100 } }).ballot).toEqual({ type: 'ranked', k: 100 });
		for (const k of [0, 101])
			expect(check({ ballot: { type: 'ranked', k } })).toEqual({
				ok: false,
				error: 'rules.k',
				params: { min: 1, max: 100 }
			});
	});

	it('refuses an unknown ballot, scope, allocation or tie-break', () => {
		expect(check({ ballot: { type: 'veto' } })).toEqual({ ok: false, error: 'rules.ballotType' });
		expect(check({ ballot: undefined })).toEqual({ ok: false, error: 'rules.ballotType' });
		expect(check({ voteScope: 'everywhere' })).toEqual({ ok: false, error: 'rules.voteScope' });
		expect(check({ allocation: 'lottery' })).toEqual({ ok: false, error: 'rules.allocation' });
		expect(check({ tieBreak: 'age' })).toEqual({ ok: false, error: 'rules.tieBreak' });
		expect(rulesOf({ voteScope: 'own_zone', tieBreak: 'draw' })).toMatchObject({
			voteScope: 'own_zone',
			tieBreak: 'draw'
		});
	});

	it('minimum age 14 to 120', () => {
		expect(rulesOf({ minAge: 14 }).minAge).toBe(14);
		expect(rulesOf({ minAge: 120 }).minAge).toBe(120);
		for (const minAge of [13, 121, 16.5])
			expect(check({ minAge })).toEqual({ ok: false, error: 'rules.minAge', params: { min: 14, max: 120 } });
	});

	it('decision: votes, scores, or a mix whose two weights are whole, non-zero and add up to 100', () => {
		expect(rulesOf({ decision: { rule: 'scores' } }).decision).toEqual({ rule: 'scores' });
		expect(rulesOf({ decision: { rule: 'mix', voteWeight: 30, scoreWeight: 70 } }).decision).toEqual({
			rule: 'mix',
			voteWeight: 30,
			scoreWeight: 70
		});
		expect(rulesOf({ decision: { rule: 'mix', voteWeight: 1, scoreWeight: 99 } }).decision).toMatchObject({
			voteWeight: 1
		});
		for (const [voteWeight, scoreWeight] of [
			[50, 60],
			[40, 40],
			[0, 100],
			[100, 0],
			[null, 100],
			[100, null],
			[true, 99],
			[99, true],
			[101, -1],
			[-1, 101]
		])
			expect(errorOf({ decision: { rule: 'mix', voteWeight, scoreWeight } })).toBe('rules.weights');
		expect(errorOf({ decision: { rule: 'lottery' } })).toBe('rules.decision');
		expect(errorOf({ decision: undefined })).toBe('rules.decision');
	});

	it('MES: votes only, no ranked ballots, add-one completion by default, none for points', () => {
		expect(errorOf({ allocation: 'mes', decision: { rule: 'scores' } })).toBe('rules.mesNeedsVotes');
		expect(errorOf({ allocation: 'mes', decision: { rule: 'mix', voteWeight: 50, scoreWeight: 50 } })).toBe(
			'rules.mesNeedsVotes'
		);
		expect(rulesOf({ allocation: 'greedy', decision: { rule: 'scores' } }).decision).toEqual({ rule: 'scores' });
		expect(errorOf({ allocation: 'mes', ballot: { type: 'ranked', k: 3 } })).toBe('rules.mesRanked');
		expect(rulesOf({ allocation: 'greedy', ballot: { type: 'ranked', k: 3 } }).ballot.type).toBe('ranked');
		expect(rulesOf({ allocation: 'mes' })).toMatchObject({ allocation: 'mes', mesCompletion: 'add1' });
		expect(rulesOf({ allocation: 'mes', mesCompletion: 'none' }).mesCompletion).toBe('none');
		expect(errorOf({ allocation: 'mes', mesCompletion: 'add2' })).toBe('rules.mesCompletion');
		const points = { type: 'cumulative', points: 10, maxPerProject: 5 };
		expect(errorOf({ allocation: 'mes', ballot: points })).toBe('rules.mesPointsAdd1');
		expect(errorOf({ allocation: 'mes', ballot: points, mesCompletion: 'add1' })).toBe('rules.mesPointsAdd1');
		expect(rulesOf({ allocation: 'mes', ballot: points, mesCompletion: 'none' }).mesCompletion).toBe('none');
		// greedy keeps no completion, even when one is sent
		expect('mesCompletion' in rulesOf({ allocation: 'greedy', mesCompletion: 'add1' })).toBe(false);
	});

	it('privacy threshold 1 to 1000', () => {
		expect(rulesOf({ privateBelow: 1 }).privateBelow).toBe(1);
		expect(rulesOf({ privateBelow: 1000 }).privateBelow).toBe(1000);
		for (const privateBelow of [0, 1001, '5', 2.5])
			expect(check({ privateBelow })).toEqual({
				ok: false,
				error: 'rules.privateBelow',
				params: { min: 1, max: 1000 }
			});
	});
});
