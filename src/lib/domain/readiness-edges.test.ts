// The officials' checklist at its edges: a phase's last day is still open, exact parameters, which moves each
// check applies to, and what every phase change says it freezes or opens.
import { describe, expect, it } from 'vitest';
import { CHECKS, isBlocked, phaseEffects, readiness, type ReadinessFacts } from './readiness';
import { PHASES, type Phase } from './round-rules';

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
/** The moves (to each phase) for which a check reports a problem with these facts. */
const movesFlagged = (check: keyof typeof CHECKS, f: Partial<ReadinessFacts>) =>
	PHASES.filter((to) => CHECKS[check](ready(f), to) !== null);

describe('datesPast', () => {
	it('a phase is open through its last day; the earliest phase already over is named', () => {
		const timetable = [
			{ phase: 'votacion' as Phase, startsOn: '2026-05-01', endsOn: '2026-05-08' },
			{ phase: 'evaluacion' as Phase, startsOn: '2026-04-21', endsOn: '2026-04-30' },
			{ phase: 'resultados' as Phase, startsOn: '2026-05-11', endsOn: '2026-05-20' }
		];
		expect(CHECKS.datesPast(ready({ timetable, today: '2026-04-30' }), 'evaluacion')).toBeNull();
		expect(CHECKS.datesPast(ready({ timetable, today: '2026-05-09' }), 'evaluacion')).toEqual({
			code: 'datesPast',
			level: 'blocking',
			fix: 'timetable',
			params: { phase: 'evaluacion', date: '2026-04-30' }
		});
		// phases behind the move are not looked at
		expect(CHECKS.datesPast(ready({ timetable, today: '2026-05-09' }), 'resultados')).toBeNull();
	});
});

describe('exact items', () => {
	it('voting not started names its first day; the split names both sums', () => {
		expect(readiness(ready({ today: '2026-05-09' }))[0]).toEqual({
			code: 'votingNotStarted',
			level: 'blocking',
			fix: 'timetable',
			params: { date: '2026-05-10' }
		});
		expect(CHECKS.splitNotSumming(ready({ splitTotalCents: 90_000_00 }), 'votacion')).toEqual({
			code: 'splitNotSumming',
			level: 'blocking',
			fix: 'split',
			params: { split: 90_000_00, budget: 100_000_00 }
		});
		expect(CHECKS.noTranslation(ready({ untranslatedCount: 3 }), 'votacion')).toEqual({
			code: 'noTranslation',
			level: 'warning',
			fix: 'proposals',
			params: { count: 3 }
		});
	});

	it('each check applies to its own moves only', () => {
		expect(movesFlagged('splitNotSumming', { splitTotalCents: 1 })).toEqual([
			'preparacion',
			'propuestas',
			'evaluacion',
			'votacion'
		]);
		expect(movesFlagged('splitNotSumming', { splitTotalCents: 1, splitCount: 0 })).toEqual([]);
		expect(movesFlagged('noCensus', { censusCount: 0 })).toEqual(['propuestas', 'votacion']);
		expect(movesFlagged('pendingEvaluation', { pendingEvaluationCount: 1 })).toEqual(['votacion']);
		expect(movesFlagged('noTranslation', { untranslatedCount: 1 })).toEqual(['votacion']);
		expect(movesFlagged('noStation', { stationCount: 0 })).toEqual(['votacion']);
		expect(movesFlagged('noStationOfficial', { stationOfficialCount: 0 })).toEqual(['votacion']);
		expect(movesFlagged('noAgents', { agentCount: 0 })).toEqual(['evaluacion', 'votacion']);
		expect(movesFlagged('votingDates', { today: '2026-05-09' })).toEqual(['votacion']);
	});
});

describe('readiness and isBlocked', () => {
	it('the checklist for a move back is empty; a move to the current phase is still checked', () => {
		const f = ready({ censusCount: 0, phase: 'votacion' });
		expect(readiness(f, 'propuestas')).toEqual([]);
		expect(readiness(f, 'votacion').map((i) => i.code)).toContain('noCensus');
		expect(readiness(ready({ phase: 'seguimiento' }))).toEqual([]);
	});

	it('blocked only by a blocking item', () => {
		expect(isBlocked([{ code: 'noStation', level: 'warning', fix: 'stations' }])).toBe(false);
		expect(
			isBlocked([
				{ code: 'noStation', level: 'warning', fix: 'stations' },
				{ code: 'noCensus', level: 'blocking', fix: 'census' }
			])
		).toBe(true);
		expect(isBlocked([])).toBe(false);
	});
});

describe('phaseEffects', () => {
	it('what each step forward does, and which cannot be undone', () => {
		expect(PHASES.slice(1).map((to, i) => [to, phaseEffects(PHASES[i], to)])).toEqual([
			['propuestas', [{ code: 'opensProposals', irreversible: false }]],
			['evaluacion', [{ code: 'closesProposals', irreversible: false }]],
			[
				'votacion',
				[
					{ code: 'freezesRules', irreversible: true },
					{ code: 'buildsBallot', irreversible: true },
					{ code: 'opensVoting', irreversible: true }
				]
			],
			['resultados', [{ code: 'closesVoting', irreversible: true }]],
			['formalizacion', [{ code: 'opensFormalization', irreversible: false }]],
			['seguimiento', [{ code: 'opensFollowUp', irreversible: false }]]
		]);
	});

	it('a step back says where it goes; staying or going to the start does nothing', () => {
		expect(phaseEffects('evaluacion', 'propuestas')).toEqual([{ code: 'back_propuestas', irreversible: false }]);
		expect(phaseEffects('preparacion', 'preparacion')).toEqual([]);
	});
});
