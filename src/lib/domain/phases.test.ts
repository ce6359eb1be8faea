import { describe, expect, it } from 'vitest';
import {
	allowedTargets,
	checkTimetable,
	checkTransition,
	acceptsProposals,
	rulesFrozen,
	type PhaseFacts
} from './phases';

const facts = (f: Partial<PhaseFacts> = {}): PhaseFacts => ({
	budgetCents: 100_000_00,
	splitTotalCents: 0,
	proposalCount: 3,
	pendingEvaluationCount: 0,
	feasibleCount: 1,
	votingEndsOn: null,
	today: '2026-05-01',
	...f
});

describe('phase machine', () => {
	it('moves forward one step, back one step only before voting', () => {
		expect(allowedTargets('preparacion')).toEqual(['propuestas']);
		expect(allowedTargets('evaluacion')).toEqual(['votacion', 'propuestas']);
		expect(allowedTargets('votacion')).toEqual(['resultados']);
		expect(allowedTargets('seguimiento')).toEqual([]);
		expect(checkTransition('preparacion', 'votacion', facts())).toEqual({ ok: false, error: 'phase.notAllowed' });
		expect(checkTransition('votacion', 'evaluacion', facts())).toEqual({ ok: false, error: 'phase.notAllowed' });
		expect(checkTransition('propuestas', 'propuestas', facts())).toEqual({ ok: false, error: 'phase.same' });
	});
	it('refuses to open intake without a budget or with a split above the ceiling', () => {
		expect(checkTransition('preparacion', 'propuestas', facts({ budgetCents: 0 })).ok).toBe(false);
		expect(checkTransition('preparacion', 'propuestas', facts({ splitTotalCents: 100_000_01 }))).toMatchObject({
			error: 'phase.splitAboveCeiling'
		});
		expect(checkTransition('preparacion', 'propuestas', facts({ splitTotalCents: 100_000_00 })).ok).toBe(true);
	});
	it('refuses voting without a feasible proposal or with proposals still being evaluated', () => {
		expect(checkTransition('evaluacion', 'votacion', facts({ feasibleCount: 0 }))).toMatchObject({
			error: 'phase.noFeasible'
		});
		expect(checkTransition('evaluacion', 'votacion', facts({ pendingEvaluationCount: 2 }))).toMatchObject({
			error: 'phase.pendingEvaluation',
			params: { count: 2 }
		});
		expect(checkTransition('evaluacion', 'votacion', facts()).ok).toBe(true);
		expect(checkTransition('propuestas', 'evaluacion', facts({ proposalCount: 0 }))).toMatchObject({
			error: 'phase.noProposals'
		});
	});
	it('refuses results before voting closes (timetable end date included)', () => {
		expect(checkTransition('votacion', 'resultados', facts({ votingEndsOn: '2026-05-01' }))).toMatchObject({
			error: 'phase.votingOpen'
		});
		expect(checkTransition('votacion', 'resultados', facts({ votingEndsOn: '2026-04-30' })).ok).toBe(true);
		expect(checkTransition('votacion', 'resultados', facts()).ok).toBe(true);
	});
	it('proposals only during intake; rules frozen from voting on', () => {
		expect(acceptsProposals('propuestas')).toBe(true);
		expect(acceptsProposals('evaluacion')).toBe(false);
		expect(rulesFrozen('evaluacion')).toBe(false);
		expect(rulesFrozen('votacion')).toBe(true);
		expect(rulesFrozen('seguimiento')).toBe(true);
	});
	it('checks the timetable order', () => {
		expect(checkTimetable([{ phase: 'propuestas', startsOn: '2026-03-01', endsOn: '2026-02-01' }]).ok).toBe(false);
		expect(
			checkTimetable([
				{ phase: 'propuestas', startsOn: '2026-03-01', endsOn: '2026-03-31' },
				{ phase: 'preparacion', startsOn: '2026-02-01', endsOn: '2026-03-05' }
			])
		).toMatchObject({ error: 'timetable.overlap' });
		expect(
			checkTimetable([
				{ phase: 'preparacion', startsOn: '2026-02-01', endsOn: '2026-02-28' },
				{ phase: 'propuestas', startsOn: '2026-03-01', endsOn: '2026-03-31' }
			]).ok
		).toBe(true);
	});
});
