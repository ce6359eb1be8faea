/**
 * Rules of the Consejo de Coordinación Local (CCL), Ley Orgánica de Municipalidades 27972, arts. 98–104.
 * Pure: no database, no framework. Every number the law leaves to the local ordinance is a setting.
 *
 * Times of day are "HH:MM" (local time of the session); dates are ISO "YYYY-MM-DD".
 */

export const COUNCIL_ROLES = [
	'alcalde',
	'regidor',
	'alcalde_distrital',
	'alcalde_centro_poblado',
	'sociedad_civil'
] as const;
export type CouncilRole = (typeof COUNCIL_ROLES)[number];

export const ATTENDANCE_STATUSES = ['present', 'late', 'excused', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const SESSION_KINDS = ['ordinary', 'extraordinary'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const NOTICE_CHANNELS = ['letter', 'email', 'whatsapp', 'notice_board', 'other'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

export interface CouncilSettings {
	/** null: half plus one of the legal membership (floor(n/2)+1). A number: that many members, fixed by ordinance. */
	quorumFixed: number | null;
	/** Whether the local rule allows a second call (segunda convocatoria). */
	secondCallAllowed: boolean;
	/** Minutes between first and second call (default 30). */
	secondCallDelayMinutes: number;
	/** null: the session proceeds at second call "with those present" (at least one member, and someone to chair).
	 *  A number: at least that many members must be present at second call. */
	secondCallMinimum: number | null;
	/** Share of civil-society seats relative to the other members, in percent (law: 40). */
	civilSocietyPercent: number;
	/** Agreement code template; {number} (3 digits) and {year} are required. */
	agreementFormat: string;
}

export const DEFAULT_SECOND_CALL_DELAY = 30;

/** "MD" + initials for a district, "MP" + initials for a province: Wanchaq → MDW, San Jerónimo → MDSJ. */
export function municipalityAbbreviation(name: string, kind: 'provincial' | 'distrital'): string {
	const words = name
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/^municipalidad\s+(provincial|distrital)\s+de\s+/i, '')
		.split(/[\s-]+/)
		.filter((w) => w && !/^(de|del|la|las|los|el|y)$/i.test(w));
	const initials = words
		.map((w) => w[0].toUpperCase())
		.join('')
		.replace(/[^A-Z0-9]/g, '');
	return (kind === 'provincial' ? 'MP' : 'MD') + (initials || 'X');
}

export function defaultCouncilSettings(municipality: {
	name: string;
	kind: 'provincial' | 'distrital';
}): CouncilSettings {
	return {
		quorumFixed: null,
		secondCallAllowed: true,
		secondCallDelayMinutes: DEFAULT_SECOND_CALL_DELAY,
		secondCallMinimum: null,
		civilSocietyPercent: 40,
		// literal-ok: the default code of a legal agreement (the municipality edits it); the same in both languages.
		agreementFormat: `Acuerdo N° {number}-{year}-CCL/${municipalityAbbreviation(municipality.name, municipality.kind)}`
	};
}

/** Problems with a settings object, as message codes (empty = valid). */
export function settingsProblems(s: CouncilSettings): string[] {
	const out: string[] = [];
	if (s.quorumFixed !== null && (!Number.isInteger(s.quorumFixed) || s.quorumFixed < 1 || s.quorumFixed > 200))
		out.push('quorumFixed');
	if (!Number.isInteger(s.secondCallDelayMinutes) || s.secondCallDelayMinutes < 0 || s.secondCallDelayMinutes > 240)
		out.push('secondCallDelay');
	if (
		s.secondCallMinimum !== null &&
		(!Number.isInteger(s.secondCallMinimum) || s.secondCallMinimum < 1 || s.secondCallMinimum > 200)
	)
		out.push('secondCallMinimum');
	if (!Number.isInteger(s.civilSocietyPercent) || s.civilSocietyPercent < 0 || s.civilSocietyPercent > 100)
		out.push('civilSocietyPercent');
	if (!s.agreementFormat.includes('{number}') || !s.agreementFormat.includes('{year}') || s.agreementFormat.length > 80)
		out.push('agreementFormat');
	return out;
}

/** Members needed for quorum at first call. */
export function quorumRequired(
	legalMembers: number,
	settings: Pick<CouncilSettings, 'quorumFixed'> = { quorumFixed: null }
): number {
	if (settings.quorumFixed !== null) return settings.quorumFixed;
	return Math.floor(legalMembers / 2) + 1;
}

/** Civil-society seats the law asks for: ceil(percent × the other members), computed exactly in integers. */
export function civilSocietySeatsRequired(otherMembers: number, percent = 40): number {
	return Math.ceil((otherMembers * percent) / 100);
}

export interface RollMember {
	id: number;
	role: CouncilRole;
	termStart: string;
	termEnd: string;
	/** Order on the roll; among regidores the first is the teniente alcalde, who chairs when the mayor is absent. */
	position: number;
}

/** The member's term covers this date. */
export function inTerm(m: Pick<RollMember, 'termStart' | 'termEnd'>, date: string): boolean {
	return m.termStart <= date && date <= m.termEnd;
}

export interface CivilSocietyStatus {
	others: number;
	civilSociety: number;
	required: number;
	holds: boolean;
	/** Actual share of civil society relative to the other members (0 when there are none). */
	ratio: number;
}

/** Whether civil society holds its share among the members in office on `date`. */
export function civilSocietyStatus(roll: readonly RollMember[], date: string, percent = 40): CivilSocietyStatus {
	const active = roll.filter((m) => inTerm(m, date));
	const civilSociety = active.filter((m) => m.role === 'sociedad_civil').length;
	const others = active.length - civilSociety;
	const required = civilSocietySeatsRequired(others, percent);
	return { others, civilSociety, required, holds: civilSociety >= required, ratio: others ? civilSociety / others : 0 };
}

export type TermWarning = { memberId: number; kind: 'expired' | 'endsSoon' | 'notStarted'; date: string };

/** Expired terms (the member still sits on the roll without a replacement), terms ending within `soonDays`, terms not begun. */
export function termWarnings(
	roll: readonly (RollMember & { replacedByMemberId?: number | null })[],
	today: string,
	soonDays = 60
): TermWarning[] {
	const soon = addDays(today, soonDays);
	const out: TermWarning[] = [];
	for (const m of roll) {
		if (m.replacedByMemberId) continue;
		if (m.termEnd < today) out.push({ memberId: m.id, kind: 'expired', date: m.termEnd });
		else if (m.termEnd <= soon) out.push({ memberId: m.id, kind: 'endsSoon', date: m.termEnd });
		else if (m.termStart > today) out.push({ memberId: m.id, kind: 'notStarted', date: m.termStart });
	}
	return out;
}

export function addDays(isoDate: string, days: number): string {
	const d = new Date(isoDate + 'T00:00:00Z');
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** "HH:MM" → minutes since midnight; null when not a valid time. */
export function parseTime(s: string): number | null {
	const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
	if (!m) return null;
	const h = Number(m[1]);
	const min = Number(m[2]);
	if (h > 23 || min > 59) return null;
	return h * 60 + min;
}

export function formatTime(minutes: number): string {
	const h = Math.floor(minutes / 60) % 24;
	return `${String(h).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function secondCallTime(firstCallAt: string, settings: Pick<CouncilSettings, 'secondCallDelayMinutes'>): string {
	const first = parseTime(firstCallAt);
	if (first === null) throw new Error('bad time');
	return formatTime(Math.min(first + settings.secondCallDelayMinutes, 23 * 60 + 59));
}

export interface AttendanceEntry {
	memberId: number;
	status: AttendanceStatus;
	/** "HH:MM", required for late arrivals. */
	arrivedAt: string | null;
}

/** Counted at a call when present from the start, or late and arrived by that time. */
export function presentAt(entry: AttendanceEntry, callTime: string): boolean {
	if (entry.status === 'present') return true;
	if (entry.status !== 'late' || !entry.arrivedAt) return false;
	return (parseTime(entry.arrivedAt) ?? Infinity) <= (parseTime(callTime) ?? -Infinity);
}

export interface QuorumOutcome {
	legalMembers: number;
	required: number;
	presentAtFirstCall: number;
	/** null when there is no second call (not allowed, or not needed). */
	secondCall: { at: string; present: number; required: number } | null;
	installed: boolean;
	/** Which call the session was installed at; null when it could not be installed. */
	installedAt: 'first' | 'second' | null;
	/** Members counted at the call the session was installed at (or at the last call tried). */
	presentCount: number;
	/** Who chairs: the mayor, else the first regidor present (teniente alcalde) as substitute. */
	chair: { memberId: number; substitute: boolean } | null;
	/** Why it could not be installed. */
	reason: 'noQuorum' | 'noChair' | null;
}

/**
 * Quorum of a session. Legal membership = members whose term covers the session date. At first call, members
 * present (or late but arrived by the first call) must reach `quorumRequired`. If not, and the local rule allows a
 * second call, it is held `secondCallDelayMinutes` later with those present then (or a configured minimum). A
 * session needs someone to chair it: the mayor, or, when absent, the first regidor present (teniente alcalde).
 */
export function computeQuorum(input: {
	roll: readonly RollMember[];
	attendance: readonly AttendanceEntry[];
	date: string;
	firstCallAt: string;
	settings: CouncilSettings;
}): QuorumOutcome {
	const { roll, attendance, date, firstCallAt, settings } = input;
	const legal = roll.filter((m) => inTerm(m, date));
	const legalIds = new Set(legal.map((m) => m.id));
	const entries = attendance.filter((a) => legalIds.has(a.memberId));
	const required = quorumRequired(legal.length, settings);
	const countAt = (time: string) => entries.filter((e) => presentAt(e, time)).length;
	const chairAt = (time: string): QuorumOutcome['chair'] => {
		const here = new Set(entries.filter((e) => presentAt(e, time)).map((e) => e.memberId));
		const mayor = legal.find((m) => m.role === 'alcalde' && here.has(m.id));
		if (mayor) return { memberId: mayor.id, substitute: false };
		const regidor = legal
			.filter((m) => m.role === 'regidor' && here.has(m.id))
			.sort((a, b) => a.position - b.position || a.id - b.id)[0];
		return regidor ? { memberId: regidor.id, substitute: true } : null;
	};

	const first = countAt(firstCallAt);
	const base = { legalMembers: legal.length, required, presentAtFirstCall: first };
	if (first >= required) {
		const chair = chairAt(firstCallAt);
		if (chair)
			return {
				...base,
				secondCall: null,
				installed: true,
				installedAt: 'first',
				presentCount: first,
				chair,
				reason: null
			};
		if (!settings.secondCallAllowed)
			return {
				...base,
				secondCall: null,
				installed: false,
				installedAt: null,
				presentCount: first,
				chair: null,
				reason: 'noChair'
			};
	} else if (!settings.secondCallAllowed) {
		return {
			...base,
			secondCall: null,
			installed: false,
			installedAt: null,
			presentCount: first,
			chair: null,
			reason: 'noQuorum'
		};
	}

	const at = secondCallTime(firstCallAt, settings);
	const second = countAt(at);
	const secondRequired = settings.secondCallMinimum ?? 1;
	const chair = chairAt(at);
	const secondCall = { at, present: second, required: secondRequired };
	if (second < secondRequired)
		return {
			...base,
			secondCall,
			installed: false,
			installedAt: null,
			presentCount: second,
			chair: null,
			reason: 'noQuorum'
		};
	if (!chair)
		return {
			...base,
			secondCall,
			installed: false,
			installedAt: null,
			presentCount: second,
			chair: null,
			reason: 'noChair'
		};
	return { ...base, secondCall, installed: true, installedAt: 'second', presentCount: second, chair, reason: null };
}

export type AttendanceProblem =
	| { code: 'duplicate'; memberId: number }
	| { code: 'notOnRoll'; memberId: number }
	| { code: 'outOfTerm'; memberId: number; termStart: string; termEnd: string }
	| { code: 'lateNeedsTime'; memberId: number }
	| { code: 'lateBeforeStart'; memberId: number }
	| { code: 'timeOnlyForLate'; memberId: number }
	| { code: 'badTime'; memberId: number }
	| { code: 'missing'; memberId: number };

/**
 * Checks one session's attendance sheet: each member once, only members of the roll whose term covers the date,
 * late arrivals with a time after the first call, every member in office accounted for.
 */
export function attendanceProblems(input: {
	roll: readonly RollMember[];
	entries: readonly AttendanceEntry[];
	date: string;
	firstCallAt: string;
}): AttendanceProblem[] {
	const out: AttendanceProblem[] = [];
	const byId = new Map(input.roll.map((m) => [m.id, m]));
	const seen = new Set<number>();
	const start = parseTime(input.firstCallAt) ?? 0;
	for (const e of input.entries) {
		if (seen.has(e.memberId)) {
			out.push({ code: 'duplicate', memberId: e.memberId });
			continue;
		}
		seen.add(e.memberId);
		const m = byId.get(e.memberId);
		if (!m) {
			out.push({ code: 'notOnRoll', memberId: e.memberId });
			continue;
		}
		if (!inTerm(m, input.date))
			out.push({ code: 'outOfTerm', memberId: e.memberId, termStart: m.termStart, termEnd: m.termEnd });
		if (e.status === 'late') {
			if (!e.arrivedAt) out.push({ code: 'lateNeedsTime', memberId: e.memberId });
			else {
				const t = parseTime(e.arrivedAt);
				if (t === null) out.push({ code: 'badTime', memberId: e.memberId });
				else if (t <= start) out.push({ code: 'lateBeforeStart', memberId: e.memberId });
			}
		} else if (e.arrivedAt) out.push({ code: 'timeOnlyForLate', memberId: e.memberId });
	}
	for (const m of input.roll)
		if (inTerm(m, input.date) && !seen.has(m.id)) out.push({ code: 'missing', memberId: m.id });
	return out;
}

/** The code of an agreement: the template with {number} zero-padded to three digits and {year}. */
export function agreementCode(format: string, year: number, number: number): string {
	return format.replaceAll('{number}', String(number).padStart(3, '0')).replaceAll('{year}', String(year));
}

/** Next number in a year: numbering restarts each year at 1 and never reuses a number. */
export function nextAgreementNumber(existingNumbersThisYear: readonly number[]): number {
	return existingNumbersThisYear.reduce((a, b) => Math.max(a, b), 0) + 1;
}

export type AgreementDecision =
	| { decision: 'consensus' }
	| {
			decision: 'vote';
			votesFor: number;
			votesAgainst: number;
			votesAbstain: number;
			castingVote: 'for' | 'against' | null;
	  };

export type AgreementCheck =
	| { ok: true; outcome: 'approved' | 'rejected'; castingVoteUsed: boolean }
	| {
			ok: false;
			code:
				| 'votesNegative'
				| 'votesExceedPresent'
				| 'noVotes'
				| 'castingVoteNeeded'
				| 'castingVoteOnlyOnTie'
				| 'notInstalled';
	  };

/**
 * Validates an agreement's decision: consensus, or a simple majority of votes cast (for vs against; abstentions
 * do not count either way); on a tie the chair's casting vote decides, and it may only be used on a tie.
 * Voters cannot outnumber the members present.
 */
export function checkAgreement(d: AgreementDecision, membersPresent: number): AgreementCheck {
	if (membersPresent < 1) return { ok: false, code: 'notInstalled' };
	if (d.decision === 'consensus') return { ok: true, outcome: 'approved', castingVoteUsed: false };
	const { votesFor, votesAgainst, votesAbstain, castingVote } = d;
	if ([votesFor, votesAgainst, votesAbstain].some((n) => !Number.isInteger(n) || n < 0))
		return { ok: false, code: 'votesNegative' };
	if (votesFor + votesAgainst + votesAbstain > membersPresent) return { ok: false, code: 'votesExceedPresent' };
	if (votesFor + votesAgainst === 0) return { ok: false, code: 'noVotes' };
	if (votesFor === votesAgainst) {
		if (!castingVote) return { ok: false, code: 'castingVoteNeeded' };
		return { ok: true, outcome: castingVote === 'for' ? 'approved' : 'rejected', castingVoteUsed: true };
	}
	if (castingVote) return { ok: false, code: 'castingVoteOnlyOnTie' };
	return { ok: true, outcome: votesFor > votesAgainst ? 'approved' : 'rejected', castingVoteUsed: false };
}

/** Ordinary sessions held per year (installed ones), and the years below the legal two. */
export function ordinarySessionShortfall(
	sessions: readonly { date: string; kind: SessionKind; installed: boolean }[],
	years: readonly number[]
) {
	return years
		.map((year) => ({
			year,
			held: sessions.filter((s) => s.kind === 'ordinary' && s.installed && s.date.startsWith(`${year}-`)).length
		}))
		.filter((y) => y.held < 2);
}

/** Attendance rate of one member over the sessions of a year held while in office (late counts as attended). */
export function attendanceRate(statuses: readonly AttendanceStatus[]): {
	attended: number;
	sessions: number;
	rate: number | null;
} {
	const attended = statuses.filter((s) => s === 'present' || s === 'late').length;
	return { attended, sessions: statuses.length, rate: statuses.length ? attended / statuses.length : null };
}

/** The plain-words statement of a session's quorum, as a message key under `council.quorum.` and its parameters. */
export function quorumMessage(
	q: Pick<
		QuorumOutcome,
		| 'installed'
		| 'installedAt'
		| 'presentCount'
		| 'legalMembers'
		| 'required'
		| 'presentAtFirstCall'
		| 'secondCall'
		| 'reason'
	>,
	firstCallAt: string
): { key: string; params: Record<string, string | number> } {
	const params = {
		present: q.presentCount,
		members: q.legalMembers,
		required: q.required,
		first: q.presentAtFirstCall
	};
	if (q.installedAt === 'first') return { key: 'council.quorum.first', params: { ...params, time: firstCallAt } };
	if (q.installedAt === 'second')
		return { key: 'council.quorum.second', params: { ...params, time: q.secondCall?.at ?? '' } };
	if (q.reason === 'noChair') return { key: 'council.quorum.noChair', params };
	return {
		key: 'council.quorum.noQuorum',
		params: q.secondCall
			? { ...params, required: q.secondCall.required > 1 ? q.secondCall.required : q.required }
			: params
	};
}
