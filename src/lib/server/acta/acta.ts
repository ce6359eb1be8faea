import { and, asc, eq, isNull } from 'drizzle-orm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../domain/errors';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import {
	buildActaContent,
	COMMITMENT_ACTORS,
	issueProblems,
	phaseAllowsDraft,
	phaseAllowsIssue,
	type ActaContent,
	type CommitmentActor
} from '../../domain/acta';
import { writeTx, type Db } from '../db/client';
import {
	actaCofinancing,
	actaCommitments,
	actaVersions,
	municipalities,
	participantAgents,
	persons,
	roundActas,
	rounds
} from '../db/schema/index';
import { anchorOf, appendAudit } from '../platform/audit';
import { amendmentReason, amendmentsOf, recordAmendment, type AmendmentView } from '../amendments';
import { authorize, type Actor } from '../platform/policy';
import { publishedResult } from '../results';
import { findRound } from '../rounds';
import { listCommittee, seatInActaTx, unseatFromActaTx } from '../committee';
import { isPdf, MAX_PDF_BYTES, sha256Hex as bytesSha256, uploadsDir } from '../platform/uploads';
import { moneyField, requireDate, requireText, ML } from '../platform/validation';
import { openAgentDni } from '../platform/sealed';

type Round = typeof rounds.$inferSelect;
type ActaRow = typeof roundActas.$inferSelect;

// ---------------------------------------------------------------- reading

function actaRow(db: Db, roundId: number): ActaRow | undefined {
	return db.select().from(roundActas).where(eq(roundActas.roundId, roundId)).get();
}

/** The round's agents with vote (not withdrawn): they sign the acta; committee members are chosen among all agents. */
function roundAgents(db: Db, municipalityId: number, roundId: number) {
	return db
		.select({
			id: participantAgents.id,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			hasVote: participantAgents.hasVote
		})
		.from(participantAgents)
		.innerJoin(persons, eq(persons.id, participantAgents.personId))
		.where(
			and(
				eq(participantAgents.municipalityId, municipalityId),
				eq(participantAgents.roundId, roundId),
				isNull(participantAgents.withdrawnAt)
			)
		)
		.orderBy(asc(persons.fullName))
		.all();
}

/** The committee as the acta prints it: in the order its members were seated. */
function committeeRows(db: Db, municipalityId: number, roundId: number) {
	return listCommittee(db, municipalityId, roundId)
		.sort((a, b) => a.id - b.id)
		.map(({ id, agentId, role, fullName, organisation }) => ({ id, agentId, role, fullName, organisation }));
}

function published(db: Db, municipalityId: number, roundId: number) {
	const pub = publishedResult(db, municipalityId, roundId);
	if (!pub) throw new UserError('acta.noResult', {}, 409);
	return pub.snapshot;
}

/** The acta's content as it stands now (draft), from the published result and the rows entered. Public data only. */
export function currentActaContent(db: Db, municipalityId: number, roundId: number): ActaContent {
	const round = findRound(db, municipalityId, roundId);
	const snap = published(db, municipalityId, roundId);
	const m = db.select().from(municipalities).where(eq(municipalities.id, municipalityId)).get()!;
	const row = actaRow(db, roundId);
	const agents = roundAgents(db, municipalityId, roundId);
	return buildActaContent({
		municipality: { name: m.name, kind: m.kind, ubigeo: m.ubigeo },
		round: { id: round.id, fiscalYear: round.fiscalYear, titleEs: round.titleEs, titleQu: round.titleQu },
		result: { version: snap.version, inputHash: snap.inputHash },
		signingDate: row?.signingDate ?? null,
		place: row?.place ?? null,
		budgets: snap.parsed.budgets.map((b) => ({
			zoneName: b.zoneName,
			budgetCents: b.budgetCents,
			projects: b.rows
				.filter((r) => r.selected)
				.map((r) => ({ proposalId: r.proposalId, seq: r.seq, title: r.title, costCents: r.costCents }))
		})),
		cofinancing: db
			.select()
			.from(actaCofinancing)
			.where(eq(actaCofinancing.roundId, roundId))
			.orderBy(asc(actaCofinancing.id))
			.all(),
		commitments: db
			.select()
			.from(actaCommitments)
			.where(eq(actaCommitments.roundId, roundId))
			.orderBy(asc(actaCommitments.id))
			.all()
			.map((c) => ({ actorKind: c.actorKind, actorName: c.actorName, text: c.text })),
		committee: committeeRows(db, municipalityId, roundId).map((c) => ({
			agentId: c.agentId,
			fullName: c.fullName,
			organisation: c.organisation,
			role: c.role
		})),
		signers: agents
			.filter((a) => a.hasVote)
			.map((a) => ({ agentId: a.id, fullName: a.fullName, organisation: a.organisation }))
	});
}

export interface ActaState {
	status: 'none' | 'draft' | 'issued';
	phase: Round['phase'];
	canDraft: boolean;
	canIssue: boolean;
	hasResult: boolean;
	issuedAt: number | null;
	contentSha256: string | null;
	scanSha256: string | null;
	scanUploadedAt: number | null;
	/** Issued for an older published version than the newest one (a recount was published since). */
	staleResult: boolean;
	/** The audit chain's head recorded by issuing (printed beside the content hash, not inside it). */
	anchor: { seq: number; hash: string } | null;
}

export function actaState(db: Db, municipalityId: number, roundId: number): ActaState {
	const round = findRound(db, municipalityId, roundId);
	const row = actaRow(db, roundId);
	const pub = publishedResult(db, municipalityId, roundId);
	return {
		status: row?.status ?? 'none',
		phase: round.phase,
		canDraft: Boolean(pub) && phaseAllowsDraft(round.phase) && row?.status !== 'issued',
		canIssue: Boolean(pub) && phaseAllowsIssue(round.phase) && row?.status !== 'issued',
		hasResult: Boolean(pub),
		issuedAt: row?.issuedAt ?? null,
		contentSha256: row?.status === 'issued' ? row.contentSha256 : null,
		scanSha256: row?.scanSha256 ?? null,
		scanUploadedAt: row?.scanUploadedAt ?? null,
		staleResult: Boolean(row?.status === 'issued' && pub && row.resultVersion !== pub.snapshot.version),
		anchor: row?.status === 'issued' ? anchorOf(db, municipalityId, { type: 'acta.issued', roundId }) : null
	};
}

/** The content to print: the frozen one once issued, the current draft before. */
export function actaDocument(
	db: Db,
	municipalityId: number,
	roundId: number
): {
	content: ActaContent;
	issued: boolean;
	contentSha256: string | null;
	anchor: { seq: number; hash: string } | null;
} {
	findRound(db, municipalityId, roundId);
	const row = actaRow(db, roundId);
	if (row?.status === 'issued' && row.content)
		return {
			content: row.content,
			issued: true,
			contentSha256: row.contentSha256,
			anchor: anchorOf(db, municipalityId, { type: 'acta.issued', roundId })
		};
	return {
		content: currentActaContent(db, municipalityId, roundId),
		issued: false,
		contentSha256: null,
		anchor: null
	};
}

/** Officials' extra: the DNIs of the agents in the legal register, for the signing copy. Never public. */
export function agentDnis(db: Db, actor: Actor | null, municipalityId: number, roundId: number): Map<number, string> {
	authorize(actor, 'acta.manage', municipalityId);
	const rows = db
		.select({ id: participantAgents.id, sealed: participantAgents.dniSealed })
		.from(participantAgents)
		.where(and(eq(participantAgents.municipalityId, municipalityId), eq(participantAgents.roundId, roundId)))
		.all();
	// The one place an agent's DNI is opened (platform/sealed.ts).
	return new Map(rows.filter((r) => r.sealed).map((r) => [r.id, openAgentDni(r.sealed!)]));
}

/** Everything the officials' page needs. */
export function actaForOfficials(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'acta.manage', municipalityId);
	const state = actaState(db, municipalityId, roundId);
	const row = actaRow(db, roundId);
	const doc = state.hasResult ? actaDocument(db, municipalityId, roundId) : null;
	const committee = committeeRows(db, municipalityId, roundId);
	const inCommittee = new Set(committee.map((c) => c.agentId));
	return {
		state,
		signingDate: row?.signingDate ?? '',
		place: row?.place ?? '',
		content: doc?.content ?? null,
		cofinancing: db
			.select({
				id: actaCofinancing.id,
				proposalId: actaCofinancing.proposalId,
				source: actaCofinancing.source,
				amountCents: actaCofinancing.amountCents
			})
			.from(actaCofinancing)
			.where(eq(actaCofinancing.roundId, roundId))
			.orderBy(asc(actaCofinancing.id))
			.all(),
		commitments: db
			.select()
			.from(actaCommitments)
			.where(eq(actaCommitments.roundId, roundId))
			.orderBy(asc(actaCommitments.id))
			.all(),
		committee,
		candidates: roundAgents(db, municipalityId, roundId).filter((a) => !inCommittee.has(a.id)),
		amendments: actaAmendments(db, municipalityId, roundId)
	};
}

// ---------------------------------------------------------------- drafting

/** The round, checked open for drafting: a published result, phase Resultados or later, acta not issued. */
function draftable(tx: Db, municipalityId: number, roundId: number): Round {
	const round = findRound(tx, municipalityId, roundId);
	if (!publishedResult(tx, municipalityId, roundId)) throw new UserError('acta.noResult', {}, 409);
	if (!phaseAllowsDraft(round.phase)) throw new UserError('acta.phaseDraft', {}, 409);
	if (actaRow(tx, roundId)?.status === 'issued') throw new UserError('acta.issued', {}, 409);
	return round;
}

function touch(tx: Db, municipalityId: number, roundId: number, set: Partial<ActaRow> = {}) {
	const values = { municipalityId, roundId, updatedAt: Date.now(), ...set };
	tx.insert(roundActas).values(values).onConflictDoUpdate({ target: roundActas.roundId, set: values }).run();
}

export function saveActaDetails(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { signingDate: unknown; place: unknown }
) {
	authorize(actor, 'acta.manage', municipalityId);
	const signingDate = requireDate(input.signingDate, 'actaDate');
	const place = requireText(input.place, 'place', 160);
	writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		touch(tx, municipalityId, roundId, { signingDate, place });
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.detailsSaved',
			payload: { roundId, signingDate, place }
		});
	});
}

export function addCofinancing(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { proposalId: unknown; source: unknown; amount: unknown }
) {
	authorize(actor, 'acta.manage', municipalityId);
	const proposalId = Number(input.proposalId);
	const source = requireText(input.source, 'cofinancingSource', 160);
	const amountCents = moneyField(input.amount, 'cofinancingAmount', {
		required: true,
		positive: 'acta.amountPositive'
	})!;
	return writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		const snap = published(tx, municipalityId, roundId);
		const prioritised = snap.parsed.budgets
			.flatMap((b) => b.rows.filter((r) => r.selected))
			.find((r) => r.proposalId === proposalId);
		if (!prioritised) throw new UserError('acta.notPrioritised');
		touch(tx, municipalityId, roundId);
		const row = tx
			.insert(actaCofinancing)
			.values({
				roundId,
				proposalId,
				source,
				amountCents,
				createdByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.cofinancingAdded',
			payload: { roundId, cofinancingId: row.id, proposalId, seq: prioritised.seq, source, amountCents }
		});
		return row;
	});
}

export function removeCofinancing(db: Db, actor: Actor | null, municipalityId: number, roundId: number, id: number) {
	authorize(actor, 'acta.manage', municipalityId);
	writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		const row = tx
			.select()
			.from(actaCofinancing)
			.where(and(eq(actaCofinancing.id, id), eq(actaCofinancing.roundId, roundId)))
			.get();
		if (!row) throw new UserError('notFound', {}, 404);
		tx.delete(actaCofinancing).where(eq(actaCofinancing.id, id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.cofinancingRemoved',
			payload: {
				roundId,
				cofinancingId: id,
				proposalId: row.proposalId,
				source: row.source,
				amountCents: row.amountCents
			}
		});
	});
}

export function addCommitment(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { actorKind: unknown; actorName: unknown; text: unknown }
) {
	authorize(actor, 'acta.manage', municipalityId);
	const actorKind = String(input.actorKind ?? '') as CommitmentActor;
	if (!COMMITMENT_ACTORS.includes(actorKind)) throw new UserError('acta.actorKind');
	const actorName = requireText(input.actorName, 'commitmentActor', 160);
	const text = requireText(input.text, 'commitmentText', 1000, ML);
	return writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		touch(tx, municipalityId, roundId);
		const row = tx
			.insert(actaCommitments)
			.values({ roundId, actorKind, actorName, text, createdByUserId: actor.userId, createdAt: Date.now() })
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.commitmentAdded',
			payload: { roundId, commitmentId: row.id, actorKind, actorName, text }
		});
		return row;
	});
}

export function removeCommitment(db: Db, actor: Actor | null, municipalityId: number, roundId: number, id: number) {
	authorize(actor, 'acta.manage', municipalityId);
	writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		const row = tx
			.select()
			.from(actaCommitments)
			.where(and(eq(actaCommitments.id, id), eq(actaCommitments.roundId, roundId)))
			.get();
		if (!row) throw new UserError('notFound', {}, 404);
		tx.delete(actaCommitments).where(eq(actaCommitments.id, id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.commitmentRemoved',
			payload: { roundId, commitmentId: id, actorKind: row.actorKind, actorName: row.actorName }
		});
	});
}

/** Names an agent to the Comité de Vigilancia with a role, while the acta is a draft (see ../committee). */
export function seatInActa(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { agentId: unknown; role: unknown }
) {
	authorize(actor, 'acta.manage', municipalityId);
	return writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		touch(tx, municipalityId, roundId);
		return seatInActaTx(tx, actor, municipalityId, roundId, input);
	});
}

/** Takes a member off the Comité de Vigilancia while the acta is a draft. */
export function unseatFromActa(db: Db, actor: Actor | null, municipalityId: number, roundId: number, id: number) {
	authorize(actor, 'acta.manage', municipalityId);
	writeTx(db, (tx) => {
		draftable(tx, municipalityId, roundId);
		unseatFromActaTx(tx, actor, municipalityId, roundId, id);
	});
}

// ---------------------------------------------------------------- issuing and signing

export const actaContentHash = (c: ActaContent) => sha256Hex(canonicalJson(c as unknown as Record<string, unknown>));

/**
 * Freezes the acta for printing and signature: needs phase Formalización (or later), a signing date and place, at
 * least one prioritised project and a committee. The frozen content (public data only) and its SHA-256 are kept.
 */
export function issueActa(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'acta.manage', municipalityId);
	return writeTx(db, (tx) => {
		const round = draftable(tx, municipalityId, roundId);
		if (!phaseAllowsIssue(round.phase)) throw new UserError('acta.phaseIssue', {}, 409);
		const content = currentActaContent(tx, municipalityId, roundId);
		const problems = issueProblems(content);
		if (problems.length) throw new UserError(problems[0]);
		const contentSha256 = actaContentHash(content);
		touch(tx, municipalityId, roundId, {
			status: 'issued',
			issuedAt: Date.now(),
			issuedByUserId: actor.userId,
			resultVersion: content.result.version,
			content,
			contentSha256
		});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.issued',
			payload: { roundId, resultVersion: content.result.version, contentSha256 }
		});
		return { contentSha256 };
	});
}

/**
 * Back to draft to correct something before it is signed; refused once the signed scan is kept. The issued version is
 * not lost: its content, hash and anchor are kept as a withdrawn version (acta_version), and the withdrawal is an
 * amendment with its reason (public on the acta page, in the audit chain).
 */
export function reopenActa(db: Db, actor: Actor | null, municipalityId: number, roundId: number, reasonInput: unknown) {
	authorize(actor, 'acta.manage', municipalityId);
	const reason = amendmentReason(reasonInput);
	writeTx(db, (tx) => {
		findRound(tx, municipalityId, roundId);
		const row = actaRow(tx, roundId);
		if (row?.status !== 'issued' || !row.content || !row.contentSha256) throw new UserError('acta.notIssued', {}, 409);
		if (row.scanSha256) throw new UserError('acta.signed', {}, 409);
		const anchor = anchorOf(tx, municipalityId, { type: 'acta.issued', roundId });
		const seq = recordAmendment(tx, {
			municipalityId,
			roundId,
			record: 'acta',
			recordId: row.id,
			actorUserId: actor.userId,
			reason,
			changes: [{ field: 'issuedContent', kind: 'file', previous: row.contentSha256, current: null }]
		})!;
		tx.insert(actaVersions)
			.values({
				municipalityId,
				roundId,
				content: row.content,
				contentSha256: row.contentSha256,
				resultVersion: row.resultVersion,
				issuedAt: row.issuedAt ?? row.updatedAt,
				issuedByUserId: row.issuedByUserId,
				anchorSeq: anchor?.seq ?? null,
				anchorHash: anchor?.hash ?? null,
				withdrawnAt: Date.now(),
				withdrawnByUserId: actor.userId,
				reason,
				amendmentSeq: seq
			})
			.run();
		tx.update(roundActas)
			.set({
				status: 'draft',
				content: null,
				contentSha256: null,
				issuedAt: null,
				issuedByUserId: null,
				updatedAt: Date.now()
			})
			.where(eq(roundActas.id, row.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.reopened',
			payload: { roundId, contentSha256: row.contentSha256, reason }
		});
	});
}

export interface ActaVersionView {
	id: number;
	contentSha256: string;
	resultVersion: number | null;
	issuedAt: number;
	anchor: { seq: number; hash: string } | null;
	withdrawnAt: number;
	reason: string;
	amendmentSeq: number;
}

/** The withdrawn (earlier issued) versions of the round's acta, oldest first. Public. */
export function actaVersionsOf(db: Db, municipalityId: number, roundId: number): ActaVersionView[] {
	return db
		.select()
		.from(actaVersions)
		.where(and(eq(actaVersions.municipalityId, municipalityId), eq(actaVersions.roundId, roundId)))
		.orderBy(asc(actaVersions.id))
		.all()
		.map((v) => ({
			id: v.id,
			contentSha256: v.contentSha256,
			resultVersion: v.resultVersion,
			issuedAt: v.issuedAt,
			anchor: v.anchorSeq !== null && v.anchorHash ? { seq: v.anchorSeq, hash: v.anchorHash } : null,
			withdrawnAt: v.withdrawnAt,
			reason: v.reason,
			amendmentSeq: v.amendmentSeq
		}));
}

/** One withdrawn version's document (its frozen content, hash and anchor), for its PDF; null when unknown. */
export function actaVersionDocument(db: Db, municipalityId: number, roundId: number, versionId: number) {
	const v = db
		.select()
		.from(actaVersions)
		.where(
			and(
				eq(actaVersions.id, versionId),
				eq(actaVersions.municipalityId, municipalityId),
				eq(actaVersions.roundId, roundId)
			)
		)
		.get();
	if (!v) return null;
	return {
		content: v.content,
		contentSha256: v.contentSha256,
		anchor: v.anchorSeq !== null && v.anchorHash ? { seq: v.anchorSeq, hash: v.anchorHash } : null,
		withdrawnAt: v.withdrawnAt
	};
}

/** Corrections of the acta (withdrawn versions, replaced signed scans), for the public page. */
export function actaAmendments(db: Db, municipalityId: number, roundId: number): AmendmentView[] {
	const row = actaRow(db, roundId);
	if (!row || row.municipalityId !== municipalityId) return [];
	return amendmentsOf(db, municipalityId, 'acta', [row.id]).get(row.id) ?? [];
}

const scanPath = (municipalityId: number, roundId: number, sha256: string) =>
	join('actas', String(municipalityId), `acta-${roundId}-${sha256.slice(0, 16)}.pdf`);

/**
 * Keeps the signed scan (a PDF, checked by its magic bytes) with its SHA-256; only once issued. Replacing a kept scan
 * is a correction: it needs a reason, the old file stays (officials and auditors can still read it) and its SHA-256
 * stays public as an amendment.
 */
export function uploadActaScan(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	bytes: Uint8Array,
	reasonInput?: unknown
) {
	authorize(actor, 'acta.manage', municipalityId);
	if (!bytes.length) throw new UserError('required', { field: 'actaScan' });
	if (bytes.length > MAX_PDF_BYTES) throw new UserError('upload.pdfTooLarge', { max: MAX_PDF_BYTES / 1024 / 1024 });
	// parsed, not sniffed: a page with %PDF- in front of something else is not a scan (review M4)
	if (!isPdf(bytes)) throw new UserError('upload.notPdf');
	const round = findRound(db, municipalityId, roundId);
	if (!phaseAllowsIssue(round.phase)) throw new UserError('acta.phaseIssue', {}, 409);
	const before = actaRow(db, roundId);
	if (before?.status !== 'issued') throw new UserError('acta.notIssued', {}, 409);
	const sha256 = bytesSha256(bytes);
	const reason = before.scanSha256 ? amendmentReason(reasonInput) : null;
	if (before.scanSha256 === sha256) throw new UserError('acta.sameScan', {}, 409);
	const rel = scanPath(municipalityId, roundId, sha256);
	const abs = join(uploadsDir(), rel);
	mkdirSync(dirname(abs), { recursive: true });
	writeFileSync(abs, bytes);
	writeTx(db, (tx) => {
		const row = actaRow(tx, roundId);
		if (row?.status !== 'issued') throw new UserError('acta.notIssued', {}, 409);
		if (row.scanSha256 && !reason) throw new UserError('required', { field: 'amendmentReason' });
		tx.update(roundActas)
			.set({ scanPath: rel, scanSha256: sha256, scanUploadedAt: Date.now(), updatedAt: Date.now() })
			.where(eq(roundActas.id, row.id))
			.run();
		if (row.scanSha256)
			recordAmendment(tx, {
				municipalityId,
				roundId,
				record: 'acta',
				recordId: row.id,
				actorUserId: actor.userId,
				reason: reason!,
				changes: [{ field: 'scanSha256', kind: 'file', previous: row.scanSha256, current: sha256 }]
			});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'acta.scanUploaded',
			payload: {
				roundId,
				sha256,
				bytes: bytes.length,
				replaces: row.scanSha256 ?? null,
				contentSha256: row.contentSha256
			}
		});
	});
	return { sha256 };
}

/**
 * The signed scan carries handwritten DNIs and signatures: officials and auditors (the Comité de Vigilancia's
 * organisations) may read it; the public sees its SHA-256 and the public PDF.
 */
export function actaScan(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	/** An earlier scan, by its SHA-256 as the amendments list it; omitted: the current one. */
	sha256?: string | null
): { bytes: Buffer; sha256: string } | null {
	authorize(actor, 'acta.readScan', municipalityId);
	findRound(db, municipalityId, roundId);
	const row = actaRow(db, roundId);
	if (!row?.scanPath || !row.scanSha256) return null;
	let rel = row.scanPath;
	let sha = row.scanSha256;
	if (sha256 && sha256 !== row.scanSha256) {
		const replaced = actaAmendments(db, municipalityId, roundId).some(
			(a) => a.field === 'scanSha256' && a.previous === sha256
		);
		if (!replaced) return null;
		rel = scanPath(municipalityId, roundId, sha256);
		sha = sha256;
	}
	const abs = join(uploadsDir(), rel);
	if (!existsSync(abs)) return null;
	return { bytes: readFileSync(abs), sha256: sha };
}
