import { and, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { changesBetween } from '../../domain/amendments';
import { ATTENDANCE_STATUSES, parseTime, secondCallTime, type AttendanceStatus } from '../../domain/council';
import { writeTx, type Db } from '../db/client';
import { councilAgreements, councilAttendance, councilMembers, councilSessions, persons } from '../db/schema/index';
import { amendmentReason, recordAmendment } from '../amendments';
import { authorize, type Actor } from '../platform/policy';
import { normaliseDate, optionalText, ML } from '../platform/validation';
import { getCouncilSettings, sessionRow } from './council';

/**
 * Corrections of the council's public record. Sessions, members, attendance and agreements are public as soon as
 * they are recorded; a mistake in them is corrected here, never overwritten: every correction keeps the previous
 * value, the reason and who made it (a public amendment in the audit chain).
 */

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function dateOrUndefined(v: unknown, field: string): string | undefined {
	const s = text(v);
	if (!s) return undefined;
	const iso = normaliseDate(s);
	if (!iso) throw new UserError('date.format', { field });
	return iso;
}

/** Corrects a session's date, place, first-call time or notice date. The second call moves with the first. */
export function correctSession(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sessionId: number,
	input: { date?: unknown; place?: unknown; firstCallAt?: unknown; noticeSentOn?: unknown; reason: unknown }
) {
	authorize(actor, 'council.manage', municipalityId);
	const reason = amendmentReason(input.reason);
	const date = dateOrUndefined(input.date, 'sessionDate');
	const place = optionalText(input.place, 'place', 160) ?? undefined;
	const firstCallAt = text(input.firstCallAt) || undefined;
	if (firstCallAt !== undefined && parseTime(firstCallAt) === null) throw new UserError('council.session.time');
	const noticeSentOn = dateOrUndefined(input.noticeSentOn, 'noticeSentOn');
	return writeTx(db, (tx) => {
		const s = sessionRow(tx, municipalityId, sessionId);
		const settings = getCouncilSettings(tx, municipalityId);
		const secondCallAt =
			firstCallAt !== undefined && s.secondCallAt !== null ? secondCallTime(firstCallAt, settings) : undefined;
		const next = { date, place, firstCallAt, secondCallAt, noticeSentOn };
		if ((noticeSentOn ?? s.noticeSentOn) && (noticeSentOn ?? s.noticeSentOn)! > (date ?? s.date))
			throw new UserError('council.session.noticeAfter');
		const changes = changesBetween(s, next, {
			date: 'date',
			place: 'text',
			firstCallAt: 'time',
			secondCallAt: 'time',
			noticeSentOn: 'date'
		});
		if (!changes.length) throw new UserError('council.nothingToCorrect');
		tx.update(councilSessions)
			.set(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)))
			.where(eq(councilSessions.id, s.id))
			.run();
		recordAmendment(tx, {
			municipalityId,
			roundId: null,
			record: 'councilSession',
			recordId: s.id,
			actorUserId: actor.userId,
			reason,
			changes
		});
		return changes;
	});
}

/** Corrects a member's name, organisation or term (a wrong date changes the quorum of the sessions it covers). */
export function correctMember(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	memberId: number,
	input: { fullName?: unknown; organisation?: unknown; termStart?: unknown; termEnd?: unknown; reason: unknown }
) {
	authorize(actor, 'council.manage', municipalityId);
	const reason = amendmentReason(input.reason);
	const fullName = optionalText(input.fullName, 'fullName', 120) ?? undefined;
	const organisation = optionalText(input.organisation, 'organisation', 160) ?? undefined;
	const termStart = dateOrUndefined(input.termStart, 'termStart');
	const termEnd = dateOrUndefined(input.termEnd, 'termEnd');
	return writeTx(db, (tx) => {
		const m = tx
			.select({ member: councilMembers, fullName: persons.fullName })
			.from(councilMembers)
			.innerJoin(persons, eq(persons.id, councilMembers.personId))
			.where(and(eq(councilMembers.id, memberId), eq(councilMembers.municipalityId, municipalityId)))
			.get();
		if (!m) throw new UserError('notFound', {}, 404);
		if ((termEnd ?? m.member.termEnd) < (termStart ?? m.member.termStart))
			throw new UserError('council.member.termOrder');
		const changes = changesBetween(
			{ ...m.member, fullName: m.fullName },
			{ fullName, organisation, termStart, termEnd },
			{ fullName: 'text', organisation: 'text', termStart: 'date', termEnd: 'date' }
		);
		if (!changes.length) throw new UserError('council.nothingToCorrect');
		if (fullName !== undefined) tx.update(persons).set({ fullName }).where(eq(persons.id, m.member.personId)).run();
		const set = Object.fromEntries(
			Object.entries({ organisation, termStart, termEnd }).filter(([, v]) => v !== undefined)
		);
		if (Object.keys(set).length) tx.update(councilMembers).set(set).where(eq(councilMembers.id, memberId)).run();
		recordAmendment(tx, {
			municipalityId,
			roundId: null,
			record: 'councilMember',
			recordId: memberId,
			actorUserId: actor.userId,
			reason,
			changes,
			personal: true
		});
		return changes;
	});
}

/**
 * Corrects one member's attendance mark once agreements lock the sheet (before that, the whole sheet is simply
 * recorded again). The quorum statement follows the corrected marks; the previous mark stays public.
 */
export function correctAttendance(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sessionId: number,
	input: { memberId: unknown; status: unknown; arrivedAt?: unknown; reason: unknown }
) {
	authorize(actor, 'council.manage', municipalityId);
	const reason = amendmentReason(input.reason);
	const status = String(input.status ?? '') as AttendanceStatus;
	if (!ATTENDANCE_STATUSES.includes(status)) throw new UserError('council.attendance.status', { name: '' });
	const arrivedAt = status === 'late' ? text(input.arrivedAt) || null : null;
	if (arrivedAt !== null && parseTime(arrivedAt) === null) throw new UserError('council.session.time');
	const memberId = Number(input.memberId);
	return writeTx(db, (tx) => {
		sessionRow(tx, municipalityId, sessionId);
		const row = tx
			.select()
			.from(councilAttendance)
			.where(and(eq(councilAttendance.sessionId, sessionId), eq(councilAttendance.memberId, memberId)))
			.get();
		if (!row) throw new UserError('notFound', {}, 404);
		const changes = changesBetween(row, { status, arrivedAt }, { status: 'attendanceStatus', arrivedAt: 'time' });
		if (!changes.length) throw new UserError('council.nothingToCorrect');
		tx.update(councilAttendance).set({ status, arrivedAt }).where(eq(councilAttendance.id, row.id)).run();
		recordAmendment(tx, {
			municipalityId,
			roundId: null,
			record: 'councilAttendance',
			recordId: row.id,
			actorUserId: actor.userId,
			reason,
			changes
		});
		return changes;
	});
}

/** Corrects an agreement's wording (a typo, a wrong figure); its number, decision and outcome stay as voted. */
export function correctAgreement(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	agreementId: number,
	input: { text: unknown; reason: unknown }
) {
	authorize(actor, 'council.manage', municipalityId);
	const reason = amendmentReason(input.reason);
	const newText = optionalText(input.text, 'agreementText', 4000, ML) ?? undefined;
	return writeTx(db, (tx) => {
		const a = tx
			.select()
			.from(councilAgreements)
			.where(and(eq(councilAgreements.id, agreementId), eq(councilAgreements.municipalityId, municipalityId)))
			.get();
		if (!a) throw new UserError('notFound', {}, 404);
		const changes = changesBetween(a, { text: newText }, { text: 'text' });
		if (!changes.length) throw new UserError('council.nothingToCorrect');
		tx.update(councilAgreements).set({ text: newText }).where(eq(councilAgreements.id, a.id)).run();
		recordAmendment(tx, {
			municipalityId,
			roundId: null,
			record: 'councilAgreement',
			recordId: a.id,
			actorUserId: actor.userId,
			reason,
			changes
		});
		return changes;
	});
}
