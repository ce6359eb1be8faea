import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../domain/errors';
import {
	addDays,
	agreementCode,
	ATTENDANCE_STATUSES,
	attendanceProblems,
	attendanceRate,
	checkAgreement,
	civilSocietyStatus,
	computeQuorum,
	COUNCIL_ROLES,
	defaultCouncilSettings,
	inTerm,
	NOTICE_CHANNELS,
	nextAgreementNumber,
	ordinarySessionShortfall,
	parseTime,
	presentAt,
	quorumMessage,
	secondCallTime,
	SESSION_KINDS,
	settingsProblems,
	termWarnings,
	type AgreementDecision,
	type AttendanceEntry,
	type AttendanceStatus,
	type CouncilRole,
	type CouncilSettings,
	type QuorumOutcome,
	type RollMember
} from '../../domain/council';
import { writeTx, type Db } from '../db/client';
import {
	councilAgreements,
	councilAttendance,
	councilMembers,
	councilSessions,
	councilSettings,
	municipalities,
	persons
} from '../db/schema/index';
import { anchorOf, appendAudit } from '../platform/audit';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import { limaToday } from '../../domain/clock';
import { amendmentReason, amendmentsOf, recordAmendment } from '../amendments';
import type { AmendmentView } from '../../domain/amendments';
import { isPdf, uploadsDir } from '../platform/uploads';
import { authorize, type Actor } from '../platform/policy';
import { cleanField, normaliseDate, optionalText, requireDate, requireText, ML } from '../platform/validation';

type Municipality = typeof municipalities.$inferSelect;

// ---------------------------------------------------------------- settings

function municipalityRow(db: Db, municipalityId: number): Municipality {
	const m = db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).get();
	if (!m) throw new UserError('notFound', {}, 404);
	return m;
}

export function getCouncilSettings(db: Db, municipalityId: number): CouncilSettings {
	const row = db.select().from(councilSettings).where(eq(councilSettings.municipalityId, municipalityId)).get();
	if (!row) return defaultCouncilSettings(municipalityRow(db, municipalityId));
	return {
		quorumFixed: row.quorumFixed,
		secondCallAllowed: row.secondCallAllowed,
		secondCallDelayMinutes: row.secondCallDelayMinutes,
		secondCallMinimum: row.secondCallMinimum,
		civilSocietyPercent: row.civilSocietyPercent,
		agreementFormat: row.agreementFormat
	};
}

function optionalInt(value: unknown): number | null {
	const s = typeof value === 'string' ? value.trim() : value == null ? '' : String(value);
	if (!s) return null;
	const n = Number(s);
	return Number.isInteger(n) ? n : NaN;
}

export function saveCouncilSettings(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	input: {
		quorumFixed: unknown;
		secondCallAllowed: unknown;
		secondCallDelayMinutes: unknown;
		secondCallMinimum: unknown;
		civilSocietyPercent: unknown;
		agreementFormat: unknown;
	}
): CouncilSettings {
	authorize(actor, 'council.manage', municipalityId);
	const s: CouncilSettings = {
		quorumFixed: optionalInt(input.quorumFixed),
		secondCallAllowed:
			input.secondCallAllowed === true || input.secondCallAllowed === 'on' || input.secondCallAllowed === 'yes',
		secondCallDelayMinutes: optionalInt(input.secondCallDelayMinutes) ?? 30,
		secondCallMinimum: optionalInt(input.secondCallMinimum),
		civilSocietyPercent: optionalInt(input.civilSocietyPercent) ?? 40,
		agreementFormat: requireText(input.agreementFormat, 'agreementFormat', 80)
	};
	const problems = settingsProblems(s);
	if (problems.length) throw new UserError(`council.settings.${problems[0]}`);
	writeTx(db, (tx) => {
		const values = { ...s, municipalityId, updatedAt: Date.now() };
		tx.insert(councilSettings)
			.values(values)
			.onConflictDoUpdate({ target: councilSettings.municipalityId, set: values })
			.run();
		appendAudit(tx, { municipalityId, actorUserId: actor.userId, type: 'council.settingsUpdated', payload: { ...s } });
	});
	return s;
}

// ---------------------------------------------------------------- roll

export type CouncilMemberView = {
	id: number;
	personId: number;
	fullName: string;
	role: CouncilRole;
	organisation: string | null;
	termStart: string;
	termEnd: string;
	position: number;
	replacesMemberId: number | null;
	replacedByMemberId: number | null;
};

export function listMembers(db: Db, municipalityId: number): CouncilMemberView[] {
	const rows = db
		.select({
			id: councilMembers.id,
			personId: councilMembers.personId,
			fullName: persons.fullName,
			role: councilMembers.role,
			organisation: councilMembers.organisation,
			termStart: councilMembers.termStart,
			termEnd: councilMembers.termEnd,
			position: councilMembers.position,
			replacesMemberId: councilMembers.replacesMemberId
		})
		.from(councilMembers)
		.innerJoin(persons, eq(persons.id, councilMembers.personId))
		.where(eq(councilMembers.municipalityId, municipalityId))
		.orderBy(asc(councilMembers.position), asc(councilMembers.id))
		.all();
	const replacedBy = new Map<number, number>();
	for (const r of rows) if (r.replacesMemberId) replacedBy.set(r.replacesMemberId, r.id);
	return rows.map((r) => ({ ...r, replacedByMemberId: replacedBy.get(r.id) ?? null }));
}

const ROLE_ORDER: Record<CouncilRole, number> = {
	alcalde: 0,
	regidor: 100,
	alcalde_distrital: 200,
	alcalde_centro_poblado: 300,
	sociedad_civil: 400
};

export interface NewMemberInput {
	fullName: unknown;
	role: unknown;
	organisation: unknown;
	termStart: unknown;
	termEnd: unknown;
	replacesMemberId?: unknown;
	/** Why the replaced member's term ends early (required then: the shortened term is a public correction). */
	reason?: unknown;
	gender?: unknown;
}

export function addMember(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	input: NewMemberInput
): CouncilMemberView {
	authorize(actor, 'council.manage', municipalityId);
	const fullName = requireText(input.fullName, 'fullName', 120);
	const role = String(input.role ?? '') as CouncilRole;
	if (!COUNCIL_ROLES.includes(role)) throw new UserError('council.member.role');
	const organisation = optionalText(input.organisation, 'organisation', 160);
	if (role === 'sociedad_civil' && !organisation) throw new UserError('council.member.organisationRequired');
	const termStart = requireDate(input.termStart, 'termStart');
	const termEnd = requireDate(input.termEnd, 'termEnd');
	if (termEnd < termStart) throw new UserError('council.member.termOrder');
	const gender = ['f', 'm', 'x'].includes(String(input.gender)) ? (String(input.gender) as 'f' | 'm' | 'x') : null;
	const replacesId = optionalInt(input.replacesMemberId);
	if (Number.isNaN(replacesId)) throw new UserError('council.member.replaces');

	const id = writeTx(db, (tx) => {
		let replaced: typeof councilMembers.$inferSelect | undefined;
		if (replacesId) {
			replaced = tx
				.select()
				.from(councilMembers)
				.where(and(eq(councilMembers.id, replacesId), eq(councilMembers.municipalityId, municipalityId)))
				.get();
			if (!replaced) throw new UserError('council.member.replaces');
			const already = tx.select().from(councilMembers).where(eq(councilMembers.replacesMemberId, replacesId)).get();
			if (already) throw new UserError('council.member.alreadyReplaced', {}, 409);
			if (termStart <= replaced.termStart)
				throw new UserError('council.member.replacesOrder', { date: replaced.termStart });
		}
		if (role === 'alcalde') {
			const other = tx
				.select({ id: councilMembers.id, termStart: councilMembers.termStart, termEnd: councilMembers.termEnd })
				.from(councilMembers)
				.where(and(eq(councilMembers.municipalityId, municipalityId), eq(councilMembers.role, 'alcalde')))
				.all()
				.find((m) => m.id !== replacesId && m.termStart <= termEnd && termStart <= m.termEnd);
			if (other) throw new UserError('council.member.twoMayors', {}, 409);
		}
		const now = Date.now();
		const person = tx.insert(persons).values({ municipalityId, fullName, gender, createdAt: now }).returning().get();
		const count = tx
			.select({ id: councilMembers.id })
			.from(councilMembers)
			.where(and(eq(councilMembers.municipalityId, municipalityId), eq(councilMembers.role, role)))
			.all().length;
		const member = tx
			.insert(councilMembers)
			.values({
				municipalityId,
				personId: person.id,
				role,
				organisation,
				termStart,
				termEnd,
				replacesMemberId: replaced?.id ?? null,
				position: replaced?.position ?? ROLE_ORDER[role] + count,
				createdAt: now
			})
			.returning()
			.get();
		if (replaced) {
			const end = addDays(termStart, -1);
			if (end < replaced.termEnd) {
				// The replaced member's published term ends early: a correction with its reason, the old end stays public.
				const reason = amendmentReason(input.reason);
				tx.update(councilMembers).set({ termEnd: end }).where(eq(councilMembers.id, replaced.id)).run();
				recordAmendment(tx, {
					municipalityId,
					roundId: null,
					record: 'councilMember',
					recordId: replaced.id,
					actorUserId: actor.userId,
					reason,
					changes: [{ field: 'termEnd', kind: 'date', previous: replaced.termEnd, current: end }],
					personal: true
				});
			}
		}
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.memberAdded',
			payload: {
				memberId: member.id,
				fullName,
				role,
				organisation,
				termStart,
				termEnd,
				replacesMemberId: replaced?.id ?? null
			},
			personal: true
		});
		return member.id;
	});
	return listMembers(db, municipalityId).find((m) => m.id === id)!;
}

export function rollOverview(db: Db, municipalityId: number, today = limaToday()) {
	const settings = getCouncilSettings(db, municipalityId);
	const members = listMembers(db, municipalityId);
	const active = members.filter((m) => inTerm(m, today));
	return {
		settings,
		members,
		active,
		civilSociety: civilSocietyStatus(members, today, settings.civilSocietyPercent),
		warnings: termWarnings(members, today),
		today
	};
}

// ---------------------------------------------------------------- sessions

export interface NewSessionInput {
	kind: unknown;
	date: unknown;
	place: unknown;
	firstCallAt: unknown;
	noticeSentOn: unknown;
	noticeChannel: unknown;
	agenda: unknown;
}

export function createSession(db: Db, actor: Actor | null, municipalityId: number, input: NewSessionInput) {
	authorize(actor, 'council.manage', municipalityId);
	const kind = String(input.kind ?? '') as (typeof SESSION_KINDS)[number];
	if (!SESSION_KINDS.includes(kind)) throw new UserError('council.session.kind');
	const date = requireDate(input.date, 'sessionDate');
	const place = requireText(input.place, 'place', 160);
	const firstCallAt = String(input.firstCallAt ?? '').trim();
	if (parseTime(firstCallAt) === null) throw new UserError('council.session.time');
	const noticeRaw = typeof input.noticeSentOn === 'string' ? input.noticeSentOn.trim() : '';
	const noticeSentOn = noticeRaw ? normaliseDate(noticeRaw) : null;
	if (noticeRaw && !noticeSentOn) throw new UserError('date.format', { field: 'noticeSentOn' });
	if (noticeSentOn && noticeSentOn > date) throw new UserError('council.session.noticeAfter');
	const channelRaw = String(input.noticeChannel ?? '');
	const noticeChannel = channelRaw ? (channelRaw as (typeof NOTICE_CHANNELS)[number]) : null;
	if (noticeChannel && !NOTICE_CHANNELS.includes(noticeChannel)) throw new UserError('council.session.channel');
	const agenda = cleanField(input.agenda, 'agenda', ML)
		.split('\n')
		.map((l) => l.replace(/^\s*(\d+[.)]|[-•*])\s*/, '').trim())
		.filter(Boolean);
	if (!agenda.length) throw new UserError('required', { field: 'agenda' });
	if (agenda.length > 30 || agenda.some((a) => a.length > 300))
		throw new UserError('tooLong', { field: 'agenda', max: 300 });
	const settings = getCouncilSettings(db, municipalityId);
	const secondCallAt = settings.secondCallAllowed ? secondCallTime(firstCallAt, settings) : null;
	return writeTx(db, (tx) => {
		const s = tx
			.insert(councilSessions)
			.values({
				municipalityId,
				kind,
				date,
				place,
				noticeSentOn,
				noticeChannel,
				agenda,
				firstCallAt,
				secondCallAt,
				createdByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.sessionCreated',
			payload: { sessionId: s.id, kind, date, place, firstCallAt, secondCallAt, agenda }
		});
		return s;
	});
}

export function listSessions(db: Db, municipalityId: number) {
	return db
		.select()
		.from(councilSessions)
		.where(eq(councilSessions.municipalityId, municipalityId))
		.orderBy(desc(councilSessions.date), desc(councilSessions.id))
		.all();
}

export function sessionRow(db: Db, municipalityId: number, sessionId: number) {
	const s = db
		.select()
		.from(councilSessions)
		.where(and(eq(councilSessions.id, sessionId), eq(councilSessions.municipalityId, municipalityId)))
		.get();
	if (!s) throw new UserError('notFound', {}, 404);
	return s;
}

/** Quorum of a session as recorded, with the settings in force for its second call (fixed at creation). */
function quorumOf(
	session: typeof councilSessions.$inferSelect,
	members: RollMember[],
	entries: AttendanceEntry[],
	settings: CouncilSettings
): QuorumOutcome {
	const delay = session.secondCallAt
		? parseTime(session.secondCallAt)! - parseTime(session.firstCallAt)!
		: settings.secondCallDelayMinutes;
	return computeQuorum({
		roll: members,
		attendance: entries,
		date: session.date,
		firstCallAt: session.firstCallAt,
		settings: { ...settings, secondCallAllowed: session.secondCallAt !== null, secondCallDelayMinutes: delay }
	});
}

export interface SessionAttendanceRow {
	member: CouncilMemberView;
	status: AttendanceStatus | null;
	arrivedAt: string | null;
}

/** Everything about one session: its roll in office, attendance, quorum, agreements. */
export function sessionDetail(db: Db, municipalityId: number, sessionId: number) {
	const session = sessionRow(db, municipalityId, sessionId);
	const settings = getCouncilSettings(db, municipalityId);
	const members = listMembers(db, municipalityId);
	const inOffice = members.filter((m) => inTerm(m, session.date));
	const att = db.select().from(councilAttendance).where(eq(councilAttendance.sessionId, sessionId)).all();
	const byMember = new Map(att.map((a) => [a.memberId, a]));
	const rows: SessionAttendanceRow[] = inOffice.map((m) => ({
		member: m,
		status: byMember.get(m.id)?.status ?? null,
		arrivedAt: byMember.get(m.id)?.arrivedAt ?? null
	}));
	const entries: AttendanceEntry[] = att.map((a) => ({
		memberId: a.memberId,
		status: a.status,
		arrivedAt: a.arrivedAt
	}));
	const quorum = session.attendanceRecordedAt ? quorumOf(session, members, entries, settings) : null;
	const agreements = db
		.select()
		.from(councilAgreements)
		.where(eq(councilAgreements.sessionId, sessionId))
		.orderBy(asc(councilAgreements.number))
		.all();
	const chair = quorum?.chair ? (members.find((m) => m.id === quorum.chair!.memberId) ?? null) : null;
	const minutesAnchor = anchorOf(db, municipalityId, { type: 'council.minutesIssued', sessionId });
	return { session, settings, attendance: rows, quorum, chair, agreements, minutesAnchor };
}

/**
 * Issues the session's minutes (until then the generated acta is a draft): an audited act that records the chain's
 * head, printed on the acta and the public page. Later changes to the session are corrections (amendments).
 */
export function issueMinutes(db: Db, actor: Actor | null, municipalityId: number, sessionId: number) {
	authorize(actor, 'council.manage', municipalityId);
	return writeTx(db, (tx) => {
		const d = sessionDetail(tx, municipalityId, sessionId);
		if (!d.session.attendanceRecordedAt) throw new UserError('council.minutes.needAttendance', {}, 409);
		if (d.minutesAnchor) throw new UserError('council.minutes.alreadyIssued', {}, 409);
		const s = d.session;
		const contentSha256 = sha256Hex(
			canonicalJson({
				session: { id: s.id, kind: s.kind, date: s.date, place: s.place, agenda: s.agenda },
				times: { firstCallAt: s.firstCallAt, secondCallAt: s.secondCallAt },
				attendance: d.attendance.map((a) => ({ memberId: a.member.id, status: a.status, arrivedAt: a.arrivedAt })),
				agreements: d.agreements.map((a) => ({ code: a.code, text: a.text, outcome: a.outcome }))
			})
		);
		const event = appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.minutesIssued',
			payload: { sessionId, contentSha256 }
		});
		return { seq: event.seq, hash: event.hash, contentSha256 };
	});
}

export type AttendanceForm = { memberId: number; statuses: string[]; arrivedAt: string }[];

/** Reads the attendance form: fields `status-<memberId>` (radio) and `arrived-<memberId>` ("HH:MM"). */
export function parseAttendanceForm(form: FormData): AttendanceForm {
	const out = new Map<number, { memberId: number; statuses: string[]; arrivedAt: string }>();
	for (const [key, value] of form.entries()) {
		const m = /^(status|arrived)-(\d+)$/.exec(key);
		if (!m || typeof value !== 'string') continue;
		const memberId = Number(m[2]);
		const row = out.get(memberId) ?? { memberId, statuses: [], arrivedAt: '' };
		if (m[1] === 'status') row.statuses.push(value);
		else row.arrivedAt = value.trim();
		out.set(memberId, row);
	}
	return [...out.values()];
}

export function recordAttendance(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sessionId: number,
	input: AttendanceForm
) {
	authorize(actor, 'council.manage', municipalityId);
	return writeTx(db, (tx) => {
		const session = sessionRow(tx, municipalityId, sessionId);
		const members = listMembers(tx, municipalityId);
		const byId = new Map(members.map((m) => [m.id, m]));
		const nameOf = (id: number) => byId.get(id)?.fullName ?? String(id);
		const entries: AttendanceEntry[] = [];
		for (const row of input) {
			const distinct = [...new Set(row.statuses)];
			if (distinct.length > 1) throw new UserError('council.attendance.conflict', { name: nameOf(row.memberId) });
			const status = distinct[0] as AttendanceStatus;
			if (!ATTENDANCE_STATUSES.includes(status))
				throw new UserError('council.attendance.status', { name: nameOf(row.memberId) });
			for (let i = 0; i < row.statuses.length; i++)
				entries.push({ memberId: row.memberId, status, arrivedAt: status === 'late' ? row.arrivedAt || null : null });
		}
		const problems = attendanceProblems({
			roll: members,
			entries,
			date: session.date,
			firstCallAt: session.firstCallAt
		});
		if (problems.length) {
			const p = problems[0];
			const params: Record<string, string | number> = { name: nameOf(p.memberId), time: session.firstCallAt };
			if (p.code === 'notOnRoll') params.id = p.memberId;
			if (p.code === 'outOfTerm')
				Object.assign(params, { termStart: p.termStart, termEnd: p.termEnd, date: session.date });
			throw new UserError(`council.attendance.${p.code}`, params);
		}
		const existing = tx
			.select({ id: councilAgreements.id })
			.from(councilAgreements)
			.where(eq(councilAgreements.sessionId, sessionId))
			.get();
		if (existing) throw new UserError('council.attendance.locked', {}, 409);
		// After the minutes are issued, attendance changes only as a visible correction (correctAttendance).
		if (anchorOf(tx, municipalityId, { type: 'council.minutesIssued', sessionId }))
			throw new UserError('council.attendance.lockedMinutes', {}, 409);
		tx.delete(councilAttendance).where(eq(councilAttendance.sessionId, sessionId)).run();
		for (const e of entries)
			tx.insert(councilAttendance)
				.values({ sessionId, ...e })
				.run();
		tx.update(councilSessions).set({ attendanceRecordedAt: Date.now() }).where(eq(councilSessions.id, sessionId)).run();
		const settings = getCouncilSettings(tx, municipalityId);
		const q = quorumOf(session, members, entries, settings);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.attendanceRecorded',
			payload: {
				sessionId,
				attendance: entries,
				installed: q.installed,
				installedAt: q.installedAt,
				present: q.presentCount,
				legalMembers: q.legalMembers
			}
		});
		return q;
	});
}

export interface NewAgreementInput {
	text: unknown;
	decision: unknown;
	votesFor?: unknown;
	votesAgainst?: unknown;
	votesAbstain?: unknown;
	castingVote?: unknown;
}

export function addAgreement(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sessionId: number,
	input: NewAgreementInput
) {
	authorize(actor, 'council.manage', municipalityId);
	const text = requireText(input.text, 'agreementText', 4000, ML);
	let decision: AgreementDecision;
	if (input.decision === 'consensus') decision = { decision: 'consensus' };
	else if (input.decision === 'vote') {
		const n = (v: unknown) => {
			const x = optionalInt(v);
			return x === null ? 0 : x;
		};
		const cv = String(input.castingVote ?? '');
		decision = {
			decision: 'vote',
			votesFor: n(input.votesFor),
			votesAgainst: n(input.votesAgainst),
			votesAbstain: n(input.votesAbstain),
			castingVote: cv === 'for' || cv === 'against' ? cv : null
		};
	} else throw new UserError('council.agreement.decision');
	return writeTx(db, (tx) => {
		const detail = sessionDetail(tx, municipalityId, sessionId);
		if (!detail.quorum) throw new UserError('council.agreement.noAttendance', {}, 409);
		if (!detail.quorum.installed) throw new UserError('council.agreement.notInstalled', {}, 409);
		// Issued minutes list the session's agreements: one added later would change them silently.
		if (detail.minutesAnchor) throw new UserError('council.minutes.alreadyIssued', {}, 409);
		// Everyone who attended at some point may vote.
		const attended = detail.attendance.filter((a) => a.status === 'present' || a.status === 'late').length;
		const check = checkAgreement(decision, attended);
		if (!check.ok) throw new UserError(`council.agreement.${check.code}`, { present: attended });
		const settings = detail.settings;
		const year = Number(detail.session.date.slice(0, 4));
		const numbers = tx
			.select({ number: councilAgreements.number })
			.from(councilAgreements)
			.where(and(eq(councilAgreements.municipalityId, municipalityId), eq(councilAgreements.year, year)))
			.all()
			.map((r) => r.number);
		const number = nextAgreementNumber(numbers);
		const code = agreementCode(settings.agreementFormat, year, number);
		const row = tx
			.insert(councilAgreements)
			.values({
				municipalityId,
				sessionId,
				year,
				number,
				code,
				text,
				decision: decision.decision,
				votesFor: decision.decision === 'vote' ? decision.votesFor : null,
				votesAgainst: decision.decision === 'vote' ? decision.votesAgainst : null,
				votesAbstain: decision.decision === 'vote' ? decision.votesAbstain : null,
				castingVoteUsed: check.castingVoteUsed,
				castingVote: decision.decision === 'vote' ? decision.castingVote : null,
				outcome: check.outcome,
				createdByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.agreementRecorded',
			payload: { agreementId: row.id, sessionId, code, text, decision, outcome: check.outcome }
		});
		return row;
	});
}

// ---------------------------------------------------------------- minutes scan

export const MAX_SCAN_BYTES = 20 * 1024 * 1024;

const minutesScanPath = (municipalityId: number, sessionId: number, sha256: string) =>
	join('council', String(municipalityId), `acta-${sessionId}-${sha256.slice(0, 16)}.pdf`);

/**
 * Keeps the signed scan of the minutes beside the generated one, with its SHA-256. Only PDFs (checked by content).
 * Replacing a kept scan is a correction of the session: it needs a reason, the old file stays readable and its SHA-256
 * stays public as an amendment (in the audit chain too).
 */
export function uploadMinutesScan(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sessionId: number,
	bytes: Uint8Array,
	reasonInput?: unknown
) {
	authorize(actor, 'council.manage', municipalityId);
	if (!bytes.length) throw new UserError('required', { field: 'minutesScan' });
	if (bytes.length > MAX_SCAN_BYTES)
		throw new UserError('council.minutes.tooBig', { mb: MAX_SCAN_BYTES / 1024 / 1024 });
	// parsed, not sniffed (review M4)
	if (!isPdf(bytes)) throw new UserError('council.minutes.notPdf');
	const before = sessionRow(db, municipalityId, sessionId);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const reason = before.minutesScanSha256 ? amendmentReason(reasonInput) : null;
	if (before.minutesScanSha256 === sha256) throw new UserError('council.minutes.sameScan', {}, 409);
	const rel = minutesScanPath(municipalityId, sessionId, sha256);
	const abs = join(uploadsDir(), rel);
	mkdirSync(dirname(abs), { recursive: true });
	writeFileSync(abs, bytes);
	writeTx(db, (tx) => {
		const s = sessionRow(tx, municipalityId, sessionId);
		if (s.minutesScanSha256 && !reason) throw new UserError('required', { field: 'amendmentReason' });
		tx.update(councilSessions)
			.set({ minutesScanPath: rel, minutesScanSha256: sha256, minutesScanUploadedAt: Date.now() })
			.where(eq(councilSessions.id, sessionId))
			.run();
		if (s.minutesScanSha256)
			recordAmendment(tx, {
				municipalityId,
				roundId: null,
				record: 'councilSession',
				recordId: sessionId,
				actorUserId: actor.userId,
				reason: reason!,
				changes: [{ field: 'minutesScanSha256', kind: 'file', previous: s.minutesScanSha256, current: sha256 }]
			});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'council.minutesUploaded',
			payload: { sessionId, sha256, bytes: bytes.length, replaces: s.minutesScanSha256 ?? null }
		});
	});
	return { sha256, path: rel };
}

/** The signed scan of the minutes; `sha256` reads one that was replaced since (listed as an amendment). */
export function minutesScan(
	db: Db,
	municipalityId: number,
	sessionId: number,
	sha256?: string | null
): { bytes: Buffer; sha256: string } | null {
	const s = sessionRow(db, municipalityId, sessionId);
	if (!s.minutesScanPath || !s.minutesScanSha256) return null;
	let rel = s.minutesScanPath;
	let sha = s.minutesScanSha256;
	if (sha256 && sha256 !== s.minutesScanSha256) {
		const fixes = amendmentsOf(db, municipalityId, 'councilSession', [sessionId]).get(sessionId) ?? [];
		if (!fixes.some((a) => a.field === 'minutesScanSha256' && a.previous === sha256)) return null;
		rel = minutesScanPath(municipalityId, sessionId, sha256);
		sha = sha256;
	}
	const abs = join(uploadsDir(), rel);
	if (!existsSync(abs)) return null;
	return { bytes: readFileSync(abs), sha256: sha };
}

// ---------------------------------------------------------------- public record

export interface PublicCouncil {
	years: number[];
	shortfall: { year: number; held: number }[];
	members: {
		id: number;
		fullName: string;
		role: CouncilRole;
		organisation: string | null;
		termStart: string;
		termEnd: string;
		inOffice: boolean;
		amendments: AmendmentView[];
	}[];
	sessions: {
		id: number;
		kind: 'ordinary' | 'extraordinary';
		date: string;
		place: string;
		agenda: string[];
		firstCallAt: string;
		secondCallAt: string | null;
		recorded: boolean;
		installed: boolean;
		installedAt: 'first' | 'second' | null;
		presentAtFirstCall: number;
		present: number;
		legalMembers: number;
		required: number;
		chair: { name: string; substitute: boolean } | null;
		attendance: {
			memberId: number;
			name: string;
			role: CouncilRole;
			status: AttendanceStatus;
			arrivedAt: string | null;
			amendments: AmendmentView[];
		}[];
		hasScan: boolean;
		scanSha256: string | null;
		/** The chain's head recorded when the minutes were issued; null while they are a draft. */
		minutesAnchor: { seq: number; hash: string } | null;
		/** The plain-words quorum statement: a message key under council.quorum and its parameters. */
		quorumStatement: { key: string; params: Record<string, string | number> } | null;
		/** Corrections of the session's date, place and times. */
		amendments: AmendmentView[];
	}[];
	/** Per member and year: sessions held while in office and how many they attended. */
	rates: { memberId: number; year: number; attended: number; sessions: number; rate: number | null }[];
	agreements: {
		code: string;
		sessionId: number;
		date: string;
		text: string;
		decision: 'consensus' | 'vote';
		votesFor: number | null;
		votesAgainst: number | null;
		votesAbstain: number | null;
		castingVoteUsed: boolean;
		outcome: 'approved' | 'rejected';
		amendments: AmendmentView[];
	}[];
}

/** The public record: names and roles of members (they act in office), sessions, attendance, agreements. No DNIs, phones, e-mails. */
export function publicCouncil(db: Db, municipalityId: number, today = limaToday()): PublicCouncil {
	const settings = getCouncilSettings(db, municipalityId);
	const members = listMembers(db, municipalityId);
	const byId = new Map(members.map((m) => [m.id, m]));
	const sessions = db
		.select()
		.from(councilSessions)
		.where(eq(councilSessions.municipalityId, municipalityId))
		.orderBy(asc(councilSessions.date), asc(councilSessions.id))
		.all();
	const ids = sessions.map((s) => s.id);
	const att = ids.length
		? db.select().from(councilAttendance).where(inArray(councilAttendance.sessionId, ids)).all()
		: [];
	const agreements = db
		.select()
		.from(councilAgreements)
		.where(eq(councilAgreements.municipalityId, municipalityId))
		.orderBy(asc(councilAgreements.year), asc(councilAgreements.number))
		.all();
	const fixes = {
		session: amendmentsOf(db, municipalityId, 'councilSession'),
		member: amendmentsOf(db, municipalityId, 'councilMember'),
		attendance: amendmentsOf(db, municipalityId, 'councilAttendance'),
		agreement: amendmentsOf(db, municipalityId, 'councilAgreement')
	};

	const outSessions: PublicCouncil['sessions'] = sessions.map((s) => {
		const rows = att.filter((a) => a.sessionId === s.id);
		const entries = rows.map((a) => ({ memberId: a.memberId, status: a.status, arrivedAt: a.arrivedAt }));
		const q = s.attendanceRecordedAt ? quorumOf(s, members, entries, settings) : null;
		const chair = q?.chair ? byId.get(q.chair.memberId) : undefined;
		return {
			id: s.id,
			kind: s.kind,
			date: s.date,
			place: s.place,
			agenda: s.agenda,
			firstCallAt: s.firstCallAt,
			secondCallAt: s.secondCallAt,
			recorded: Boolean(q),
			installed: q?.installed ?? false,
			installedAt: q?.installedAt ?? null,
			presentAtFirstCall: q?.presentAtFirstCall ?? 0,
			present: q?.presentCount ?? 0,
			legalMembers: q?.legalMembers ?? members.filter((m) => inTerm(m, s.date)).length,
			required: q?.required ?? 0,
			chair: chair && q?.chair ? { name: chair.fullName, substitute: q.chair.substitute } : null,
			attendance: rows
				.map((a) => ({
					memberId: a.memberId,
					name: byId.get(a.memberId)?.fullName ?? '',
					role: byId.get(a.memberId)?.role ?? 'regidor',
					status: a.status,
					arrivedAt: a.arrivedAt,
					position: byId.get(a.memberId)?.position ?? 0,
					amendments: fixes.attendance.get(a.id) ?? []
				}))
				.sort((a, b) => a.position - b.position)
				.map(({ position: _p, ...r }) => r),
			hasScan: Boolean(s.minutesScanPath),
			scanSha256: s.minutesScanSha256,
			minutesAnchor: anchorOf(db, municipalityId, { type: 'council.minutesIssued', sessionId: s.id }),
			quorumStatement: q ? quorumMessage(q, s.firstCallAt) : null,
			amendments: fixes.session.get(s.id) ?? []
		};
	});

	const years = [...new Set([...sessions.map((s) => Number(s.date.slice(0, 4))), Number(today.slice(0, 4))])].sort(
		(a, b) => b - a
	);
	const rates: PublicCouncil['rates'] = [];
	for (const m of members)
		for (const year of years) {
			const statuses = outSessions
				.filter((s) => s.recorded && s.date.startsWith(`${year}-`) && inTerm(m, s.date))
				.map((s) => s.attendance.find((a) => a.memberId === m.id)?.status ?? 'absent');
			if (statuses.length) rates.push({ memberId: m.id, year, ...attendanceRate(statuses) });
		}
	// Every year with fewer than two ordinary sessions held is flagged; the page words the current year as "so far".
	const shortfall = ordinarySessionShortfall(
		outSessions.map((s) => ({ date: s.date, kind: s.kind, installed: s.installed })),
		years
	);
	return {
		years,
		shortfall,
		members: members.map((m) => ({
			id: m.id,
			fullName: m.fullName,
			role: m.role,
			organisation: m.organisation,
			termStart: m.termStart,
			termEnd: m.termEnd,
			inOffice: inTerm(m, today),
			amendments: fixes.member.get(m.id) ?? []
		})),
		sessions: outSessions,
		rates,
		agreements: agreements.map((a) => ({
			code: a.code,
			sessionId: a.sessionId,
			date: sessions.find((s) => s.id === a.sessionId)?.date ?? '',
			text: a.text,
			decision: a.decision,
			votesFor: a.votesFor,
			votesAgainst: a.votesAgainst,
			votesAbstain: a.votesAbstain,
			castingVoteUsed: a.castingVoteUsed,
			outcome: a.outcome,
			amendments: fixes.agreement.get(a.id) ?? []
		}))
	};
}

/** One row per attendance record: the open CSV. Column names are stable identifiers (documented on the page). */
export function councilCsvRows(pc: PublicCouncil) {
	const rows: Record<string, string | number>[] = [];
	for (const s of pc.sessions)
		for (const a of s.attendance)
			rows.push({
				session_id: s.id,
				session_date: s.date,
				session_kind: s.kind,
				place: s.place,
				installed: s.installed ? 'yes' : 'no',
				installed_at_call: s.installedAt ?? '',
				present_count: s.present,
				legal_members: s.legalMembers,
				member_name: a.name,
				member_role: a.role,
				attendance: a.status,
				arrived_at: a.arrivedAt ?? ''
			});
	return rows;
}

export { presentAt };
