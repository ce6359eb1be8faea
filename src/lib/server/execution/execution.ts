import { and, asc, eq, inArray } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import {
	canCorrect,
	canMove,
	compareFunded,
	EXECUTION_STATUSES,
	isExecutionStatus,
	parseInvestmentCui,
	parseProgress,
	roundTotals,
	STATUSES_NEEDING_REASON,
	trafficLight,
	type Difference,
	type ExecutionOrigin,
	type ExecutionStatus,
	type LightOutcome,
	type PublishedSelected
} from '../../domain/execution';
import { writeTx, type Db } from '../db/client';
import {
	executionHistory,
	executionMilestones,
	executionPhotos,
	executionSettings,
	projectExecutions,
	proposals,
	zones
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { amendmentReason, amendmentsOf, recordAmendment, type AmendmentView } from '../amendments';
import { changesBetween } from '../../domain/amendments';
import { authorize, type Actor } from '../platform/policy';
import { publishedResult, type Snapshot } from '../results';
import { findRound } from '../rounds';
import { limaToday } from '../../domain/clock';
import { formatSoles } from '../../i18n/format';
import { moneyField, optionalText, requireDate, requireText, ML } from '../platform/validation';
import type { PreparedPhoto } from '../platform/uploads';

export type Execution = typeof projectExecutions.$inferSelect;

// ---------------------------------------------------------------- settings

export interface ExecutionSettings {
	staleMonths: number;
	responseDays: number;
}

export function getExecutionSettings(db: Db, municipalityId: number): ExecutionSettings {
	const row = db.select().from(executionSettings).where(eq(executionSettings.municipalityId, municipalityId)).get();
	return { staleMonths: row?.staleMonths ?? 6, responseDays: row?.responseDays ?? 15 };
}

function intInRange(value: unknown, field: string, min: number, max: number): number {
	const s = typeof value === 'string' ? value.trim() : String(value ?? '');
	if (!/^\d{1,4}$/.test(s) || Number(s) < min || Number(s) > max)
		throw new UserError('execution.range', { field, min, max });
	return Number(s);
}

export function saveExecutionSettings(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	input: { staleMonths: unknown; responseDays: unknown }
): ExecutionSettings {
	authorize(actor, 'execution.manage', municipalityId);
	const s = {
		staleMonths: intInRange(input.staleMonths, 'execution.staleMonths', 1, 36),
		responseDays: intInRange(input.responseDays, 'execution.responseDays', 1, 120)
	};
	writeTx(db, (tx) => {
		const values = { ...s, municipalityId, updatedAt: Date.now() };
		tx.insert(executionSettings)
			.values(values)
			.onConflictDoUpdate({ target: executionSettings.municipalityId, set: values })
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.settingsUpdated',
			payload: { ...s }
		});
	});
	return s;
}

// ---------------------------------------------------------------- published result

export interface ResultRow extends PublishedSelected {
	budgetZoneId: number | null;
	zoneName: string | null;
	selected: boolean;
}

/** Every ranked row of the published snapshot (selected and reserve), in ranking order per budget. */
export function resultRows(snapshot: Snapshot): ResultRow[] {
	return snapshot.parsed.budgets.flatMap((b) =>
		b.rows.map((r) => ({
			proposalId: r.proposalId,
			seq: r.seq,
			title: r.title,
			costCents: r.costCents,
			selected: r.selected,
			budgetZoneId: b.budgetZoneId,
			zoneName: b.zoneName
		}))
	);
}

function requirePublished(db: Db, municipalityId: number, roundId: number): Snapshot {
	findRound(db, municipalityId, roundId);
	const pub = publishedResult(db, municipalityId, roundId);
	if (!pub) throw new UserError('execution.notPublished', {}, 409);
	return pub.snapshot;
}

// ---------------------------------------------------------------- commands

function validDate(value: unknown, field: string, today: string): string {
	const s = typeof value === 'string' ? value.trim() : '';
	if (!s) return today;
	const d = requireDate(s, field);
	if (d > today) throw new UserError('execution.futureDate', { field });
	return d;
}

function historyRow(
	tx: Db,
	e: Execution,
	kind: (typeof executionHistory.$inferInsert)['kind'],
	onDate: string,
	actor: Actor,
	note: string | null = null
) {
	tx.insert(executionHistory)
		.values({
			executionId: e.id,
			kind,
			onDate,
			status: e.status,
			statusReason: e.statusReason,
			investmentCui: e.investmentCui,
			budgetedCents: e.budgetedCents,
			executedCents: e.executedCents,
			progressPct: e.progressPct,
			note,
			recordedAt: Date.now(),
			recordedByUserId: actor.userId
		})
		.run();
}

function insertExecution(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	roundId: number,
	values: {
		proposalId: number;
		origin: ExecutionOrigin;
		title?: string | null;
		replacesProposalId?: number | null;
		parentExecutionId?: number | null;
		reason?: string | null;
		budgetedCents?: number | null;
	},
	today: string
) {
	const now = Date.now();
	const e = tx
		.insert(projectExecutions)
		.values({
			municipalityId,
			roundId,
			status: 'priorizado',
			statusSince: today,
			lastUpdateOn: today,
			progressPct: 0,
			createdAt: now,
			updatedAt: now,
			...values
		})
		.returning()
		.get();
	historyRow(tx, e, 'created', today, actor, values.reason ?? null);
	return e;
}

/**
 * Starts follow-up for a published round: one row per selected project not yet tracked (status "priorizado",
 * budgeted amount = the cost in the result until the official records the PIA figure). Idempotent.
 */
export function startTracking(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	today = limaToday()
): number {
	authorize(actor, 'execution.manage', municipalityId);
	return writeTx(db, (tx) => {
		const snapshot = requirePublished(tx, municipalityId, roundId);
		const tracked = new Set(
			tx
				.select({ p: projectExecutions.proposalId })
				.from(projectExecutions)
				.where(and(eq(projectExecutions.roundId, roundId), eq(projectExecutions.origin, 'result')))
				.all()
				.map((r) => r.p)
		);
		const fresh = resultRows(snapshot).filter((r) => r.selected && !tracked.has(r.proposalId));
		for (const r of fresh)
			insertExecution(tx, actor, municipalityId, roundId, { proposalId: r.proposalId, origin: 'result' }, today);
		if (fresh.length)
			appendAudit(tx, {
				municipalityId,
				actorUserId: actor.userId,
				type: 'execution.started',
				payload: { roundId, snapshotVersion: snapshot.version, proposals: fresh.map((r) => r.proposalId) }
			});
		return fresh.length;
	});
}

function findExecutionTx(tx: Db, municipalityId: number, roundId: number, executionId: number): Execution {
	const e = Number.isInteger(executionId)
		? tx
				.select()
				.from(projectExecutions)
				.where(
					and(
						eq(projectExecutions.id, executionId),
						eq(projectExecutions.roundId, roundId),
						eq(projectExecutions.municipalityId, municipalityId)
					)
				)
				.get()
		: undefined;
	if (!e) throw new UserError('notFound', {}, 404);
	return e;
}

export function changeStatus(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	input: { to: unknown; reason: unknown; onDate: unknown },
	today = limaToday()
): Execution {
	authorize(actor, 'execution.manage', municipalityId);
	if (!isExecutionStatus(input.to)) throw new UserError('execution.status');
	const to: ExecutionStatus = input.to;
	const reason = STATUSES_NEEDING_REASON.includes(to)
		? requireText(input.reason, 'execution.statusReason', 1000, ML)
		: optionalText(input.reason, 'execution.statusReason', 1000, ML);
	const onDate = validDate(input.onDate, 'execution.statusDate', today);
	return writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		if (!canMove(e.status, to)) throw new UserError('execution.move', { from: e.status, to }, 409);
		if (onDate < e.statusSince) throw new UserError('execution.beforeLast', { date: e.statusSince });
		const progressPct = to === 'culminado' ? 100 : e.progressPct;
		const updated = tx
			.update(projectExecutions)
			.set({
				status: to,
				statusReason: reason,
				statusSince: onDate,
				progressPct,
				lastUpdateOn: onDate > e.lastUpdateOn ? onDate : e.lastUpdateOn,
				updatedAt: Date.now()
			})
			.where(eq(projectExecutions.id, e.id))
			.returning()
			.get();
		historyRow(tx, updated, 'status', onDate, actor);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.statusChanged',
			payload: { roundId, executionId: e.id, proposalId: e.proposalId, from: e.status, to, reason, onDate }
		});
		return updated;
	});
}

const FIGURE_FIELDS = {
	progressPct: 'percent',
	budgetedCents: 'money',
	executedCents: 'money',
	investmentCui: 'text'
} as const;

/**
 * Corrects a status recorded by mistake (including a final one): the previous status stays public beside the new one,
 * with the reason, and the correction is in the audit chain. It never lands on "culminado" (see canCorrect). Progress
 * follows: a project corrected away from "culminado" keeps its figure until the official corrects that too.
 */
export function correctStatus(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	input: { to: unknown; reason: unknown },
	today = limaToday()
): Execution {
	authorize(actor, 'execution.manage', municipalityId);
	if (!isExecutionStatus(input.to)) throw new UserError('execution.status');
	const to: ExecutionStatus = input.to;
	const reason = amendmentReason(input.reason);
	return writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		if (!canCorrect(e.status, to)) throw new UserError('execution.correctTo', { from: e.status, to }, 409);
		const updated = tx
			.update(projectExecutions)
			.set({
				status: to,
				statusReason: reason,
				statusSince: today > e.statusSince ? today : e.statusSince,
				lastUpdateOn: today > e.lastUpdateOn ? today : e.lastUpdateOn,
				updatedAt: Date.now()
			})
			.where(eq(projectExecutions.id, e.id))
			.returning()
			.get();
		historyRow(tx, updated, 'correction', today, actor, reason);
		recordAmendment(tx, {
			municipalityId,
			roundId,
			record: 'execution',
			recordId: e.id,
			actorUserId: actor.userId,
			reason,
			changes: [{ field: 'status', kind: 'executionStatus', previous: e.status, current: to }]
		});
		return updated;
	});
}

/** Corrects a milestone's title, due date or date reached; the previous values stay public. */
export function correctMilestone(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	milestoneId: number,
	input: { title: unknown; dueOn: unknown; doneOn: unknown; reason: unknown },
	today = limaToday()
) {
	authorize(actor, 'execution.manage', municipalityId);
	const reason = amendmentReason(input.reason);
	const title = optionalText(input.title, 'execution.milestoneTitle', 200) ?? undefined;
	const dueRaw = typeof input.dueOn === 'string' ? input.dueOn.trim() : '';
	const dueOn = dueRaw ? requireDate(dueRaw, 'execution.milestoneDue') : undefined;
	const doneRaw = typeof input.doneOn === 'string' ? input.doneOn.trim() : '';
	const doneOn = doneRaw ? validDate(doneRaw, 'execution.milestoneDone', today) : undefined;
	writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		const m = tx
			.select()
			.from(executionMilestones)
			.where(and(eq(executionMilestones.id, milestoneId), eq(executionMilestones.executionId, e.id)))
			.get();
		if (!m) throw new UserError('notFound', {}, 404);
		if (doneOn !== undefined && !m.doneOn) throw new UserError('execution.milestoneNotDone', {}, 409);
		const changes = changesBetween(m, { title, dueOn, doneOn }, { title: 'text', dueOn: 'date', doneOn: 'date' });
		if (!changes.length) throw new UserError('execution.nothingToSave');
		tx.update(executionMilestones)
			.set({
				...(title !== undefined ? { title } : {}),
				...(dueOn !== undefined ? { dueOn } : {}),
				...(doneOn !== undefined ? { doneOn } : {})
			})
			.where(eq(executionMilestones.id, m.id))
			.run();
		historyRow(tx, e, 'correction', today, actor, reason);
		recordAmendment(tx, {
			municipalityId,
			roundId,
			record: 'milestone',
			recordId: m.id,
			actorUserId: actor.userId,
			reason,
			changes
		});
	});
}

function optionalMoney(value: unknown, field: string): number | null | undefined {
	return moneyField(value, field, { rename: { 'money.format': 'execution.money' } }) ?? undefined;
}

/** Investment code, budgeted and executed amounts, physical progress. Blank fields keep their value. */
export function updateFigures(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	input: {
		investmentCui: unknown;
		budgeted: unknown;
		executed: unknown;
		progress: unknown;
		onDate: unknown;
		/** Given: the new values correct wrong ones (recorded as a public amendment). */
		correctionReason?: unknown;
	},
	today = limaToday()
): Execution {
	authorize(actor, 'execution.manage', municipalityId);
	const correction =
		typeof input.correctionReason === 'string' && input.correctionReason.trim()
			? amendmentReason(input.correctionReason)
			: null;
	const cuiRaw = typeof input.investmentCui === 'string' ? input.investmentCui.trim() : '';
	const investmentCui = cuiRaw ? parseInvestmentCui(cuiRaw) : undefined;
	if (investmentCui === null) throw new UserError('execution.investmentCui');
	const budgetedCents = optionalMoney(input.budgeted, 'execution.budgeted');
	const executedCents = optionalMoney(input.executed, 'execution.executed');
	const progRaw = typeof input.progress === 'string' ? input.progress.trim() : '';
	const progressPct = progRaw ? parseProgress(progRaw) : undefined;
	if (progressPct === null) throw new UserError('execution.progress');
	const onDate = validDate(input.onDate, 'execution.figuresDate', today);
	if (
		investmentCui === undefined &&
		budgetedCents === undefined &&
		executedCents === undefined &&
		progressPct === undefined
	)
		throw new UserError('execution.nothingToSave');
	return writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		if (e.status === 'cancelado' && progressPct !== undefined) throw new UserError('execution.cancelled', {}, 409);
		// Published progress only goes forward; a lower figure is a correction, which must say why (and stays visible).
		if (!correction && progressPct !== undefined && progressPct < e.progressPct)
			throw new UserError('execution.progressBackwards', { from: e.progressPct }, 409);
		// So does the amount executed (spending accumulates), and a published CUI is replaced only by a correction.
		if (!correction && typeof executedCents === 'number' && e.executedCents !== null && executedCents < e.executedCents)
			throw new UserError('execution.executedBackwards', { from: formatSoles(e.executedCents) }, 409);
		if (!correction && investmentCui !== undefined && e.investmentCui && investmentCui !== e.investmentCui)
			throw new UserError('execution.cuiPublished', { from: e.investmentCui }, 409);
		const set = {
			...(investmentCui !== undefined ? { investmentCui } : {}),
			...(budgetedCents !== undefined ? { budgetedCents } : {}),
			...(executedCents !== undefined ? { executedCents } : {}),
			...(progressPct !== undefined ? { progressPct } : {})
		};
		const updated = tx
			.update(projectExecutions)
			.set({ ...set, lastUpdateOn: onDate > e.lastUpdateOn ? onDate : e.lastUpdateOn, updatedAt: Date.now() })
			.where(eq(projectExecutions.id, e.id))
			.returning()
			.get();
		historyRow(tx, updated, correction ? 'correction' : 'figures', onDate, actor, correction);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.figuresUpdated',
			payload: { roundId, executionId: e.id, proposalId: e.proposalId, ...set, onDate }
		});
		if (correction)
			recordAmendment(tx, {
				municipalityId,
				roundId,
				record: 'execution',
				recordId: e.id,
				actorUserId: actor.userId,
				reason: correction,
				changes: changesBetween(e, set, FIGURE_FIELDS)
			});
		return updated;
	});
}

export function addMilestone(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	input: { title: unknown; dueOn: unknown; doneOn: unknown; note: unknown },
	photos: PreparedPhoto[],
	today = limaToday()
) {
	authorize(actor, 'execution.manage', municipalityId);
	const title = requireText(input.title, 'execution.milestoneTitle', 200);
	const dueOn = requireDate(input.dueOn, 'execution.milestoneDue');
	const doneRaw = typeof input.doneOn === 'string' ? input.doneOn.trim() : '';
	const doneOn = doneRaw ? validDate(doneRaw, 'execution.milestoneDone', today) : null;
	const note = optionalText(input.note, 'execution.milestoneNote', 1000, ML);
	if (photos.length > 3) throw new UserError('upload.tooManyPhotos', { max: 3 });
	return writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		const now = Date.now();
		const m = tx
			.insert(executionMilestones)
			.values({ executionId: e.id, title, dueOn, doneOn, note, createdAt: now, createdByUserId: actor.userId })
			.returning()
			.get();
		// Every check passed: only now do the photos reach the disk.
		for (const ph of photos) {
			ph.write();
			tx.insert(executionPhotos)
				.values({
					municipalityId,
					milestoneId: m.id,
					filePath: ph.path,
					sha256: ph.sha256,
					mimeType: ph.mimeType,
					width: ph.width,
					height: ph.height,
					bytes: ph.bytes,
					createdAt: now
				})
				.run();
		}
		const updated = tx
			.update(projectExecutions)
			.set({ lastUpdateOn: today > e.lastUpdateOn ? today : e.lastUpdateOn, updatedAt: now })
			.where(eq(projectExecutions.id, e.id))
			.returning()
			.get();
		historyRow(tx, updated, 'milestone', doneOn ?? today, actor, title);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.milestoneAdded',
			payload: {
				roundId,
				executionId: e.id,
				milestoneId: m.id,
				title,
				dueOn,
				doneOn,
				photos: photos.map((p) => p.sha256)
			}
		});
		return m;
	});
}

export function completeMilestone(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	milestoneId: number,
	input: { doneOn: unknown },
	photos: PreparedPhoto[],
	today = limaToday()
) {
	authorize(actor, 'execution.manage', municipalityId);
	const doneOn = validDate(input.doneOn, 'execution.milestoneDone', today);
	if (photos.length > 3) throw new UserError('upload.tooManyPhotos', { max: 3 });
	writeTx(db, (tx) => {
		const e = findExecutionTx(tx, municipalityId, roundId, executionId);
		const m = tx
			.select()
			.from(executionMilestones)
			.where(and(eq(executionMilestones.id, milestoneId), eq(executionMilestones.executionId, e.id)))
			.get();
		if (!m) throw new UserError('notFound', {}, 404);
		if (m.doneOn) throw new UserError('execution.milestoneDone', {}, 409);
		const now = Date.now();
		tx.update(executionMilestones).set({ doneOn }).where(eq(executionMilestones.id, m.id)).run();
		// Every check passed: only now do the photos reach the disk.
		for (const ph of photos) {
			ph.write();
			tx.insert(executionPhotos)
				.values({
					municipalityId,
					milestoneId: m.id,
					filePath: ph.path,
					sha256: ph.sha256,
					mimeType: ph.mimeType,
					width: ph.width,
					height: ph.height,
					bytes: ph.bytes,
					createdAt: now
				})
				.run();
		}
		const updated = tx
			.update(projectExecutions)
			.set({ lastUpdateOn: doneOn > e.lastUpdateOn ? doneOn : e.lastUpdateOn, updatedAt: now })
			.where(eq(projectExecutions.id, e.id))
			.returning()
			.get();
		historyRow(tx, updated, 'milestoneDone', doneOn, actor, m.title);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.milestoneReached',
			payload: { roundId, executionId: e.id, milestoneId: m.id, doneOn, photos: photos.map((p) => p.sha256) }
		});
	});
}

/**
 * Funds a reserve-list project of the published result, in place of a selected one (which is then cancelled with
 * the same reason, if still open) or in addition to the result (replaces = null). The reason is public.
 */
export function fundReserve(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { reserveProposalId: unknown; replacesProposalId: unknown; reason: unknown },
	today = limaToday()
): Execution {
	authorize(actor, 'execution.manage', municipalityId);
	const reason = requireText(input.reason, 'execution.fundingReason', 1000, ML);
	const reserveId = Number(input.reserveProposalId);
	const replacesRaw = String(input.replacesProposalId ?? '').trim();
	const replacesId = replacesRaw ? Number(replacesRaw) : null;
	return writeTx(db, (tx) => {
		const rows = resultRows(requirePublished(tx, municipalityId, roundId));
		const reserve = rows.find((r) => r.proposalId === reserveId && !r.selected);
		if (!reserve) throw new UserError('execution.notReserve');
		const already = tx
			.select()
			.from(projectExecutions)
			.where(and(eq(projectExecutions.roundId, roundId), eq(projectExecutions.proposalId, reserveId)))
			.get();
		if (already) throw new UserError('execution.alreadyFunded', {}, 409);
		if (replacesId !== null) {
			const target = rows.find((r) => r.proposalId === replacesId && r.selected);
			if (!target) throw new UserError('execution.notSelected');
			const existing = tx
				.select()
				.from(projectExecutions)
				.where(
					and(
						eq(projectExecutions.roundId, roundId),
						eq(projectExecutions.proposalId, replacesId),
						eq(projectExecutions.origin, 'result')
					)
				)
				.get();
			if (existing && existing.status !== 'cancelado') {
				if (existing.status === 'culminado') throw new UserError('execution.finished', {}, 409);
				const cancelled = tx
					.update(projectExecutions)
					.set({
						status: 'cancelado',
						statusReason: reason,
						statusSince: today,
						lastUpdateOn: today,
						updatedAt: Date.now()
					})
					.where(eq(projectExecutions.id, existing.id))
					.returning()
					.get();
				historyRow(tx, cancelled, 'status', today, actor);
				appendAudit(tx, {
					municipalityId,
					actorUserId: actor.userId,
					type: 'execution.statusChanged',
					payload: {
						roundId,
						executionId: existing.id,
						proposalId: replacesId,
						from: existing.status,
						to: 'cancelado',
						reason,
						onDate: today
					}
				});
			}
		}
		const e = insertExecution(
			tx,
			actor,
			municipalityId,
			roundId,
			{ proposalId: reserveId, origin: 'reserve', replacesProposalId: replacesId, reason },
			today
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.reserveFunded',
			payload: { roundId, executionId: e.id, proposalId: reserveId, replacesProposalId: replacesId, reason }
		});
		return e;
	});
}

/** Records that a funded project is being carried out as several investments: adds one part with its own title. */
export function addPart(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	executionId: number,
	input: { title: unknown; reason: unknown },
	today = limaToday()
): Execution {
	authorize(actor, 'execution.manage', municipalityId);
	const title = requireText(input.title, 'execution.partTitle', 200);
	const reason = requireText(input.reason, 'execution.splitReason', 1000, ML);
	return writeTx(db, (tx) => {
		const parent = findExecutionTx(tx, municipalityId, roundId, executionId);
		if (parent.origin === 'part') throw new UserError('execution.partOfPart');
		const e = insertExecution(
			tx,
			actor,
			municipalityId,
			roundId,
			{ proposalId: parent.proposalId, origin: 'part', title, parentExecutionId: parent.id, reason },
			today
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'execution.split',
			payload: {
				roundId,
				executionId: e.id,
				parentExecutionId: parent.id,
				proposalId: parent.proposalId,
				title,
				reason
			}
		});
		return e;
	});
}

// ---------------------------------------------------------------- reading

export interface PublicMilestone {
	id: number;
	title: string;
	dueOn: string;
	doneOn: string | null;
	note: string | null;
	overdue: boolean;
	photos: { id: number; width: number; height: number; sha256: string }[];
	amendments: AmendmentView[];
}

export interface PublicProject {
	executionId: number;
	proposalId: number;
	seq: number;
	title: string;
	zoneName: string | null;
	origin: ExecutionOrigin;
	reason: string | null;
	replacesProposalId: number | null;
	parentExecutionId: number | null;
	status: ExecutionStatus;
	statusReason: string | null;
	statusSince: string;
	lastUpdateOn: string;
	investmentCui: string | null;
	prioritisedCents: number | null;
	budgetedCents: number | null;
	executedCents: number | null;
	progressPct: number;
	light: LightOutcome;
	milestones: PublicMilestone[];
	/** Corrections of the status and figures, oldest first. */
	amendments: AmendmentView[];
}

export interface PublicExecution {
	published: boolean;
	snapshotVersion: number | null;
	settings: ExecutionSettings;
	today: string;
	projects: PublicProject[];
	/** Selected projects of the result, for officials' forms and the comparison. */
	selected: ResultRow[];
	/** Reserve-list projects of the result, not funded. */
	reserve: ResultRow[];
	totals: { prioritisedCents: number; budgetedCents: number; executedCents: number };
	differences: Difference[];
	tracking: boolean;
}

/** Everything the public page shows: no personal data (projects, money, dates, milestone photos). */
export function roundExecution(db: Db, municipalityId: number, roundId: number, today = limaToday()): PublicExecution {
	findRound(db, municipalityId, roundId);
	const settings = getExecutionSettings(db, municipalityId);
	const pub = publishedResult(db, municipalityId, roundId);
	if (!pub)
		return {
			published: false,
			snapshotVersion: null,
			settings,
			today,
			projects: [],
			selected: [],
			reserve: [],
			totals: { prioritisedCents: 0, budgetedCents: 0, executedCents: 0 },
			differences: [],
			tracking: false
		};
	const rows = resultRows(pub.snapshot);
	const byProposal = new Map(rows.map((r) => [r.proposalId, r]));
	const execs = db
		.select()
		.from(projectExecutions)
		.where(and(eq(projectExecutions.roundId, roundId), eq(projectExecutions.municipalityId, municipalityId)))
		.orderBy(asc(projectExecutions.id))
		.all();
	const ids = execs.map((e) => e.id);
	const milestones = ids.length
		? db
				.select()
				.from(executionMilestones)
				.where(inArray(executionMilestones.executionId, ids))
				.orderBy(asc(executionMilestones.dueOn), asc(executionMilestones.id))
				.all()
		: [];
	const mIds = milestones.map((m) => m.id);
	const photos = mIds.length
		? db
				.select()
				.from(executionPhotos)
				.where(inArray(executionPhotos.milestoneId, mIds))
				.orderBy(asc(executionPhotos.id))
				.all()
		: [];
	const execAmendments = amendmentsOf(db, municipalityId, 'execution', ids);
	const milestoneAmendments = amendmentsOf(db, municipalityId, 'milestone', mIds);
	const propIds = [...new Set(execs.map((e) => e.proposalId))];
	const props = propIds.length
		? db
				.select({
					id: proposals.id,
					seq: proposals.seq,
					title: proposals.title,
					zoneName: zones.name,
					cost: proposals.adjustedCostCents,
					est: proposals.estimatedCostCents
				})
				.from(proposals)
				.leftJoin(zones, eq(zones.id, proposals.zoneId))
				.where(inArray(proposals.id, propIds))
				.all()
		: [];
	const propById = new Map(props.map((p) => [p.id, p]));
	const projects: PublicProject[] = execs.map((e) => {
		const ms = milestones.filter((m) => m.executionId === e.id);
		const r = byProposal.get(e.proposalId);
		const p = propById.get(e.proposalId);
		return {
			executionId: e.id,
			proposalId: e.proposalId,
			seq: r?.seq ?? p?.seq ?? 0,
			title: e.origin === 'part' ? (e.title ?? '') : (r?.title ?? p?.title ?? ''),
			zoneName: r ? r.zoneName : (p?.zoneName ?? null),
			origin: e.origin,
			reason: e.reason,
			replacesProposalId: e.replacesProposalId,
			parentExecutionId: e.parentExecutionId,
			status: e.status,
			statusReason: e.statusReason,
			statusSince: e.statusSince,
			lastUpdateOn: e.lastUpdateOn,
			investmentCui: e.investmentCui,
			prioritisedCents: e.origin === 'part' ? null : (r?.costCents ?? null),
			budgetedCents: e.budgetedCents,
			executedCents: e.executedCents,
			progressPct: e.progressPct,
			light: trafficLight({
				status: e.status,
				statusSince: e.statusSince,
				lastUpdateOn: e.lastUpdateOn,
				milestones: ms,
				today,
				staleMonths: settings.staleMonths
			}),
			milestones: ms.map((m) => ({
				id: m.id,
				title: m.title,
				dueOn: m.dueOn,
				doneOn: m.doneOn,
				note: m.note,
				overdue: !m.doneOn && m.dueOn < today,
				photos: photos
					.filter((ph) => ph.milestoneId === m.id)
					.map((ph) => ({ id: ph.id, width: ph.width, height: ph.height, sha256: ph.sha256 })),
				amendments: milestoneAmendments.get(m.id) ?? []
			})),
			amendments: execAmendments.get(e.id) ?? []
		};
	});
	const selected = rows.filter((r) => r.selected);
	const funded = new Set(execs.map((e) => e.proposalId));
	return {
		published: true,
		snapshotVersion: pub.snapshot.version,
		settings,
		today,
		projects,
		selected,
		reserve: rows.filter((r) => !r.selected && !funded.has(r.proposalId)),
		totals: roundTotals(selected, execs),
		differences: compareFunded(
			selected,
			projects.map((p) => ({
				executionId: p.executionId,
				origin: p.origin,
				proposalId: p.proposalId,
				title: p.title,
				status: p.status,
				statusReason: p.statusReason,
				replacesProposalId: p.replacesProposalId,
				parentExecutionId: p.parentExecutionId,
				reason: p.reason
			}))
		),
		tracking: execs.length > 0
	};
}

/** The execution history of a round, one row per recorded change (open data: no personal data, no user ids). */
export function executionHistoryRows(db: Db, municipalityId: number, roundId: number) {
	const pe = roundExecution(db, municipalityId, roundId);
	const byId = new Map(pe.projects.map((p) => [p.executionId, p]));
	if (!byId.size) return [];
	const rows = db
		.select()
		.from(executionHistory)
		.where(inArray(executionHistory.executionId, [...byId.keys()]))
		.orderBy(asc(executionHistory.id))
		.all();
	return rows.map((h) => {
		const p = byId.get(h.executionId)!;
		return {
			execution_id: h.executionId,
			proposal: p.seq,
			title: p.title,
			origin: p.origin,
			change: h.kind,
			on_date: h.onDate,
			recorded_at: new Date(h.recordedAt).toISOString(),
			status: h.status,
			status_reason: h.statusReason ?? '',
			investment_cui: h.investmentCui ?? '',
			budgeted_soles: h.budgetedCents === null ? '' : (h.budgetedCents / 100).toFixed(2),
			executed_soles: h.executedCents === null ? '' : (h.executedCents / 100).toFixed(2),
			progress_pct: h.progressPct,
			note: h.note ?? ''
		};
	});
}

export const EXECUTION_CSV_COLUMNS = [
	'execution_id',
	'proposal',
	'title',
	'origin',
	'change',
	'on_date',
	'recorded_at',
	'status',
	'status_reason',
	'investment_cui',
	'budgeted_soles',
	'executed_soles',
	'progress_pct',
	'note'
];

export function findExecutionPhoto(db: Db, municipalityId: number, roundId: number, photoId: number) {
	if (!Number.isInteger(photoId)) return undefined;
	return db
		.select({ filePath: executionPhotos.filePath, mimeType: executionPhotos.mimeType })
		.from(executionPhotos)
		.innerJoin(executionMilestones, eq(executionMilestones.id, executionPhotos.milestoneId))
		.innerJoin(projectExecutions, eq(projectExecutions.id, executionMilestones.executionId))
		.where(
			and(
				eq(executionPhotos.id, photoId),
				eq(executionPhotos.municipalityId, municipalityId),
				eq(projectExecutions.roundId, roundId)
			)
		)
		.get();
}

/** Open projects across every round of the municipality (for the handover summary). */
export function openExecutions(db: Db, municipalityId: number) {
	return db
		.select({
			id: projectExecutions.id,
			roundId: projectExecutions.roundId,
			status: projectExecutions.status,
			proposalId: projectExecutions.proposalId,
			title: projectExecutions.title,
			origin: projectExecutions.origin,
			statusSince: projectExecutions.statusSince,
			progressPct: projectExecutions.progressPct,
			proposalTitle: proposals.title,
			seq: proposals.seq
		})
		.from(projectExecutions)
		.innerJoin(proposals, eq(proposals.id, projectExecutions.proposalId))
		.where(
			and(
				eq(projectExecutions.municipalityId, municipalityId),
				inArray(projectExecutions.status, ['priorizado', 'en_pia', 'expediente', 'en_ejecucion', 'postergado'])
			)
		)
		.orderBy(asc(projectExecutions.roundId), asc(projectExecutions.id))
		.all();
}

/** One project for the officials' page: its public view, the history and the statuses it may move to. */
export function executionDetail(db: Db, municipalityId: number, roundId: number, executionId: number) {
	const x = roundExecution(db, municipalityId, roundId);
	const project = x.projects.find((p) => p.executionId === executionId);
	if (!project) throw new UserError('notFound', {}, 404);
	const history = executionHistoryRows(db, municipalityId, roundId).filter((h) => h.execution_id === executionId);
	return {
		project,
		history,
		settings: x.settings,
		today: x.today,
		targets: EXECUTION_STATUSES.filter((s) => canMove(project.status, s)),
		corrections: EXECUTION_STATUSES.filter((s) => canCorrect(project.status, s))
	};
}
