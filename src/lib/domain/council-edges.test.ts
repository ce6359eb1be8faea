// The council's rules at their edges: settings ranges, terms that start or end today, times, late arrivals at the
// call, agreements by vote, and the quorum sentence of the minutes.
import { describe, expect, it } from 'vitest';
import {
	addDays,
	checkAgreement,
	civilSocietyStatus,
	defaultCouncilSettings,
	inTerm,
	municipalityAbbreviation,
	parseTime,
	presentAt,
	quorumMessage,
	secondCallTime,
	settingsProblems,
	termWarnings,
	type CouncilSettings,
	type RollMember
} from './council';

const settings = (over: Partial<CouncilSettings> = {}): CouncilSettings => ({
	...defaultCouncilSettings({ name: 'Wanchaq', kind: 'distrital' }),
	...over
});

describe('municipalityAbbreviation', () => {
	it('drops the legal prefix, accents, articles and hyphens', () => {
		expect(municipalityAbbreviation('Municipalidad Distrital de San Jerónimo', 'distrital')).toBe('MDSJ');
		expect(municipalityAbbreviation('municipalidad  provincial  de  La Convención', 'provincial')).toBe('MPC');
		expect(municipalityAbbreviation('Santa Ana-del Valle', 'distrital')).toBe('MDSAV');
		expect(municipalityAbbreviation('Delicias', 'distrital')).toBe('MDD');
		expect(municipalityAbbreviation('Ñuñoa 2', 'distrital')).toBe('MDN2');
		expect(municipalityAbbreviation('de la', 'distrital')).toBe('MDX');
		expect(municipalityAbbreviation('Alto Municipalidad Distrital de Zeta', 'distrital')).toBe('MDAMDZ');
	});
});

describe('settingsProblems', () => {
	it('accepts each range at both ends', () => {
		for (const over of [
			{ quorumFixed: 1 },
			{ quorumFixed: 200 },
			{ secondCallDelayMinutes: 0 },
			{ secondCallDelayMinutes: 240 },
			{ secondCallMinimum: 1 },
			{ secondCallMinimum: 200 },
			{ civilSocietyPercent: 0 },
			{ civilSocietyPercent: 100 },
			{ agreementFormat: `{number}-{year}${'x'.repeat(65)}` }
		])
			expect(settingsProblems(settings(over))).toEqual([]);
	});

	it('refuses just past each end, and fractions', () => {
		const cases: [Partial<CouncilSettings>, string][] = [
			[{ quorumFixed: 0 }, 'quorumFixed'],
			[{ quorumFixed: 201 }, 'quorumFixed'],
			[{ quorumFixed: 2.5 }, 'quorumFixed'],
			[{ secondCallDelayMinutes: -1 }, 'secondCallDelay'],
			[{ secondCallDelayMinutes: 241 }, 'secondCallDelay'],
			[{ secondCallDelayMinutes: 1.5 }, 'secondCallDelay'],
			[{ secondCallMinimum: 0 }, 'secondCallMinimum'],
			[{ secondCallMinimum: 201 }, 'secondCallMinimum'],
			[{ secondCallMinimum: 1.5 }, 'secondCallMinimum'],
			[{ civilSocietyPercent: -1 }, 'civilSocietyPercent'],
			[{ civilSocietyPercent: 101 }, 'civilSocietyPercent'],
			[{ civilSocietyPercent: 40.5 }, 'civilSocietyPercent'],
			[{ agreementFormat: '{year}' }, 'agreementFormat'],
			[{ agreementFormat: '{number}' }, 'agreementFormat'],
			[{ agreementFormat: `{number}-{year}${'x'.repeat(66)}` }, 'agreementFormat']
		];
		for (const [over, code] of cases) expect(settingsProblems(settings(over))).toEqual([code]);
	});
});

describe('terms and dates', () => {
	const m = (id: number, termStart: string, termEnd: string, role: RollMember['role'] = 'regidor'): RollMember => ({
		id,
		role,
		termStart,
		termEnd,
		position: id
	});

	it('a term covers its first and last day', () => {
		const t = m(1, '2026-01-01', '2026-12-31');
		expect(['2025-12-31', '2026-01-01', '2026-12-31', '2027-01-01'].map((d) => inTerm(t, d))).toEqual([
			false,
			true,
			true,
			false
		]);
	});

	it('civil society share: its ratio to the others, 0 with nobody else', () => {
		const roll = [
			m(1, '2026-01-01', '2026-12-31'),
			m(2, '2026-01-01', '2026-12-31'),
			m(3, '2026-01-01', '2026-12-31', 'sociedad_civil')
		];
		expect(civilSocietyStatus(roll, '2026-06-01')).toEqual({
			others: 2,
			civilSociety: 1,
			required: 1,
			holds: true,
			ratio: 0.5
		});
		expect(civilSocietyStatus([roll[2]], '2026-06-01').ratio).toBe(0);
	});

	it('expired after its last day, ending soon up to the last day of the window, not started before its first', () => {
		const today = '2026-06-01';
		const roll = [
			m(1, '2026-01-01', '2026-06-01'),
			m(2, '2026-01-01', '2026-05-31'),
			m(3, '2026-01-01', '2026-07-31'),
			m(4, '2026-01-01', '2026-08-01'),
			m(5, '2026-06-01', '2027-12-31'),
			m(6, '2026-06-02', '2027-12-31')
		];
		expect(termWarnings(roll, today)).toEqual([
			{ memberId: 1, kind: 'endsSoon', date: '2026-06-01' },
			{ memberId: 2, kind: 'expired', date: '2026-05-31' },
			{ memberId: 3, kind: 'endsSoon', date: '2026-07-31' },
			{ memberId: 6, kind: 'notStarted', date: '2026-06-02' }
		]);
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
	});

	it('times: H:MM or HH:MM up to 23:59; the second call never passes midnight', () => {
		expect([' 9:05 ', '00:00', '23:59'].map(parseTime)).toEqual([545, 0, 1439]);
		for (const t of ['24:00', '12:60', '9:5', '123:00', 'x9:00', '9:00x', '']) expect(parseTime(t)).toBeNull();
		expect(secondCallTime('18:00', { secondCallDelayMinutes: 30 })).toBe('18:30');
		expect(secondCallTime('09:45', { secondCallDelayMinutes: 30 })).toBe('10:15');
		expect(secondCallTime('23:50', { secondCallDelayMinutes: 30 })).toBe('23:59');
		expect(() => secondCallTime('25:00', { secondCallDelayMinutes: 30 })).toThrow('bad time');
	});

	it('a late member counts at a call reached at or after their arrival', () => {
		const late = (arrivedAt: string | null) => ({ memberId: 1, status: 'late' as const, arrivedAt });
		expect(presentAt(late('18:30'), '18:30')).toBe(true);
		expect(presentAt(late('18:31'), '18:30')).toBe(false);
		expect(presentAt(late(null), '18:30')).toBe(false);
		expect(presentAt({ memberId: 1, status: 'excused', arrivedAt: '18:00' }, '18:30')).toBe(false);
		expect(presentAt({ memberId: 1, status: 'present', arrivedAt: null }, '18:30')).toBe(true);
	});
});

describe('checkAgreement', () => {
	const vote = (f: number, a: number, ab = 0, castingVote: 'for' | 'against' | null = null) =>
		({ decision: 'vote', votesFor: f, votesAgainst: a, votesAbstain: ab, castingVote }) as const;

	it('needs a session with members; votes cast at most the members present', () => {
		expect(checkAgreement({ decision: 'consensus' }, 0)).toEqual({ ok: false, code: 'notInstalled' });
		expect(checkAgreement({ decision: 'consensus' }, 1)).toEqual({
			ok: true,
			outcome: 'approved',
			castingVoteUsed: false
		});
		expect(checkAgreement(vote(3, 1, 1), 5)).toEqual({ ok: true, outcome: 'approved', castingVoteUsed: false });
		expect(checkAgreement(vote(3, 1, 2), 5)).toEqual({ ok: false, code: 'votesExceedPresent' });
	});

	it('one vote more decides; a tie needs the casting vote', () => {
		expect(checkAgreement(vote(2, 3), 5)).toEqual({ ok: true, outcome: 'rejected', castingVoteUsed: false });
		expect(checkAgreement(vote(2, 2), 5)).toEqual({ ok: false, code: 'castingVoteNeeded' });
		expect(checkAgreement(vote(2, 2, 0, 'against'), 5)).toEqual({
			ok: true,
			outcome: 'rejected',
			castingVoteUsed: true
		});
	});
});

describe('quorumMessage', () => {
	const q = {
		installed: false,
		installedAt: null,
		presentCount: 3,
		legalMembers: 9,
		required: 5,
		presentAtFirstCall: 3,
		secondCall: null,
		reason: 'noQuorum'
	};
	const params = { present: 3, members: 9, required: 5, first: 3 };

	it('names the call that installed the session, or why it was not', () => {
		expect(
			quorumMessage(
				{ ...q, installed: true, installedAt: 'first', presentCount: 5, presentAtFirstCall: 5, reason: null } as never,
				'18:00'
			)
		).toEqual({
			key: 'council.quorum.first',
			params: { present: 5, members: 9, required: 5, first: 5, time: '18:00' }
		});
		expect(
			quorumMessage(
				{
					...q,
					installed: true,
					installedAt: 'second',
					reason: null,
					secondCall: { at: '18:30', required: 3, present: 3 }
				} as never,
				'18:00'
			)
		).toEqual({ key: 'council.quorum.second', params: { ...params, time: '18:30' } });
		expect(quorumMessage({ ...q, reason: 'noChair' } as never, '18:00')).toEqual({
			key: 'council.quorum.noChair',
			params
		});
		expect(quorumMessage(q as never, '18:00')).toEqual({ key: 'council.quorum.noQuorum', params });
		expect(quorumMessage({ ...q, secondCall: { at: '18:30', required: 4, present: 3 } } as never, '18:00')).toEqual({
			key: 'council.quorum.noQuorum',
			params: { ...params, required: 4 }
		});
		expect(quorumMessage({ ...q, secondCall: { at: '18:30', required: 1, present: 0 } } as never, '18:00')).toEqual({
			key: 'council.quorum.noQuorum',
			params
		});
	});
});
