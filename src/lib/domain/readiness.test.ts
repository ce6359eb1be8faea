import { describe, expect, it } from 'vitest';
import { CHECKS, isBlocked, nextPhase, phaseEffects, readiness, type ReadinessFacts } from './readiness';

/** A round ready to open voting on 2026-05-10: every check passes. */
const ready = (f: Partial<ReadinessFacts> = {}): ReadinessFacts => ({
	phase: 'evaluacion',
	today: '2026-05-10',
	timetable: [
		{ phase: 'propuestas', startsOn: '2026-04-01', endsOn: '2026-04-20' },
		{ phase: 'evaluacion', startsOn: '2026-04-21', endsOn: '2026-05-09' },
		{ phase: 'votacion', startsOn: '2026-05-10', endsOn: '2026-05-20' }
	],
	budgetCents: 100_000_00,
	splitTotalCents: 100_000_00,
	splitCount: 2,
	censusCount: 500,
	pendingEvaluationCount: 0,
	untranslatedCount: 0,
	stationCount: 1,
	stationOfficialCount: 1,
	technicalCount: 1,
	agentCount: 3,
	...f
});
const codes = (f: Partial<ReadinessFacts>) => readiness(ready(f)).map((i) => `${i.level}:${i.code}:${i.fix}`);

describe('readiness checklist (one test per check: removing the check fails it)', () => {
	it('a complete round has an empty checklist', () => {
		expect(readiness(ready())).toEqual([]);
		expect(isBlocked(readiness(ready()))).toBe(false);
	});
	it('blocks on a phase ahead whose last day has passed, and names it', () => {
		const items = readiness(ready({ today: '2026-05-21' }));
		expect(items[0]).toEqual({
			code: 'datesPast',
			level: 'blocking',
			fix: 'timetable',
			params: { phase: 'votacion', date: '2026-05-20' }
		});
		// A past phase already behind is history, not a problem.
		expect(codes({ today: '2026-05-10' })).toEqual([]);
	});
	it('blocks voting outside its dates: before the first day, or with no voting dates at all', () => {
		expect(codes({ today: '2026-05-09' })).toEqual(['blocking:votingNotStarted:timetable']);
		expect(codes({ timetable: [] })).toEqual(['blocking:votingDatesMissing:timetable']);
	});
	it('blocks a split that does not sum to the ceiling (under or over)', () => {
		expect(codes({ splitTotalCents: 99_000_00 })).toEqual(['blocking:splitNotSumming:split']);
		expect(codes({ splitTotalCents: 100_000_01 })).toEqual(['blocking:splitNotSumming:split']);
		expect(codes({ splitCount: 0, splitTotalCents: 0 })).toEqual([]);
	});
	it('blocks opening voting without a census, and warns when opening intake without one', () => {
		expect(codes({ censusCount: 0 })).toEqual(['blocking:noCensus:census']);
		expect(
			readiness(ready({ phase: 'preparacion', censusCount: 0, today: '2026-03-01' })).map((i) => `${i.level}:${i.code}`)
		).toEqual(['warning:noCensus']);
	});
	it('blocks voting while proposals on the way to the ballot are not evaluated', () => {
		expect(readiness(ready({ pendingEvaluationCount: 2 }))).toEqual([
			{ code: 'pendingEvaluation', level: 'blocking', fix: 'proposals', params: { count: 2 } }
		]);
	});
	it('warns about ballot proposals without a Quechua translation', () => {
		expect(codes({ untranslatedCount: 4 })).toEqual(['warning:noTranslation:proposals']);
	});
	it('warns when there is no polling station', () => {
		expect(codes({ stationCount: 0 })).toEqual(['warning:noStation:stations']);
	});
	it('warns when nobody holds the station official role', () => {
		expect(codes({ stationOfficialCount: 0 })).toEqual(['warning:noStationOfficial:roles']);
	});
	it('warns when nobody holds the technical team role while proposals are evaluated', () => {
		// Intake closing (evaluation next): the verdicts are about to be needed.
		const toEvaluation = readiness(ready({ phase: 'propuestas', technicalCount: 0, today: '2026-04-15' }));
		expect(toEvaluation.map((i) => `${i.level}:${i.code}:${i.fix}`)).toEqual(['warning:noTechnical:roles']);
		// Evaluation under way with proposals still waiting: the same warning beside the blocking item.
		expect(codes({ technicalCount: 0, pendingEvaluationCount: 1 })).toEqual([
			'blocking:pendingEvaluation:proposals',
			'warning:noTechnical:roles'
		]);
		// Everything evaluated: nobody needs the role any more for this move.
		expect(codes({ technicalCount: 0 })).toEqual([]);
	});
	it('warns when no participating agents are registered', () => {
		expect(codes({ agentCount: 0 })).toEqual(['warning:noAgents:agents']);
	});
	it('lists blocking items before warnings, and warnings alone do not block', () => {
		const items = readiness(ready({ agentCount: 0, censusCount: 0 }));
		expect(items.map((i) => i.level)).toEqual(['blocking', 'warning']);
		expect(isBlocked(readiness(ready({ agentCount: 0, stationCount: 0 })))).toBe(false);
	});
	it('checks the move to the next phase only', () => {
		expect(nextPhase('evaluacion')).toBe('votacion');
		expect(nextPhase('seguimiento')).toBeNull();
		expect(readiness(ready({ phase: 'seguimiento' }))).toEqual([]);
		// From voting to results, only dates matter: no station or translation warnings then.
		expect(readiness(ready({ phase: 'votacion', stationCount: 0, untranslatedCount: 3 }))).toEqual([]);
		expect(Object.keys(CHECKS)).toHaveLength(10);
	});
	it('says what opening voting freezes and that it cannot be undone', () => {
		expect(phaseEffects('evaluacion', 'votacion').every((e) => e.irreversible)).toBe(true);
		expect(phaseEffects('evaluacion', 'propuestas')).toEqual([{ code: 'back_propuestas', irreversible: false }]);
	});
});
