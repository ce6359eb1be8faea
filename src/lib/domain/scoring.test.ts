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
	type ScoreRow
} from './scoring';
import { validateRules, DEFAULT_RULES } from './round-rules';

const criteria: CriterionDef[] = defaultMatrix().map((c, i) => ({ ...c, id: i + 1 }));
// ids: 1 competence (gate), 2 poverty_gap, 3 population, 4 basic_services, 5 cofinancing, 6 sustainability
const row = (
	proposalId: number,
	criterionId: number,
	scorerKey: string,
	value: number,
	advisory = false
): ScoreRow => ({
	proposalId,
	criterionId,
	scorerKey,
	value,
	advisory
});

describe('scoring matrix', () => {
	it('default matrix is valid and worth 100 points', () => {
		expect(validateMatrix(defaultMatrix())).toEqual({ ok: true });
		expect(maxScore(criteria)).toBe(100);
	});
	it('reads measured bands: beneficiaries ≥ 1 000 → 20 points', () => {
		const pop = criteria[2];
		expect(bandPoints(pop, 1000)).toBe(20);
		expect(bandPoints(pop, 999)).toBe(15);
		expect(bandPoints(pop, 40)).toBe(5);
		expect(isValidValue(pop, 20)).toBe(true);
		expect(isValidValue(pop, 19)).toBe(false);
		expect(isValidValue(criteria[0], 1)).toBe(true);
		expect(isValidValue(criteria[0], 2)).toBe(false);
	});
	it('refuses bad matrices', () => {
		const m = defaultMatrix();
		expect(validateMatrix(m.filter((c) => c.kind === 'gate'))).toMatchObject({ error: 'matrix.noPoints' });
		expect(validateMatrix([...m, m[1]])).toMatchObject({ error: 'matrix.duplicate' });
		expect(validateMatrix([{ ...m[1], weight: 0 }])).toMatchObject({ error: 'matrix.weight' });
		expect(validateMatrix([{ ...m[2], bands: [{ labelEs: 'x', labelQu: 'x', points: 3 }] }])).toMatchObject({
			error: 'matrix.bandMin'
		});
	});
	it('aggregates agents’ scores as a mean, ignoring technical advice; workshop scores take precedence', () => {
		const rows = [
			row(1, 2, 'agent:1', 25),
			row(1, 3, 'agent:1', 20),
			row(1, 2, 'agent:2', 15),
			row(1, 3, 'agent:2', 10),
			row(1, 2, 'technical:9', 5, true),
			row(2, 2, 'agent:1', 25),
			row(2, 2, 'workshop', 5)
		];
		const agg = aggregateScores(criteria, rows, [1, 2, 3]);
		expect(agg.get(1)).toMatchObject({ scorers: 2, source: 'agents', mean: 35, gatesPassed: true });
		expect(agg.get(1)!.perCriterion[2]).toBe(20);
		expect(agg.get(2)).toMatchObject({ scorers: 1, source: 'workshop', mean: 5 });
		expect(agg.get(3)).toMatchObject({ scorers: 0, source: 'none', mean: 0 });
	});
	it('applies weights exactly', () => {
		const weighted = criteria.map((c) => (c.code === 'poverty_gap' ? { ...c, weight: 1.5 } : c));
		const agg = aggregateScores(weighted, [row(1, 2, 'workshop', 15), row(1, 3, 'workshop', 10)], [1]);
		expect(agg.get(1)!.mean).toBe(32.5);
	});
	it('a gate judged not met by half or more of the scorers takes the proposal out of the ranking', () => {
		const rows = [
			row(1, 1, 'agent:1', 0),
			row(1, 1, 'agent:2', 1),
			row(1, 2, 'agent:1', 25),
			row(2, 2, 'agent:1', 5),
			row(2, 1, 'agent:1', 1)
		];
		const ranked = rankByScore(criteria, rows, [
			{ id: 1, seq: 1, costCents: 100 },
			{ id: 2, seq: 2, costCents: 100 }
		]);
		expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
			[2, 1],
			[1, 0]
		]);
	});
	it('ranks by mean score, then lower cost, then earlier proposal', () => {
		const rows = [
			row(1, 2, 'workshop', 15),
			row(2, 2, 'workshop', 15),
			row(3, 2, 'workshop', 15),
			row(4, 2, 'workshop', 25)
		];
		const ranked = rankByScore(criteria, rows, [
			{ id: 1, seq: 1, costCents: 500 },
			{ id: 2, seq: 2, costCents: 300 },
			{ id: 3, seq: 3, costCents: 300 },
			{ id: 4, seq: 4, costCents: 900 },
			{ id: 5, seq: 5, costCents: 1 }
		]);
		expect(ranked.map((r) => r.proposalId)).toEqual([4, 2, 3, 1, 5]);
		expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 0]);
	});
	it('compares means exactly across different numbers of scorers', () => {
		// 10/3 vs 3.33: proposal 1 has (5+5+0)/3 = 3.333…, proposal 2 has 333/100 hundredths… use equal means 20/2 vs 10/1
		const rows = [row(1, 2, 'agent:1', 15), row(1, 2, 'agent:2', 5), row(2, 2, 'agent:1', 5), row(2, 3, 'agent:1', 5)];
		const ranked = rankByScore(criteria, rows, [
			{ id: 1, seq: 1, costCents: 200 },
			{ id: 2, seq: 2, costCents: 100 }
		]);
		// both means are 10: the cheaper one first
		expect(ranked.map((r) => r.proposalId)).toEqual([2, 1]);
	});
});

describe('ballot rules', () => {
	it('accepts the defaults and each ballot type', () => {
		expect(validateRules(DEFAULT_RULES)).toEqual({ ok: true, rules: DEFAULT_RULES });
		for (const ballot of [
			{ type: 'knapsack' },
			{ type: 'cumulative', points: 10, maxPerProject: 5 },
			{ type: 'ranked', k: 3 }
		])
			expect(validateRules({ ...DEFAULT_RULES, ballot }).ok).toBe(true);
	});
	it('refuses inconsistent rules', () => {
		expect(validateRules({ ...DEFAULT_RULES, ballot: { type: 'approval', maxChoices: 0 } })).toMatchObject({
			error: 'rules.maxChoices'
		});
		expect(
			validateRules({ ...DEFAULT_RULES, ballot: { type: 'cumulative', points: 5, maxPerProject: 6 } })
		).toMatchObject({ error: 'rules.maxPerProject' });
		expect(
			validateRules({ ...DEFAULT_RULES, decision: { rule: 'mix', voteWeight: 60, scoreWeight: 30 } })
		).toMatchObject({ error: 'rules.weights' });
		expect(validateRules({ ...DEFAULT_RULES, decision: { rule: 'scores' }, allocation: 'mes' })).toMatchObject({
			error: 'rules.mesNeedsVotes'
		});
		expect(validateRules({ ...DEFAULT_RULES, minAge: 10 })).toMatchObject({ error: 'rules.minAge' });
		expect(validateRules({ ...DEFAULT_RULES, ballot: { type: 'bogus' } })).toMatchObject({ error: 'rules.ballotType' });
	});
});
