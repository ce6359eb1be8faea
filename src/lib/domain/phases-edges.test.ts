// The phase machine at its edges: each check's exact refusal, stepping back with no checks, the windows in which
// evaluation and scores are accepted, and a timetable whose phases touch.
import { describe, expect, it } from 'vitest';
import {
	acceptsEvaluation,
	acceptsScores,
	checkTimetable,
	checkTransition,
	PHASES,
	type Phase,
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
const empty = facts({ budgetCents: 0, proposalCount: 0, feasibleCount: 0, pendingEvaluationCount: 4 });

describe('checkTransition', () => {
	it('each forward step refuses with its own code and parameters', () => {
		expect(checkTransition('preparacion', 'propuestas', facts({ budgetCents: 0 }))).toEqual({
			ok: false,
			error: 'phase.noBudget'
		});
		expect(checkTransition('preparacion', 'propuestas', facts({ splitTotalCents: 100_000_01 }))).toEqual({
			ok: false,
			error: 'phase.splitAboveCeiling'
		});
		expect(checkTransition('preparacion', 'propuestas', facts({ splitTotalCents: 100_000_00 }))).toEqual({ ok: true });
		expect(checkTransition('propuestas', 'evaluacion', facts({ proposalCount: 0 }))).toEqual({
			ok: false,
			error: 'phase.noProposals'
		});
		expect(checkTransition('propuestas', 'evaluacion', facts({ proposalCount: 1 }))).toEqual({ ok: true });
		expect(checkTransition('evaluacion', 'votacion', facts({ pendingEvaluationCount: 2 }))).toEqual({
			ok: false,
			error: 'phase.pendingEvaluation',
			params: { count: 2 }
		});
		expect(checkTransition('evaluacion', 'votacion', facts({ feasibleCount: 0 }))).toEqual({
			ok: false,
			error: 'phase.noFeasible'
		});
		expect(checkTransition('votacion', 'resultados', facts({ votingEndsOn: '2026-05-01' }))).toEqual({
			ok: false,
			error: 'phase.votingOpen',
			params: { date: '2026-05-01' }
		});
	});

	it('results: once the last day is over, when voting was closed early, or with no end date set', () => {
		expect(checkTransition('votacion', 'resultados', facts({ votingEndsOn: '2026-04-30' }))).toEqual({ ok: true });
		expect(
			checkTransition('votacion', 'resultados', facts({ votingEndsOn: '2026-05-01', votingClosed: true }))
		).toEqual({ ok: true });
		expect(checkTransition('votacion', 'resultados', facts({ votingEndsOn: null }))).toEqual({ ok: true });
	});

	it('stepping back checks nothing; the last steps forward check nothing either', () => {
		expect(checkTransition('propuestas', 'preparacion', empty)).toEqual({ ok: true });
		expect(checkTransition('evaluacion', 'propuestas', empty)).toEqual({ ok: true });
		expect(checkTransition('resultados', 'formalizacion', empty)).toEqual({ ok: true });
		expect(checkTransition('formalizacion', 'seguimiento', empty)).toEqual({ ok: true });
	});
});

describe('what each phase accepts', () => {
	const during = (f: (p: Phase) => boolean) => PHASES.filter(f);
	it('evaluation during intake and evaluation; scores during evaluation and voting', () => {
		expect(during(acceptsEvaluation)).toEqual(['propuestas', 'evaluacion']);
		expect(during(acceptsScores)).toEqual(['evaluacion', 'votacion']);
	});
});

describe('checkTimetable', () => {
	const e = (phase: Phase, startsOn: string, endsOn: string) => ({ phase, startsOn, endsOn });

	it('a one-day phase is fine; ending before it starts is not', () => {
		expect(checkTimetable([e('propuestas', '2026-03-01', '2026-03-01')])).toEqual({ ok: true });
		expect(checkTimetable([e('propuestas', '2026-03-02', '2026-03-01')])).toEqual({
			ok: false,
			error: 'timetable.endsBeforeStart',
			params: { phase: 'propuestas' }
		});
	});

	it('phases in any order of entry are checked in phase order; one may start on the day the previous ends', () => {
		const ok = [
			e('votacion', '2026-05-01', '2026-05-10'),
			e('propuestas', '2026-03-01', '2026-03-31'),
			e('evaluacion', '2026-03-31', '2026-04-30')
		];
		expect(checkTimetable(ok)).toEqual({ ok: true });
		expect(
			checkTimetable([
				e('votacion', '2026-04-29', '2026-05-10'),
				e('propuestas', '2026-03-01', '2026-03-31'),
				e('evaluacion', '2026-03-31', '2026-04-30')
			])
		).toEqual({ ok: false, error: 'timetable.overlap', params: { phase: 'votacion', previous: 'evaluacion' } });
	});
});
