import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	ageOn,
	checkEligibility,
	chosenCostCents,
	isBlank,
	parseSectionForm,
	sectionFormValues,
	validateSection,
	type SectionSpec
} from './ballot';
import type { BallotRule } from './round-rules';

const section: SectionSpec = {
	zoneId: 1,
	budgetCents: 100_000_00,
	projects: [
		{ id: 1, costCents: 40_000_00 },
		{ id: 2, costCents: 35_000_00 },
		{ id: 3, costCents: 25_000_00 },
		{ id: 4, costCents: 25_000_01 },
		{ id: 5, costCents: 100_000_00 }
	]
};

const approval3: BallotRule = { type: 'approval', maxChoices: 3 };
const knapsack: BallotRule = { type: 'knapsack' };
const cumulative: BallotRule = { type: 'cumulative', points: 10, maxPerProject: 4 };
const ranked: BallotRule = { type: 'ranked', k: 3 };

describe('approval up to N', () => {
	it('accepts up to N and sorts the ids', () => {
		expect(validateSection(approval3, section, { approve: [3, 1, 2] })).toEqual({
			ok: true,
			choices: { approve: [1, 2, 3] }
		});
	});
	it('accepts a blank section', () => {
		expect(validateSection(approval3, section, { approve: [] })).toEqual({ ok: true, choices: { approve: [] } });
	});
	it('refuses N+1 with the limit and the count', () => {
		expect(validateSection(approval3, section, { approve: [1, 2, 3, 4] })).toEqual({
			ok: false,
			error: { code: 'ballot.tooMany', params: { max: 3, count: 4 } }
		});
	});
	it('refuses a project not on this section', () => {
		expect(validateSection(approval3, section, { approve: [99] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
		expect(validateSection(approval3, section, { approve: ['1'] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
		expect(validateSection(approval3, section, { approve: [1.5] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
	});
	it('refuses the same project twice', () => {
		expect(validateSection(approval3, section, { approve: [2, 2] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.duplicate' }
		});
	});
	it('refuses malformed input', () => {
		for (const bad of [null, 1, 'x', {}, { approve: 'x' }, { rank: [1] }])
			expect(validateSection(approval3, section, bad)).toMatchObject({ ok: false, error: { code: 'ballot.invalid' } });
	});
});

describe('approval within the budget (knapsack)', () => {
	it('accepts a set exactly at the budget', () => {
		// 40 000 + 35 000 + 25 000 = 100 000,00
		expect(validateSection(knapsack, section, { approve: [1, 2, 3] })).toEqual({
			ok: true,
			choices: { approve: [1, 2, 3] }
		});
	});
	it('refuses a set one céntimo over, saying by how much', () => {
		expect(validateSection(knapsack, section, { approve: [1, 2, 4] })).toEqual({
			ok: false,
			error: { code: 'ballot.overBudget', params: { totalCents: 100_000_01, budgetCents: 100_000_00, overCents: 1 } }
		});
	});
	it('accepts one project that costs the whole budget, alone', () => {
		expect(validateSection(knapsack, section, { approve: [5] }).ok).toBe(true);
		expect(validateSection(knapsack, section, { approve: [5, 3] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.overBudget', params: { overCents: 25_000_00 } }
		});
	});
	it('accepts a blank section and has no count limit', () => {
		expect(validateSection(knapsack, section, { approve: [] }).ok).toBe(true);
		const cheap: SectionSpec = {
			zoneId: null,
			budgetCents: 10,
			projects: Array.from({ length: 10 }, (_, i) => ({ id: i + 1, costCents: 1 }))
		};
		expect(validateSection(knapsack, cheap, { approve: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }).ok).toBe(true);
	});
	it('a zero budget admits only free projects', () => {
		const zero: SectionSpec = {
			zoneId: null,
			budgetCents: 0,
			projects: [
				{ id: 1, costCents: 0 },
				{ id: 2, costCents: 1 }
			]
		};
		expect(validateSection(knapsack, zero, { approve: [1] }).ok).toBe(true);
		expect(validateSection(knapsack, zero, { approve: [2] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.overBudget', params: { overCents: 1 } }
		});
	});
	it('accepts exactly the sets whose total ≤ budget (property)', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 0, max: 5_000_000_00 }), { minLength: 1, maxLength: 12 }),
				fc.integer({ min: 0, max: 20_000_000_00 }),
				fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
				(costs, budget, pick) => {
					const s: SectionSpec = {
						zoneId: null,
						budgetCents: budget,
						projects: costs.map((c, i) => ({ id: i + 1, costCents: c }))
					};
					const chosen = s.projects.filter((_, i) => pick[i]);
					const total = chosen.reduce((a, p) => a + p.costCents, 0);
					const r = validateSection(knapsack, s, { approve: chosen.map((p) => p.id) });
					expect(r.ok).toBe(total <= budget);
					if (r.ok) expect(chosenCostCents(s, r.choices)).toBe(total);
				}
			)
		);
	});
});

describe('cumulative points', () => {
	it('accepts points up to the total, dropping zeros, sorted by project', () => {
		expect(
			validateSection(cumulative, section, {
				points: [
					[3, 4],
					[1, 4],
					[2, 2],
					[4, 0]
				]
			})
		).toEqual({
			ok: true,
			choices: {
				points: [
					[1, 4],
					[2, 2],
					[3, 4]
				]
			}
		});
	});
	it('accepts fewer points than the total (unused points are allowed)', () => {
		expect(validateSection(cumulative, section, { points: [[1, 1]] }).ok).toBe(true);
	});
	it('refuses more than the total', () => {
		expect(
			validateSection(cumulative, section, {
				points: [
					[1, 4],
					[2, 4],
					[3, 3]
				]
			})
		).toEqual({ ok: false, error: { code: 'ballot.pointsOver', params: { points: 10, used: 11 } } });
	});
	it('refuses more than the maximum on one project', () => {
		expect(validateSection(cumulative, section, { points: [[1, 5]] })).toEqual({
			ok: false,
			error: { code: 'ballot.pointsPerProject', params: { max: 4, given: 5 } }
		});
	});
	it('refuses negative or fractional points, unknown or repeated projects', () => {
		expect(validateSection(cumulative, section, { points: [[1, -1]] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.pointsInvalid' }
		});
		expect(validateSection(cumulative, section, { points: [[1, 1.5]] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.pointsInvalid' }
		});
		expect(validateSection(cumulative, section, { points: [[9, 1]] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
		expect(
			validateSection(cumulative, section, {
				points: [
					[1, 1],
					[1, 2]
				]
			})
		).toMatchObject({ ok: false, error: { code: 'ballot.duplicate' } });
		expect(validateSection(cumulative, section, { points: [[1]] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.invalid' }
		});
	});
});

describe('ranked top-k', () => {
	it('keeps the order', () => {
		expect(validateSection(ranked, section, { rank: [3, 1, 2] })).toEqual({ ok: true, choices: { rank: [3, 1, 2] } });
	});
	it('refuses more than k', () => {
		expect(validateSection(ranked, section, { rank: [3, 1, 2, 4] })).toEqual({
			ok: false,
			error: { code: 'ballot.rankTooMany', params: { k: 3, count: 4 } }
		});
	});
	it('refuses duplicates and unknown projects', () => {
		expect(validateSection(ranked, section, { rank: [1, 1] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.duplicate' }
		});
		expect(validateSection(ranked, section, { rank: [0] })).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
	});
});

describe('reading the form', () => {
	const form = (entries: [string, string][]) => (name: string) => entries.filter(([k]) => k === name).map(([, v]) => v);
	it('approval: checkboxes, a repeated box counts once', () => {
		expect(
			parseSectionForm(
				approval3,
				section,
				's0',
				form([
					['s0', '2'],
					['s0', '1'],
					['s0', '2'],
					['s1', '3']
				])
			)
		).toEqual({ ok: true, choices: { approve: [1, 2] } });
		expect(parseSectionForm(approval3, section, 's0', form([['s0', 'x']]))).toMatchObject({
			ok: false,
			error: { code: 'ballot.unknownProject' }
		});
	});
	it('knapsack one céntimo over is explained', () => {
		expect(
			parseSectionForm(
				knapsack,
				section,
				's0',
				form([
					['s0', '1'],
					['s0', '2'],
					['s0', '4']
				])
			)
		).toMatchObject({ ok: false, error: { code: 'ballot.overBudget', params: { overCents: 1 } } });
	});
	it('cumulative: empty fields are zero; text is refused', () => {
		expect(
			parseSectionForm(
				cumulative,
				section,
				's0',
				form([
					['s0_p1', '3'],
					['s0_p2', ''],
					['s0_p3', ' 2 ']
				])
			)
		).toEqual({
			ok: true,
			choices: {
				points: [
					[1, 3],
					[3, 2]
				]
			}
		});
		expect(parseSectionForm(cumulative, section, 's0', form([['s0_p1', 'tres']]))).toMatchObject({
			ok: false,
			error: { code: 'ballot.pointsInvalid' }
		});
		expect(
			parseSectionForm(
				cumulative,
				section,
				's0',
				form([
					['s0_p1', '4'],
					['s0_p2', '4'],
					['s0_p3', '4']
				])
			)
		).toMatchObject({ ok: false, error: { code: 'ballot.pointsOver', params: { used: 12 } } });
	});
	it('ranked: ranks in range, no rank twice, gaps keep the order', () => {
		expect(
			parseSectionForm(
				ranked,
				section,
				's0',
				form([
					['s0_r2', '1'],
					['s0_r5', '3']
				])
			)
		).toEqual({ ok: true, choices: { rank: [2, 5] } });
		expect(
			parseSectionForm(
				ranked,
				section,
				's0',
				form([
					['s0_r2', '1'],
					['s0_r5', '1']
				])
			)
		).toEqual({ ok: false, error: { code: 'ballot.rankDuplicate', params: { rank: 1 } } });
		expect(parseSectionForm(ranked, section, 's0', form([['s0_r2', '4']]))).toEqual({
			ok: false,
			error: { code: 'ballot.rankRange', params: { k: 3 } }
		});
		expect(parseSectionForm(ranked, section, 's0', form([['s0_r2', '0']]))).toMatchObject({
			ok: false,
			error: { code: 'ballot.rankRange' }
		});
	});
	it('round-trips through sectionFormValues', () => {
		for (const [rule, choices] of [
			[approval3, { approve: [1, 3] }],
			[
				cumulative,
				{
					points: [
						[2, 4],
						[5, 1]
					]
				}
			],
			[ranked, { rank: [4, 1, 2] }]
		] as const) {
			const values = sectionFormValues('s1', choices as never);
			expect(parseSectionForm(rule, section, 's1', form(values))).toEqual({ ok: true, choices });
		}
	});
	it('blank sections', () => {
		expect(isBlank({ approve: [] })).toBe(true);
		expect(isBlank({ points: [] })).toBe(true);
		expect(isBlank({ rank: [1] })).toBe(false);
	});
});

describe('eligibility', () => {
	const round = {
		minAge: 16,
		voteScope: 'own_zone_and_wide' as const,
		votingDate: '2026-06-15',
		budgets: [
			{ zoneId: 1, amountCents: 500 },
			{ zoneId: 2, amountCents: 700 },
			{ zoneId: null, amountCents: 1000 }
		]
	};
	const voter = { verified: true, birthDate: '1990-01-01', zoneId: 1 };
	it('gives the own zone and the municipality-wide share', () => {
		expect(checkEligibility(voter, round)).toEqual({
			ok: true,
			sections: [
				{ zoneId: 1, budgetCents: 500 },
				{ zoneId: null, budgetCents: 1000 }
			]
		});
	});
	it('own_zone scope: only the zone', () => {
		expect(checkEligibility(voter, { ...round, voteScope: 'own_zone' })).toEqual({
			ok: true,
			sections: [{ zoneId: 1, budgetCents: 500 }]
		});
	});
	it('a round with only a municipality-wide budget: everyone votes in it, whatever the scope', () => {
		const wideOnly = { ...round, voteScope: 'own_zone' as const, budgets: [{ zoneId: null, amountCents: 9 }] };
		expect(checkEligibility({ ...voter, zoneId: null }, wideOnly)).toEqual({
			ok: true,
			sections: [{ zoneId: null, budgetCents: 9 }]
		});
	});
	it('refuses the unverified', () => {
		expect(checkEligibility({ ...voter, verified: false }, round)).toEqual({
			ok: false,
			error: { code: 'ballot.notVerified', params: {} }
		});
	});
	it('age counts on the voting date: the 16th birthday that day is enough, the day after is not', () => {
		expect(checkEligibility({ ...voter, birthDate: '2010-06-15' }, round).ok).toBe(true);
		expect(checkEligibility({ ...voter, birthDate: '2010-06-16' }, round)).toEqual({
			ok: false,
			error: { code: 'ballot.tooYoung', params: { minAge: 16 } }
		});
		expect(checkEligibility({ ...voter, birthDate: null }, round)).toMatchObject({
			ok: false,
			error: { code: 'ballot.noBirthDate' }
		});
	});
	it('a voter without a zone, or in a zone without budget', () => {
		const zonesOnly = { ...round, budgets: round.budgets.filter((b) => b.zoneId !== null) };
		expect(checkEligibility({ ...voter, zoneId: null }, zonesOnly)).toMatchObject({
			ok: false,
			error: { code: 'ballot.noZone' }
		});
		expect(checkEligibility({ ...voter, zoneId: 3 }, zonesOnly)).toMatchObject({
			ok: false,
			error: { code: 'ballot.zoneNotInRound' }
		});
		// Zone without its own budget but the round has a wide share: votes in that share only.
		expect(checkEligibility({ ...voter, zoneId: 3 }, round)).toEqual({
			ok: true,
			sections: [{ zoneId: null, budgetCents: 1000 }]
		});
	});
	it('ageOn handles leap days', () => {
		expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
		expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
	});
});
