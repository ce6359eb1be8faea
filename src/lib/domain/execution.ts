/**
 * Follow-up of prioritised projects: the status machine, the traffic light, staleness and the comparison between
 * the published result and the set of projects the municipality actually funds. Pure rules: no storage, no I/O.
 */

export const EXECUTION_STATUSES = [
	'priorizado',
	'en_pia',
	'expediente',
	'en_ejecucion',
	'culminado',
	'postergado',
	'cancelado'
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The ordinary path; postponed and cancelled can be reached from any open status and need a reason. */
export const STATUS_PATH: readonly ExecutionStatus[] = [
	'priorizado',
	'en_pia',
	'expediente',
	'en_ejecucion',
	'culminado'
];
export const STATUSES_NEEDING_REASON: readonly ExecutionStatus[] = ['postergado', 'cancelado'];
export const FINAL_STATUSES: readonly ExecutionStatus[] = ['culminado', 'cancelado'];

/** How a row came to be funded: straight from the result, a reserve-list project funded instead, or part of a split. */
export const EXECUTION_ORIGINS = ['result', 'reserve', 'part'] as const;
export type ExecutionOrigin = (typeof EXECUTION_ORIGINS)[number];

export type Light = 'on_track' | 'late' | 'stopped';

export function isExecutionStatus(v: unknown): v is ExecutionStatus {
	return typeof v === 'string' && (EXECUTION_STATUSES as readonly string[]).includes(v);
}

/**
 * The transition table: which status may follow which in the ordinary course. Forward along the path, one step or
 * skipping a preparatory step (some projects enter the PIA with a finished technical file, so en_pia may go straight
 * to ejecución), but "culminado" only from "en_ejecucion": no jump to the terminal state. Postponed and cancelled can
 * be reached from any open status (with a reason); "postergado" resumes at any open step after "priorizado".
 * Final statuses (culminado, cancelado) do not change again, except by a visible correction (canCorrect).
 */
export const STATUS_TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
	priorizado: ['en_pia', 'expediente', 'postergado', 'cancelado'],
	en_pia: ['expediente', 'en_ejecucion', 'postergado', 'cancelado'],
	expediente: ['en_ejecucion', 'postergado', 'cancelado'],
	en_ejecucion: ['culminado', 'postergado', 'cancelado'],
	postergado: ['en_pia', 'expediente', 'en_ejecucion', 'cancelado'],
	culminado: [],
	cancelado: []
};

export function canMove(from: ExecutionStatus, to: ExecutionStatus): boolean {
	return STATUS_TRANSITIONS[from].includes(to);
}

/**
 * A correction sets the status a project really has when the recorded one was wrong (a reason is required and the
 * previous value stays public). Any other status, except the terminal "culminado": finishing is always the ordinary
 * move from "en_ejecucion", so a correction cannot be used to skip the table.
 */
export function canCorrect(from: ExecutionStatus, to: ExecutionStatus): boolean {
	return from !== to && to !== 'culminado';
}

/** ISO date + n calendar months, clamped to the month's last day (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(isoDate: string, months: number): string {
	const [y, m, d] = isoDate.split('-').map(Number);
	const total = y * 12 + (m - 1) + months;
	const ny = Math.floor(total / 12);
	const nm = total % 12;
	const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
	return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface MilestoneFacts {
	/** ISO date the milestone is due. */
	dueOn: string;
	/** ISO date it was reached; null while pending. */
	doneOn: string | null;
}

export interface LightInput {
	status: ExecutionStatus;
	/** ISO date of the last status change. */
	statusSince: string;
	/** ISO date of the last recorded change of any kind (status, amounts, progress, milestones). */
	lastUpdateOn: string;
	milestones: readonly MilestoneFacts[];
	today: string;
	/** The municipality's setting: months without change after which a project counts as stalled. */
	staleMonths: number;
}

export interface LightOutcome {
	light: Light;
	/** Why, as a stable code the page translates. */
	reason: 'finished' | 'postponed' | 'cancelled' | 'noUpdate' | 'milestoneOverdue' | 'onTrack';
	/** Status unchanged for staleMonths or more (open projects only). */
	stale: boolean;
	/** Pending milestones whose due date has passed. */
	overdueMilestones: number;
}

/**
 * The traffic light, in this order:
 * 1. culminado → on track (finished).
 * 2. postergado or cancelado → stopped.
 * 3. nothing recorded (no status change, no amount, no milestone) for `staleMonths` months → stopped.
 * 4. a milestone past its due date and not reached → late.
 * 5. otherwise → on track.
 * Separately, an open project whose status has not changed for `staleMonths` months is flagged as stale.
 */
export function trafficLight(i: LightInput): LightOutcome {
	const overdueMilestones = i.milestones.filter((m) => !m.doneOn && m.dueOn < i.today).length;
	const open = !FINAL_STATUSES.includes(i.status);
	const stale = open && addMonths(i.statusSince, i.staleMonths) <= i.today;
	const base = { stale, overdueMilestones };
	if (i.status === 'culminado') return { ...base, light: 'on_track', reason: 'finished' };
	if (i.status === 'postergado') return { ...base, light: 'stopped', reason: 'postponed' };
	if (i.status === 'cancelado') return { ...base, light: 'stopped', reason: 'cancelled' };
	if (addMonths(i.lastUpdateOn, i.staleMonths) <= i.today) return { ...base, light: 'stopped', reason: 'noUpdate' };
	if (overdueMilestones > 0) return { ...base, light: 'late', reason: 'milestoneOverdue' };
	return { ...base, light: 'on_track', reason: 'onTrack' };
}

export interface PublishedSelected {
	proposalId: number;
	seq: number;
	title: string;
	costCents: number;
}

export interface FundedRow {
	executionId: number;
	origin: ExecutionOrigin;
	/** The proposal behind the row (for a part: the split project's proposal). */
	proposalId: number;
	title: string;
	status: ExecutionStatus;
	/** The reason recorded with the last status change (required for postponed / cancelled). */
	statusReason: string | null;
	/** For reserve rows: the selected proposal it replaces, or null when it was funded in addition. */
	replacesProposalId: number | null;
	/** For parts: the execution row that was split. */
	parentExecutionId: number | null;
	/** Why this row exists when it is not straight from the result (reserve funded instead, part of a split). */
	reason: string | null;
}

export type Difference =
	| { kind: 'dropped'; proposalId: number; seq: number; title: string; reason: string | null }
	| {
			kind: 'replaced';
			proposalId: number;
			seq: number;
			title: string;
			reason: string | null;
			by: { executionId: number; proposalId: number; title: string; reason: string | null }[];
	  }
	| {
			kind: 'split';
			proposalId: number;
			seq: number;
			title: string;
			parts: { executionId: number; title: string; reason: string | null }[];
	  }
	| { kind: 'missing'; proposalId: number; seq: number; title: string }
	| { kind: 'added'; executionId: number; proposalId: number; title: string; reason: string | null };

/**
 * Compares the published result's selected projects with what the municipality records as funded.
 * - replaced: a selected project cancelled (or never tracked) with a reserve project recorded as funded in its place;
 * - dropped: a selected project cancelled with nothing in its place;
 * - split: a selected project tracked as several parts;
 * - missing: a selected project with no execution row at all (nothing recorded yet counts as a difference only
 *   once tracking has started for the round, i.e. when `rows` is not empty);
 * - added: a reserve project funded without replacing any selected one.
 * Postponed projects are still funded: they show on the traffic light, not here.
 */
export function compareFunded(selected: readonly PublishedSelected[], rows: readonly FundedRow[]): Difference[] {
	const out: Difference[] = [];
	const byProposal = new Map(rows.filter((r) => r.origin === 'result').map((r) => [r.proposalId, r]));
	const replacements = (proposalId: number) =>
		rows
			.filter((r) => r.origin === 'reserve' && r.replacesProposalId === proposalId)
			.map((r) => ({ executionId: r.executionId, proposalId: r.proposalId, title: r.title, reason: r.reason }));
	for (const s of selected) {
		const row = byProposal.get(s.proposalId);
		const by = replacements(s.proposalId);
		if (by.length) {
			out.push({
				kind: 'replaced',
				proposalId: s.proposalId,
				seq: s.seq,
				title: s.title,
				reason: row?.statusReason ?? null,
				by
			});
			continue;
		}
		if (!row) {
			if (rows.length) out.push({ kind: 'missing', proposalId: s.proposalId, seq: s.seq, title: s.title });
			continue;
		}
		if (row.status === 'cancelado') {
			out.push({ kind: 'dropped', proposalId: s.proposalId, seq: s.seq, title: s.title, reason: row.statusReason });
			continue;
		}
		const parts = rows.filter((r) => r.origin === 'part' && r.parentExecutionId === row.executionId);
		if (parts.length)
			out.push({
				kind: 'split',
				proposalId: s.proposalId,
				seq: s.seq,
				title: s.title,
				parts: parts.map((p) => ({ executionId: p.executionId, title: p.title, reason: p.reason }))
			});
	}
	const selectedIds = new Set(selected.map((s) => s.proposalId));
	for (const r of rows)
		if (r.origin === 'reserve' && (r.replacesProposalId === null || !selectedIds.has(r.replacesProposalId)))
			out.push({
				kind: 'added',
				executionId: r.executionId,
				proposalId: r.proposalId,
				title: r.title,
				reason: r.reason
			});
	return out;
}

export interface TotalsRow {
	origin: ExecutionOrigin;
	status: ExecutionStatus;
	budgetedCents: number | null;
	executedCents: number | null;
}

/**
 * Round totals: prioritised = the published result's selected costs; budgeted = what is assigned to projects still
 * funded (cancelled ones excluded); executed = everything spent, cancelled projects included (money spent stays spent).
 */
export function roundTotals(selected: readonly PublishedSelected[], rows: readonly TotalsRow[]) {
	return {
		prioritisedCents: selected.reduce((s, p) => s + p.costCents, 0),
		budgetedCents: rows.filter((r) => r.status !== 'cancelado').reduce((s, r) => s + (r.budgetedCents ?? 0), 0),
		executedCents: rows.reduce((s, r) => s + (r.executedCents ?? 0), 0)
	};
}

/** Invierte.pe Código Único de Inversión: exactly 7 digits. Returns the digits or null. */
export function parseInvestmentCui(input: string): string | null {
	const s = input.replace(/\s/g, '');
	return /^\d{7}$/.test(s) ? s : null;
}

/** Whole percentage 0–100 (a comma or dot decimal is rounded). Null when not a number in range. */
export function parseProgress(input: string): number | null {
	const s = input.trim().replace('%', '').replace(',', '.').trim();
	if (!/^\d{1,3}(\.\d+)?$/.test(s)) return null;
	const n = Math.round(Number(s));
	return n >= 0 && n <= 100 ? n : null;
}

/** An observation's state for the public list: overdue when still open after its deadline. */
export function observationOverdue(
	o: { status: 'open' | 'answered' | 'closed'; dueOn: string },
	today: string
): boolean {
	return o.status === 'open' && o.dueOn < today;
}

/** Terms of art on the public follow-up page that residents get a one-line gloss for, the first time they appear. */
export const FOLLOW_UP_TERMS = ['pia', 'expediente', 'hito', 'cui'] as const;
export type FollowUpTerm = (typeof FOLLOW_UP_TERMS)[number];

/** What a project card shows that carries a term of art. */
export interface GlossFacts {
	status: ExecutionStatus;
	/** The card's light reason names milestones ("2 hitos pasaron su fecha"). */
	milestoneReason: boolean;
	milestones: number;
	investmentCui: string | null;
}

/**
 * For each project card, in page order, the terms first shown on that card (so the page glosses each term once,
 * where a resident first meets it). The status badge names PIA or expediente técnico; the light reason or the
 * milestone list names hito; the figures name CUI (always shown, "—" when missing: the label is there).
 */
export function firstGlosses(cards: readonly GlossFacts[]): FollowUpTerm[][] {
	const seen = new Set<FollowUpTerm>();
	return cards.map((c) => {
		const here: FollowUpTerm[] = [];
		if (c.status === 'en_pia') here.push('pia');
		if (c.status === 'expediente') here.push('expediente');
		if (c.milestoneReason || c.milestones > 0) here.push('hito');
		here.push('cui');
		const fresh = here.filter((term) => !seen.has(term));
		for (const term of fresh) seen.add(term);
		return fresh;
	});
}
