import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
	addMonths,
	canCorrect,
	EXECUTION_STATUSES,
	STATUS_TRANSITIONS,
	canMove,
	compareFunded,
	firstGlosses,
	observationOverdue,
	parseInvestmentCui,
	parseProgress,
	roundTotals,
	trafficLight,
	type FundedRow,
	type LightInput
} from './execution';

const base: LightInput = {
	status: 'en_ejecucion',
	statusSince: '2026-03-01',
	lastUpdateOn: '2026-05-01',
	milestones: [],
	today: '2026-06-15',
	staleMonths: 6
};

describe('traffic light', () => {
	it('is on track with no overdue milestone and a recent update', () => {
		expect(trafficLight(base)).toEqual({ light: 'on_track', reason: 'onTrack', stale: false, overdueMilestones: 0 });
	});
	it('is late when a pending milestone is past its due date', () => {
		const r = trafficLight({
			...base,
			milestones: [
				{ dueOn: '2026-06-14', doneOn: null },
				{ dueOn: '2026-07-01', doneOn: null }
			]
		});
		expect(r).toMatchObject({ light: 'late', reason: 'milestoneOverdue', overdueMilestones: 1 });
	});
	it('a milestone due today is not late yet; one reached late no longer counts', () => {
		expect(trafficLight({ ...base, milestones: [{ dueOn: '2026-06-15', doneOn: null }] }).light).toBe('on_track');
		expect(trafficLight({ ...base, milestones: [{ dueOn: '2026-04-01', doneOn: '2026-05-20' }] }).light).toBe(
			'on_track'
		);
	});
	it('is stopped when postponed or cancelled, whatever the milestones say', () => {
		expect(trafficLight({ ...base, status: 'postergado' })).toMatchObject({ light: 'stopped', reason: 'postponed' });
		expect(
			trafficLight({ ...base, status: 'cancelado', milestones: [{ dueOn: '2020-01-01', doneOn: null }] })
		).toMatchObject({ light: 'stopped', reason: 'cancelled', stale: false });
	});
	it('is stopped when nothing was recorded for the configured months (exactly N months counts)', () => {
		expect(trafficLight({ ...base, lastUpdateOn: '2025-12-15' })).toMatchObject({
			light: 'stopped',
			reason: 'noUpdate'
		});
		expect(trafficLight({ ...base, lastUpdateOn: '2025-12-16' }).light).toBe('on_track');
		expect(trafficLight({ ...base, lastUpdateOn: '2026-03-15', staleMonths: 3 }).light).toBe('stopped');
	});
	it('a finished project is on track and never stale', () => {
		expect(
			trafficLight({
				...base,
				status: 'culminado',
				statusSince: '2020-01-01',
				lastUpdateOn: '2020-01-01',
				milestones: [{ dueOn: '2019-01-01', doneOn: null }]
			})
		).toEqual({
			light: 'on_track',
			reason: 'finished',
			stale: false,
			overdueMilestones: 1
		});
	});
	it('flags an open project whose status has not changed for N months, even with recent other updates', () => {
		const r = trafficLight({ ...base, statusSince: '2025-12-01', lastUpdateOn: '2026-06-01' });
		expect(r.stale).toBe(true);
		expect(r.light).toBe('on_track');
		expect(trafficLight({ ...base, statusSince: '2025-12-16' }).stale).toBe(false);
	});
	it('property: the light is stopped exactly when postponed, cancelled or silent for N months', () => {
		const day = fc
			.integer({ min: 0, max: 2000 })
			.map((n) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10));
		fc.assert(
			fc.property(
				fc.constantFrom(...(['priorizado', 'en_pia', 'expediente', 'en_ejecucion', 'postergado'] as const)),
				day,
				day,
				fc.integer({ min: 1, max: 24 }),
				(status, lastUpdateOn, today, staleMonths) => {
					const r = trafficLight({
						status,
						statusSince: lastUpdateOn,
						lastUpdateOn,
						milestones: [],
						today,
						staleMonths
					});
					const silent = addMonths(lastUpdateOn, staleMonths) <= today;
					expect(r.light === 'stopped').toBe(status === 'postergado' || silent);
				}
			)
		);
	});
});

describe('months and inputs', () => {
	it('adds months clamping to the last day', () => {
		expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
		expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
		expect(addMonths('2026-08-15', 6)).toBe('2027-02-15');
		expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
	});
	it('parses the investment code (7 digits) and progress', () => {
		expect(parseInvestmentCui(' 2456789 ')).toBe('2456789');
		expect(parseInvestmentCui('245678')).toBeNull();
		expect(parseInvestmentCui('24567890')).toBeNull();
		expect(parseProgress('45')).toBe(45);
		expect(parseProgress('45,6 %')).toBe(46);
		expect(parseProgress('101')).toBeNull();
		expect(parseProgress('-1')).toBeNull();
		expect(parseProgress('abc')).toBeNull();
	});
	it('status moves forward, may skip steps, resumes from postponed, never leaves a final status', () => {
		expect(canMove('priorizado', 'en_pia')).toBe(true);
		expect(canMove('priorizado', 'expediente')).toBe(true);
		// No jump to the terminal state: culminado only from en_ejecucion.
		expect(canMove('priorizado', 'culminado')).toBe(false);
		expect(canMove('en_pia', 'culminado')).toBe(false);
		expect(canMove('expediente', 'culminado')).toBe(false);
		expect(canMove('postergado', 'culminado')).toBe(false);
		expect(canMove('en_ejecucion', 'culminado')).toBe(true);
		expect(canMove('priorizado', 'en_ejecucion')).toBe(false);
		expect(canMove('postergado', 'priorizado')).toBe(false);
		expect(canMove('en_ejecucion', 'en_pia')).toBe(false);
		expect(canMove('en_pia', 'postergado')).toBe(true);
		expect(canMove('postergado', 'en_ejecucion')).toBe(true);
		expect(canMove('culminado', 'cancelado')).toBe(false);
		expect(canMove('cancelado', 'en_pia')).toBe(false);
		expect(canMove('en_pia', 'en_pia')).toBe(false);
	});
	it('an observation is overdue only while open after its deadline', () => {
		expect(observationOverdue({ status: 'open', dueOn: '2026-06-14' }, '2026-06-15')).toBe(true);
		expect(observationOverdue({ status: 'open', dueOn: '2026-06-15' }, '2026-06-15')).toBe(false);
		expect(observationOverdue({ status: 'answered', dueOn: '2026-01-01' }, '2026-06-15')).toBe(false);
	});
});

const selected = [
	{ proposalId: 1, seq: 1, title: 'Agua', costCents: 30_000_00 },
	{ proposalId: 3, seq: 3, title: 'Parque', costCents: 20_000_00 },
	{ proposalId: 5, seq: 5, title: 'Posta', costCents: 10_000_00 }
];
const row = (o: Partial<FundedRow> & Pick<FundedRow, 'executionId' | 'proposalId'>): FundedRow => ({
	origin: 'result',
	title: `P${o.proposalId}`,
	status: 'en_ejecucion',
	statusReason: null,
	replacesProposalId: null,
	parentExecutionId: null,
	reason: null,
	...o
});

describe('result vs funded', () => {
	it('no difference when every selected project is tracked and none cancelled (postponed is not a difference)', () => {
		expect(
			compareFunded(selected, [
				row({ executionId: 1, proposalId: 1 }),
				row({ executionId: 2, proposalId: 3, status: 'postergado', statusReason: 'lluvias' }),
				row({ executionId: 3, proposalId: 5 })
			])
		).toEqual([]);
	});
	it('nothing tracked yet is not reported as missing; once tracking starts, an untracked project is', () => {
		expect(compareFunded(selected, [])).toEqual([]);
		expect(
			compareFunded(selected, [row({ executionId: 1, proposalId: 1 })]).map((d) => [d.kind, d.proposalId])
		).toEqual([
			['missing', 3],
			['missing', 5]
		]);
	});
	it('a cancelled project with nothing in its place is dropped, with the recorded reason', () => {
		const d = compareFunded(selected, [
			row({ executionId: 1, proposalId: 1 }),
			row({ executionId: 2, proposalId: 3, status: 'cancelado', statusReason: 'Terreno no saneado' }),
			row({ executionId: 3, proposalId: 5 })
		]);
		expect(d).toEqual([{ kind: 'dropped', proposalId: 3, seq: 3, title: 'Parque', reason: 'Terreno no saneado' }]);
	});
	it('a reserve project funded in place of a selected one is a replacement, with both reasons', () => {
		const d = compareFunded(selected, [
			row({ executionId: 1, proposalId: 1 }),
			row({ executionId: 2, proposalId: 3, status: 'cancelado', statusReason: 'Terreno no saneado' }),
			row({ executionId: 3, proposalId: 5 }),
			row({
				executionId: 4,
				proposalId: 2,
				origin: 'reserve',
				title: 'Camino',
				replacesProposalId: 3,
				reason: 'Siguiente en la lista de reserva'
			})
		]);
		expect(d).toEqual([
			{
				kind: 'replaced',
				proposalId: 3,
				seq: 3,
				title: 'Parque',
				reason: 'Terreno no saneado',
				by: [{ executionId: 4, proposalId: 2, title: 'Camino', reason: 'Siguiente en la lista de reserva' }]
			}
		]);
	});
	it('a split project lists its parts; a reserve project funded in addition is reported as added', () => {
		const d = compareFunded(selected, [
			row({ executionId: 1, proposalId: 1 }),
			row({
				executionId: 5,
				proposalId: 1,
				origin: 'part',
				title: 'Agua — tramo 2',
				parentExecutionId: 1,
				reason: 'Dos CUI'
			}),
			row({ executionId: 2, proposalId: 3 }),
			row({ executionId: 3, proposalId: 5 }),
			row({ executionId: 6, proposalId: 7, origin: 'reserve', title: 'Losa', reason: 'Saldo disponible' })
		]);
		expect(d).toEqual([
			{
				kind: 'split',
				proposalId: 1,
				seq: 1,
				title: 'Agua',
				parts: [{ executionId: 5, title: 'Agua — tramo 2', reason: 'Dos CUI' }]
			},
			{ kind: 'added', executionId: 6, proposalId: 7, title: 'Losa', reason: 'Saldo disponible' }
		]);
	});
	it('totals: prioritised from the result, budgeted without cancelled rows, executed with everything spent', () => {
		expect(
			roundTotals(selected, [
				{ origin: 'result', status: 'en_ejecucion', budgetedCents: 31_000_00, executedCents: 10_000_00 },
				{ origin: 'result', status: 'cancelado', budgetedCents: 20_000_00, executedCents: 1_500_00 },
				{ origin: 'reserve', status: 'en_pia', budgetedCents: 19_000_00, executedCents: null }
			])
		).toEqual({ prioritisedCents: 60_000_00, budgetedCents: 50_000_00, executedCents: 11_500_00 });
	});
});

describe('status transition table', () => {
	it('reaches culminado only through en_ejecucion, from every start', () => {
		// Every path from priorizado that ends in culminado passes en_ejecucion just before.
		for (const from of EXECUTION_STATUSES) if (canMove(from, 'culminado')) expect(from).toBe('en_ejecucion');
	});
	it('has no way out of a final status except a correction, which never lands on culminado', () => {
		expect(STATUS_TRANSITIONS.culminado).toEqual([]);
		expect(STATUS_TRANSITIONS.cancelado).toEqual([]);
		expect(canCorrect('culminado', 'en_ejecucion')).toBe(true);
		expect(canCorrect('cancelado', 'priorizado')).toBe(true);
		for (const from of EXECUTION_STATUSES) expect(canCorrect(from, 'culminado')).toBe(false);
		expect(canCorrect('en_pia', 'en_pia')).toBe(false);
	});
});

describe('firstGlosses: each term of art glossed once, where a resident first meets it', () => {
	const card = (status: LightInput['status'], milestones = 0, milestoneReason = false) => ({
		status,
		milestones,
		milestoneReason,
		investmentCui: null
	});
	it('glosses PIA, expediente, hito and CUI on the first card that shows them, and never again', () => {
		expect(
			firstGlosses([
				card('priorizado'),
				card('en_pia'),
				card('en_pia', 2),
				card('expediente', 0, true),
				card('expediente')
			])
		).toEqual([['cui'], ['pia'], ['hito'], ['expediente'], []]);
	});
	it('a late milestone in the light reason counts as meeting "hito"', () => {
		expect(firstGlosses([card('en_ejecucion', 0, true), card('en_ejecucion', 3)])).toEqual([['hito', 'cui'], []]);
	});
	it('no cards, no glosses', () => {
		expect(firstGlosses([])).toEqual([]);
	});
});
