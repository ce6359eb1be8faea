import { and, asc, eq, sql } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { addDays } from '../../domain/council';
import { observationOverdue } from '../../domain/execution';
import { personalDataIn } from '../../domain/text';
import { writeTx, type Db } from '../db/client';
import { observations, persons, projectExecutions, proposals, users } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { amendmentReason, amendmentsOf, recordAmendment, type AmendmentView } from '../amendments';
import { authorize, can, type Actor } from '../platform/policy';
import { findRound } from '../rounds';
import { committeeSeat } from '../committee';
import { limaToday } from '../../domain/clock';
import { getExecutionSettings } from './execution';
import { preparePdf, preparePhoto } from '../platform/uploads';
import { optionalText, requireDate, requireText, ML } from '../platform/validation';

// The Comité de Vigilancia (who may file) lives in ../committee; re-exported for the observations page.
export {
	addCommitteeMember,
	canFileObservation,
	committeeCandidates,
	listCommittee,
	removeCommitteeMember
} from '../committee';

// ---------------------------------------------------------------- attachments

type Attachment = { path: string; sha256: string; mime: string; write?: () => void };

/**
 * A photo (re-encoded, metadata dropped) or a PDF, recognised by its bytes rather than its name or type. Nothing is
 * written here: fileObservation writes it once permission and the text have passed.
 */
export async function storeAttachment(file: File): Promise<Attachment> {
	const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
	const ascii = new TextDecoder('latin1').decode(head);
	if (ascii.startsWith('%PDF-')) {
		const pdf = await preparePdf(file, 'observations');
		return { ...pdf, mime: 'application/pdf' };
	}
	const jpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
	const png = ascii.startsWith('\x89PNG');
	const webp = ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP';
	const heif = ascii.slice(4, 8) === 'ftyp';
	if (!(jpeg || png || webp || heif)) throw new UserError('observations.fileType');
	const ph = await preparePhoto(file);
	return { path: ph.path, sha256: ph.sha256, mime: ph.mimeType, write: ph.write };
}

// ---------------------------------------------------------------- observations

/** Observations and answers are public: refuse contact data and DNIs in them, with a message saying why. */
function noPersonalData(text: string) {
	const found = personalDataIn(text);
	if (found) throw new UserError(`observations.personal.${found}`);
}

export function fileObservation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { executionId: unknown; text: unknown },
	attachment: Attachment | null,
	today = limaToday()
) {
	if (!actor) throw new UserError('loginRequired', {}, 403);
	const text = requireText(input.text, 'execution.observationText', 3000, ML);
	noPersonalData(text);
	const execRaw = String(input.executionId ?? '').trim();
	const executionId = execRaw ? Number(execRaw) : null;
	return writeTx(db, (tx) => {
		findRound(tx, municipalityId, roundId);
		const auditor = can(actor, 'observations.file', municipalityId);
		const seat = auditor ? undefined : committeeSeat(tx, actor, roundId, today);
		if (!auditor && !seat) authorize(actor, 'observations.file', municipalityId);
		if (executionId !== null) {
			const e = Number.isInteger(executionId)
				? tx
						.select()
						.from(projectExecutions)
						.where(and(eq(projectExecutions.id, executionId), eq(projectExecutions.roundId, roundId)))
						.get()
				: undefined;
			if (!e) throw new UserError('observations.project');
		}
		const filer = tx
			.select({ fullName: persons.fullName })
			.from(users)
			.innerJoin(persons, eq(persons.id, users.personId))
			.where(eq(users.id, actor.userId))
			.get();
		const seq =
			(tx
				.select({ m: sql<number>`coalesce(max(${observations.seq}), 0)` })
				.from(observations)
				.where(eq(observations.roundId, roundId))
				.get()?.m ?? 0) + 1;
		const dueOn = addDays(today, getExecutionSettings(tx, municipalityId).responseDays);
		// Every check passed: only now does the attachment reach the disk.
		attachment?.write?.();
		const o = tx
			.insert(observations)
			.values({
				municipalityId,
				roundId,
				seq,
				executionId,
				text,
				filedByUserId: actor.userId,
				filedAs: auditor ? 'auditor' : 'committee',
				filerName: filer?.fullName ?? '',
				attachmentPath: attachment?.path ?? null,
				attachmentSha256: attachment?.sha256 ?? null,
				attachmentMime: attachment?.mime ?? null,
				status: 'open',
				dueOn,
				filedAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'observation.filed',
			payload: {
				roundId,
				observationId: o.id,
				seq,
				executionId,
				filedAs: o.filedAs,
				filerName: o.filerName,
				text,
				dueOn,
				attachmentSha256: attachment?.sha256 ?? null
			}
		});
		return o;
	});
}

function findObservationTx(tx: Db, municipalityId: number, roundId: number, id: number) {
	const o = Number.isInteger(id)
		? tx
				.select()
				.from(observations)
				.where(
					and(
						eq(observations.id, id),
						eq(observations.roundId, roundId),
						eq(observations.municipalityId, municipalityId)
					)
				)
				.get()
		: undefined;
	if (!o) throw new UserError('notFound', {}, 404);
	return o;
}

export function answerObservation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	id: number,
	input: { answer: unknown; reason?: unknown }
) {
	authorize(actor, 'observations.answer', municipalityId);
	const answer = requireText(input.answer, 'execution.observationAnswer', 3000, ML);
	noPersonalData(answer);
	writeTx(db, (tx) => {
		const o = findObservationTx(tx, municipalityId, roundId, id);
		if (o.status === 'closed') throw new UserError('observations.closed', {}, 409);
		if (o.answer !== null) {
			// A published answer is never overwritten silently: the new text is a correction, the old one stays public,
			// and the first answer's time still decides whether it came late.
			const reason = amendmentReason(input.reason);
			if (answer === o.answer) throw new UserError('execution.nothingToSave');
			tx.update(observations).set({ answer }).where(eq(observations.id, o.id)).run();
			recordAmendment(tx, {
				municipalityId,
				roundId,
				record: 'observation',
				recordId: o.id,
				actorUserId: actor.userId,
				reason,
				changes: [{ field: 'answer', kind: 'text', previous: o.answer, current: answer }]
			});
			return;
		}
		tx.update(observations)
			.set({ answer, answeredAt: Date.now(), answeredByUserId: actor.userId, status: 'answered' })
			.where(eq(observations.id, o.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'observation.answered',
			payload: { roundId, observationId: o.id, seq: o.seq, answer, late: observationOverdue(o, limaToday()) }
		});
	});
}

export function setObservationDeadline(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	id: number,
	input: { dueOn: unknown; reason: unknown }
) {
	authorize(actor, 'observations.answer', municipalityId);
	const dueOn = requireDate(input.dueOn, 'execution.dueOn');
	// The deadline is public from the day the observation is filed: moving it is a visible correction.
	const reason = amendmentReason(input.reason);
	writeTx(db, (tx) => {
		const o = findObservationTx(tx, municipalityId, roundId, id);
		if (o.status !== 'open') throw new UserError('observations.notOpen', {}, 409);
		if (dueOn === o.dueOn) throw new UserError('execution.nothingToSave');
		tx.update(observations).set({ dueOn }).where(eq(observations.id, o.id)).run();
		recordAmendment(tx, {
			municipalityId,
			roundId,
			record: 'observation',
			recordId: o.id,
			actorUserId: actor.userId,
			reason,
			changes: [{ field: 'dueOn', kind: 'date', previous: o.dueOn, current: dueOn }]
		});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'observation.deadlineSet',
			payload: { roundId, observationId: o.id, seq: o.seq, from: o.dueOn, dueOn }
		});
	});
}

/** The filer (or the municipality) closes an answered observation; an open one can only be closed by its filer. */
export function closeObservation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	id: number,
	input: { note?: unknown } = {}
) {
	if (!actor) throw new UserError('loginRequired', {}, 403);
	const note = optionalText(input.note, 'execution.closingNote', 1000, ML);
	writeTx(db, (tx) => {
		const o = findObservationTx(tx, municipalityId, roundId, id);
		const filer = o.filedByUserId === actor.userId && actor.municipalityId === municipalityId;
		const staff = can(actor, 'observations.answer', municipalityId);
		if (!filer && !staff) authorize(actor, 'observations.answer', municipalityId);
		if (o.status === 'closed') throw new UserError('observations.closed', {}, 409);
		if (o.status === 'open' && !filer) throw new UserError('observations.answerFirst', {}, 409);
		tx.update(observations)
			.set({ status: 'closed', closedAt: Date.now(), closedByUserId: actor.userId })
			.where(eq(observations.id, o.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'observation.closed',
			payload: { roundId, observationId: o.id, seq: o.seq, byFiler: filer, note }
		});
	});
}

export interface PublicObservation {
	id: number;
	seq: number;
	executionId: number | null;
	/** The project it is about (number within the round and title); null for the whole round. */
	project: { seq: number; title: string } | null;
	text: string;
	filedAs: 'committee' | 'auditor';
	filerName: string;
	filedAt: number;
	hasAttachment: boolean;
	attachmentMime: string | null;
	attachmentSha256: string | null;
	status: 'open' | 'answered' | 'closed';
	dueOn: string;
	overdue: boolean;
	answer: string | null;
	answeredAt: number | null;
	answeredLate: boolean;
	closedAt: number | null;
	filedByUserId: number;
	/** Corrections of the deadline and the answer, oldest first. */
	amendments: AmendmentView[];
}

/** Public list: names of filers acting publicly (committee members, auditors), never DNI, phone or e-mail. */
export function listObservations(
	db: Db,
	municipalityId: number,
	roundId: number,
	today = limaToday()
): PublicObservation[] {
	const rows = db
		.select({
			o: observations,
			part: projectExecutions.title,
			origin: projectExecutions.origin,
			seq: proposals.seq,
			title: proposals.title
		})
		.from(observations)
		.leftJoin(projectExecutions, eq(projectExecutions.id, observations.executionId))
		.leftJoin(proposals, eq(proposals.id, projectExecutions.proposalId))
		.where(and(eq(observations.municipalityId, municipalityId), eq(observations.roundId, roundId)))
		.orderBy(asc(observations.seq))
		.all();
	const corrections = amendmentsOf(
		db,
		municipalityId,
		'observation',
		rows.map((r) => r.o.id)
	);
	return rows.map(({ o, part, origin, seq, title }) => ({
		id: o.id,
		seq: o.seq,
		executionId: o.executionId,
		project: o.executionId ? { seq: seq!, title: (origin === 'part' ? part : title) ?? '' } : null,
		text: o.text,
		filedAs: o.filedAs,
		filerName: o.filerName,
		filedAt: o.filedAt,
		hasAttachment: Boolean(o.attachmentPath),
		attachmentMime: o.attachmentMime,
		attachmentSha256: o.attachmentSha256,
		status: o.status,
		dueOn: o.dueOn,
		overdue: observationOverdue(o, today),
		answer: o.answer,
		answeredAt: o.answeredAt,
		answeredLate: Boolean(o.answeredAt && new Date(o.answeredAt - 5 * 3600_000).toISOString().slice(0, 10) > o.dueOn),
		closedAt: o.closedAt,
		filedByUserId: o.filedByUserId,
		amendments: corrections.get(o.id) ?? []
	}));
}

export function observationAttachment(db: Db, municipalityId: number, roundId: number, id: number) {
	if (!Number.isInteger(id)) return undefined;
	return db
		.select({ path: observations.attachmentPath, mime: observations.attachmentMime, seq: observations.seq })
		.from(observations)
		.where(
			and(eq(observations.id, id), eq(observations.roundId, roundId), eq(observations.municipalityId, municipalityId))
		)
		.get();
}

/** Open and overdue observations of every round (handover summary). */
export function pendingObservations(db: Db, municipalityId: number, today = limaToday()) {
	return db
		.select({
			id: observations.id,
			roundId: observations.roundId,
			seq: observations.seq,
			dueOn: observations.dueOn,
			status: observations.status,
			text: observations.text
		})
		.from(observations)
		.where(and(eq(observations.municipalityId, municipalityId), eq(observations.status, 'open')))
		.orderBy(asc(observations.dueOn))
		.all()
		.map((o) => ({ ...o, overdue: observationOverdue(o, today) }));
}

export const OBSERVATION_CSV_COLUMNS = [
	'observation',
	'project',
	'filed_as',
	'filed_by',
	'filed_at',
	'text',
	'attachment_sha256',
	'status',
	'due_on',
	'overdue',
	'answer',
	'answered_at',
	'closed_at'
];

export function observationCsvRows(list: PublicObservation[]) {
	return list.map((o) => ({
		observation: o.seq,
		project: o.project ? `${o.project.seq} ${o.project.title}` : '',
		filed_as: o.filedAs,
		filed_by: o.filerName,
		filed_at: new Date(o.filedAt).toISOString(),
		text: o.text,
		attachment_sha256: o.attachmentSha256 ?? '',
		status: o.status,
		due_on: o.dueOn,
		overdue: o.overdue ? 'yes' : 'no',
		answer: o.answer ?? '',
		answered_at: o.answeredAt ? new Date(o.answeredAt).toISOString() : '',
		closed_at: o.closedAt ? new Date(o.closedAt).toISOString() : ''
	}));
}
