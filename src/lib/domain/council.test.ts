import { describe, expect, it } from 'vitest';
import {
	agreementCode,
	attendanceProblems,
	attendanceRate,
	checkAgreement,
	civilSocietySeatsRequired,
	civilSocietyStatus,
	computeQuorum,
	defaultCouncilSettings,
	municipalityAbbreviation,
	nextAgreementNumber,
	ordinarySessionShortfall,
	quorumRequired,
	secondCallTime,
	settingsProblems,
	termWarnings,
	type AttendanceEntry,
	type CouncilSettings,
	type RollMember
} from './council';

const settings: CouncilSettings = defaultCouncilSettings({ name: 'Wanchaq', kind: 'distrital' });
const TERM = { termStart: '2025-01-01', termEnd: '2026-12-31' };

/** A roll: mayor (id 1), regidores (2..), then civil society. */
function roll(regidores: number, civil: number): RollMember[] {
	const out: RollMember[] = [{ id: 1, role: 'alcalde', position: 0, ...TERM }];
	for (let i = 0; i < regidores; i++) out.push({ id: 2 + i, role: 'regidor', position: 1 + i, ...TERM });
	for (let i = 0; i < civil; i++) out.push({ id: 100 + i, role: 'sociedad_civil', position: 50 + i, ...TERM });
	return out;
}
const present = (ids: number[]): AttendanceEntry[] =>
	ids.map((memberId) => ({ memberId, status: 'present', arrivedAt: null }));
const absentAll = (r: RollMember[], except: number[]): AttendanceEntry[] =>
	r.filter((m) => !except.includes(m.id)).map((m) => ({ memberId: m.id, status: 'absent', arrivedAt: null }));

describe('quorum', () => {
	it('is half plus one of the legal membership, for odd and even memberships', () => {
		expect(quorumRequired(9)).toBe(5);
		expect(quorumRequired(8)).toBe(5);
		expect(quorumRequired(7)).toBe(4);
		expect(quorumRequired(10)).toBe(6);
		expect(quorumRequired(1)).toBe(1);
		expect(quorumRequired(9, { quorumFixed: 3 })).toBe(3);
	});

	it('installs at first call with an odd membership (9: 5 needed)', () => {
		const r = roll(5, 3); // 9 members
		const q = computeQuorum({
			roll: r,
			attendance: [...present([1, 2, 3, 100, 101]), ...absentAll(r, [1, 2, 3, 100, 101])],
			date: '2026-03-10',
			firstCallAt: '10:00',
			settings
		});
		expect(q).toMatchObject({
			legalMembers: 9,
			required: 5,
			presentAtFirstCall: 5,
			installed: true,
			installedAt: 'first',
			chair: { memberId: 1, substitute: false }
		});
	});

	it('does not install at first call with an even membership one short (8: 4 of 5), goes to second call', () => {
		const r = roll(4, 3); // 8 members
		const here = [1, 2, 100, 101];
		const q = computeQuorum({
			roll: r,
			attendance: [...present(here), ...absentAll(r, here)],
			date: '2026-03-10',
			firstCallAt: '10:00',
			settings
		});
		expect(q.required).toBe(5);
		expect(q.presentAtFirstCall).toBe(4);
		expect(q.installedAt).toBe('second');
		expect(q.secondCall).toEqual({ at: '10:30', present: 4, required: 1 });
	});

	it('counts a late arrival only from the time they arrived', () => {
		const r = roll(5, 3); // 9: 5 needed
		const att: AttendanceEntry[] = [
			...present([1, 2, 3, 100]),
			{ memberId: 101, status: 'late', arrivedAt: '10:20' },
			{ memberId: 4, status: 'late', arrivedAt: '10:45' },
			{ memberId: 5, status: 'excused', arrivedAt: null },
			{ memberId: 6, status: 'absent', arrivedAt: null },
			{ memberId: 102, status: 'absent', arrivedAt: null }
		];
		const q = computeQuorum({ roll: r, attendance: att, date: '2026-03-10', firstCallAt: '10:00', settings });
		expect(q.presentAtFirstCall).toBe(4);
		expect(q.installedAt).toBe('second');
		expect(q.secondCall).toEqual({ at: '10:30', present: 5, required: 1 });
		expect(q.presentCount).toBe(5);
	});

	it('refuses when the second call is not allowed', () => {
		const r = roll(4, 3);
		const q = computeQuorum({
			roll: r,
			attendance: present([1, 2]),
			date: '2026-03-10',
			firstCallAt: '09:00',
			settings: { ...settings, secondCallAllowed: false }
		});
		expect(q).toMatchObject({ installed: false, installedAt: null, reason: 'noQuorum', secondCall: null });
	});

	it('applies a configured minimum at second call', () => {
		const r = roll(4, 3);
		const s = { ...settings, secondCallMinimum: 3, secondCallDelayMinutes: 15 };
		expect(
			computeQuorum({ roll: r, attendance: present([1, 2]), date: '2026-03-10', firstCallAt: '09:50', settings: s })
		).toMatchObject({
			installed: false,
			reason: 'noQuorum',
			secondCall: { at: '10:05', present: 2, required: 3 }
		});
		expect(
			computeQuorum({ roll: r, attendance: present([1, 2, 3]), date: '2026-03-10', firstCallAt: '09:50', settings: s })
				.installedAt
		).toBe('second');
	});

	it('when the mayor is absent the first regidor present (teniente alcalde) chairs as substitute', () => {
		const r = roll(5, 3);
		const here = [3, 2, 4, 100, 101];
		const q = computeQuorum({ roll: r, attendance: present(here), date: '2026-03-10', firstCallAt: '10:00', settings });
		expect(q.installed).toBe(true);
		expect(q.chair).toEqual({ memberId: 2, substitute: true });
	});

	it('cannot install without anyone to chair, even with quorum', () => {
		const r = roll(2, 5); // 8 members, 5 civil society
		const here = [100, 101, 102, 103, 104];
		const q = computeQuorum({ roll: r, attendance: present(here), date: '2026-03-10', firstCallAt: '10:00', settings });
		expect(q).toMatchObject({ installed: false, reason: 'noChair' });
	});

	it('only members in office on the date make the legal membership', () => {
		const r = roll(4, 2);
		r.push({ id: 200, role: 'sociedad_civil', position: 60, termStart: '2027-01-01', termEnd: '2028-12-31' });
		const q = computeQuorum({
			roll: r,
			attendance: present([1, 2, 3, 4]),
			date: '2026-03-10',
			firstCallAt: '10:00',
			settings
		});
		expect(q.legalMembers).toBe(7);
		expect(q.required).toBe(4);
		expect(q.installedAt).toBe('first');
	});

	it('second call time is the first call plus the delay', () => {
		expect(secondCallTime('18:45', settings)).toBe('19:15');
	});
});

describe('civil society 40 %', () => {
	it('is ceil(0.4 × the other members), exactly', () => {
		expect(civilSocietySeatsRequired(5)).toBe(2);
		expect(civilSocietySeatsRequired(6)).toBe(3); // 2.4 → 3
		expect(civilSocietySeatsRequired(10)).toBe(4); // exactly 4, no float drift
		expect(civilSocietySeatsRequired(15)).toBe(6);
		expect(civilSocietySeatsRequired(0)).toBe(0);
	});
	it('says whether civil society holds its share', () => {
		expect(civilSocietyStatus(roll(5, 3), '2026-01-01')).toMatchObject({
			others: 6,
			civilSociety: 3,
			required: 3,
			holds: true
		});
		expect(civilSocietyStatus(roll(5, 2), '2026-01-01')).toMatchObject({
			others: 6,
			civilSociety: 2,
			required: 3,
			holds: false
		});
		// expired civil-society members do not count
		expect(civilSocietyStatus(roll(5, 3), '2027-02-01')).toMatchObject({ others: 0, civilSociety: 0, holds: true });
	});
});

describe('terms', () => {
	it('warns about expired terms, terms ending soon and not started; not for replaced members', () => {
		const r = [
			{ id: 1, role: 'alcalde' as const, position: 0, termStart: '2023-01-01', termEnd: '2026-12-31' },
			{ id: 2, role: 'sociedad_civil' as const, position: 1, termStart: '2024-01-01', termEnd: '2025-12-31' },
			{
				id: 3,
				role: 'sociedad_civil' as const,
				position: 2,
				termStart: '2024-01-01',
				termEnd: '2025-12-31',
				replacedByMemberId: 9
			},
			{ id: 4, role: 'sociedad_civil' as const, position: 3, termStart: '2026-01-01', termEnd: '2026-04-15' },
			{ id: 5, role: 'sociedad_civil' as const, position: 4, termStart: '2026-06-01', termEnd: '2027-12-31' }
		];
		expect(termWarnings(r, '2026-03-01')).toEqual([
			{ memberId: 2, kind: 'expired', date: '2025-12-31' },
			{ memberId: 4, kind: 'endsSoon', date: '2026-04-15' },
			{ memberId: 5, kind: 'notStarted', date: '2026-06-01' }
		]);
	});
});

describe('attendance sheet', () => {
	const r = roll(2, 1);
	r.push({ id: 300, role: 'sociedad_civil', position: 70, termStart: '2026-06-01', termEnd: '2027-12-31' });
	const base = { roll: r, date: '2026-03-10', firstCallAt: '10:00' };
	it('accepts a complete sheet', () => {
		expect(
			attendanceProblems({
				...base,
				entries: [...present([1, 2, 3]), { memberId: 100, status: 'late', arrivedAt: '10:10' }]
			})
		).toEqual([]);
	});
	it('refuses a member marked twice (absent and present at once)', () => {
		const entries: AttendanceEntry[] = [...present([1, 2, 3, 100]), { memberId: 2, status: 'absent', arrivedAt: null }];
		expect(attendanceProblems({ ...base, entries })).toEqual([{ code: 'duplicate', memberId: 2 }]);
	});
	it('refuses someone not on the roll', () => {
		expect(attendanceProblems({ ...base, entries: present([1, 2, 3, 100, 999]) })).toEqual([
			{ code: 'notOnRoll', memberId: 999 }
		]);
	});
	it('refuses a member whose term had not begun on the session date', () => {
		expect(attendanceProblems({ ...base, entries: present([1, 2, 3, 100, 300]) })).toEqual([
			{ code: 'outOfTerm', memberId: 300, termStart: '2026-06-01', termEnd: '2027-12-31' }
		]);
	});
	it('requires a time for late arrivals, after the first call, and only for them', () => {
		const entries: AttendanceEntry[] = [
			{ memberId: 1, status: 'late', arrivedAt: null },
			{ memberId: 2, status: 'late', arrivedAt: '09:59' },
			{ memberId: 3, status: 'present', arrivedAt: '10:05' },
			{ memberId: 100, status: 'late', arrivedAt: '25:00' }
		];
		expect(attendanceProblems({ ...base, entries }).map((p) => p.code)).toEqual([
			'lateNeedsTime',
			'lateBeforeStart',
			'timeOnlyForLate',
			'badTime'
		]);
	});
	it('requires every member in office to be accounted for', () => {
		expect(attendanceProblems({ ...base, entries: present([1, 2]) }).map((p) => p.code)).toEqual([
			'missing',
			'missing'
		]);
	});
});

describe('agreements', () => {
	it('numbers per year in the municipality format', () => {
		expect(settings.agreementFormat).toBe('Acuerdo N° {number}-{year}-CCL/MDW');
		expect(agreementCode('Acuerdo N° {number}-{year}-CCL/MDX', 2026, 3)).toBe('Acuerdo N° 003-2026-CCL/MDX');
		expect(agreementCode('{number}-{year}', 2026, 1234)).toBe('1234-2026');
		expect(nextAgreementNumber([])).toBe(1);
		expect(nextAgreementNumber([1, 2, 5])).toBe(6);
	});
	it('abbreviates municipality names', () => {
		expect(municipalityAbbreviation('San Jerónimo', 'distrital')).toBe('MDSJ');
		expect(municipalityAbbreviation('Municipalidad Provincial de La Convención', 'provincial')).toBe('MPC');
	});
	it('validates decisions: consensus, majority, chair casting vote only on a tie', () => {
		expect(checkAgreement({ decision: 'consensus' }, 5)).toEqual({
			ok: true,
			outcome: 'approved',
			castingVoteUsed: false
		});
		const vote = (f: number, a: number, ab: number, c: 'for' | 'against' | null = null) =>
			checkAgreement({ decision: 'vote', votesFor: f, votesAgainst: a, votesAbstain: ab, castingVote: c }, 7);
		expect(vote(4, 2, 1)).toEqual({ ok: true, outcome: 'approved', castingVoteUsed: false });
		expect(vote(2, 3, 2)).toEqual({ ok: true, outcome: 'rejected', castingVoteUsed: false });
		expect(vote(3, 3, 1)).toEqual({ ok: false, code: 'castingVoteNeeded' });
		expect(vote(3, 3, 1, 'for')).toEqual({ ok: true, outcome: 'approved', castingVoteUsed: true });
		expect(vote(3, 3, 0, 'against')).toEqual({ ok: true, outcome: 'rejected', castingVoteUsed: true });
		expect(vote(4, 2, 0, 'for')).toEqual({ ok: false, code: 'castingVoteOnlyOnTie' });
		expect(vote(5, 3, 0)).toEqual({ ok: false, code: 'votesExceedPresent' });
		expect(vote(0, 0, 3)).toEqual({ ok: false, code: 'noVotes' });
		expect(vote(-1, 0, 0)).toEqual({ ok: false, code: 'votesNegative' });
	});
});

describe('settings and public figures', () => {
	it('validates settings', () => {
		expect(settingsProblems(settings)).toEqual([]);
		expect(settingsProblems({ ...settings, agreementFormat: 'Acuerdo {number}', secondCallMinimum: 0 })).toEqual([
			'secondCallMinimum',
			'agreementFormat'
		]);
	});
	it('flags years with fewer than two ordinary sessions held', () => {
		const s = [
			{ date: '2025-03-01', kind: 'ordinary' as const, installed: true },
			{ date: '2025-09-01', kind: 'ordinary' as const, installed: true },
			{ date: '2026-03-01', kind: 'ordinary' as const, installed: true },
			{ date: '2026-05-01', kind: 'extraordinary' as const, installed: true },
			{ date: '2026-06-01', kind: 'ordinary' as const, installed: false }
		];
		expect(ordinarySessionShortfall(s, [2025, 2026])).toEqual([{ year: 2026, held: 1 }]);
	});
	it('computes attendance rates, late counting as attended', () => {
		expect(attendanceRate(['present', 'late', 'excused', 'absent'])).toEqual({ attended: 2, sessions: 4, rate: 0.5 });
		expect(attendanceRate([]).rate).toBeNull();
	});
});

describe('quorum statement', () => {
	it('says in plain words at which call the session was installed', async () => {
		const { quorumMessage } = await import('./council');
		const r = roll(5, 3);
		const att: AttendanceEntry[] = [...present([1, 2, 3, 100]), { memberId: 101, status: 'late', arrivedAt: '10:20' }];
		const q = computeQuorum({ roll: r, attendance: att, date: '2026-03-10', firstCallAt: '10:00', settings });
		expect(quorumMessage(q, '10:00')).toEqual({
			key: 'council.quorum.second',
			params: { present: 5, members: 9, required: 5, first: 4, time: '10:30' }
		});
	});
});
