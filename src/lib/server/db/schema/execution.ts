import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { users } from './people';
import { rounds } from './rounds';
import { proposals } from './proposals';
import { EXECUTION_ORIGINS, EXECUTION_STATUSES } from '../../../domain/execution';

/** Per-municipality follow-up settings. */
export const executionSettings = sqliteTable('execution_setting', {
	municipalityId: integer('municipality_id')
		.primaryKey()
		.references(() => municipalities.id),
	/** Months without a status change after which a project is flagged (and without any update: stopped). */
	staleMonths: integer('stale_months').notNull().default(6),
	/** Default days the municipality has to answer an observation. */
	responseDays: integer('response_days').notNull().default(15),
	updatedAt: integer('updated_at').notNull()
});

/** One funded project of a published round (a selected one, a reserve one funded instead, or a part of a split). */
export const projectExecutions = sqliteTable(
	'project_execution',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposals.id),
		origin: text('origin', { enum: EXECUTION_ORIGINS }).notNull(),
		/** Title of a part (a split project's piece); others show the proposal's title. */
		title: text('title'),
		/** Reserve row: the selected proposal it replaces (null = funded in addition). */
		replacesProposalId: integer('replaces_proposal_id').references(() => proposals.id),
		/** Part row: the execution it was split from. */
		parentExecutionId: integer('parent_execution_id'),
		/** Why a reserve row or part exists (required for those). */
		reason: text('reason'),
		status: text('status', { enum: EXECUTION_STATUSES }).notNull().default('priorizado'),
		statusReason: text('status_reason'),
		/** ISO date the current status took effect. */
		statusSince: text('status_since').notNull(),
		/** Invierte.pe Código Único de Inversión (7 digits) — never a bare "cui". */
		investmentCui: text('investment_cui'),
		budgetedCents: integer('budgeted_cents'),
		executedCents: integer('executed_cents'),
		progressPct: integer('progress_pct').notNull().default(0),
		/** ISO date of the last recorded change of any kind. */
		lastUpdateOn: text('last_update_on').notNull(),
		createdAt: integer('created_at').notNull(),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [index('project_execution_round').on(t.roundId), index('project_execution_proposal').on(t.proposalId)]
);

export const EXECUTION_CHANGE_KINDS = [
	'created',
	'status',
	'figures',
	'milestone',
	'milestoneDone',
	'correction'
] as const;

/** Every change, with the values after it: the execution history (public, open data). */
export const executionHistory = sqliteTable(
	'execution_history',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		executionId: integer('execution_id')
			.notNull()
			.references(() => projectExecutions.id),
		kind: text('kind', { enum: EXECUTION_CHANGE_KINDS }).notNull(),
		/** ISO date the change took effect (as recorded by the official). */
		onDate: text('on_date').notNull(),
		status: text('status', { enum: EXECUTION_STATUSES }).notNull(),
		statusReason: text('status_reason'),
		investmentCui: text('investment_cui'),
		budgetedCents: integer('budgeted_cents'),
		executedCents: integer('executed_cents'),
		progressPct: integer('progress_pct').notNull(),
		note: text('note'),
		recordedAt: integer('recorded_at').notNull(),
		recordedByUserId: integer('recorded_by_user_id').references(() => users.id)
	},
	(t) => [index('execution_history_execution').on(t.executionId)]
);

export const executionMilestones = sqliteTable(
	'execution_milestone',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		executionId: integer('execution_id')
			.notNull()
			.references(() => projectExecutions.id),
		title: text('title').notNull(),
		dueOn: text('due_on').notNull(),
		doneOn: text('done_on'),
		note: text('note'),
		createdAt: integer('created_at').notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id)
	},
	(t) => [index('execution_milestone_execution').on(t.executionId)]
);

/** Milestone photos, re-encoded (metadata stripped) like proposal photos. */
export const executionPhotos = sqliteTable(
	'execution_photo',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		milestoneId: integer('milestone_id')
			.notNull()
			.references(() => executionMilestones.id),
		filePath: text('file_path').notNull(),
		sha256: text('sha256').notNull(),
		mimeType: text('mime_type').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		bytes: integer('bytes').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('execution_photo_milestone').on(t.milestoneId)]
);

export const OBSERVATION_STATUSES = ['open', 'answered', 'closed'] as const;

export const observations = sqliteTable(
	'observation',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		/** Number within the round, shown as "Obs. N.º 3". */
		seq: integer('seq').notNull(),
		/** null = about the round as a whole. */
		executionId: integer('execution_id').references(() => projectExecutions.id),
		text: text('text').notNull(),
		filedByUserId: integer('filed_by_user_id')
			.notNull()
			.references(() => users.id),
		filedAs: text('filed_as', { enum: ['committee', 'auditor'] }).notNull(),
		/** Public name of who filed it (acting publicly); never contact data. */
		filerName: text('filer_name').notNull(),
		attachmentPath: text('attachment_path'),
		attachmentSha256: text('attachment_sha256'),
		attachmentMime: text('attachment_mime'),
		status: text('status', { enum: OBSERVATION_STATUSES }).notNull().default('open'),
		/** ISO date by which the municipality must answer. */
		dueOn: text('due_on').notNull(),
		answer: text('answer'),
		answeredAt: integer('answered_at'),
		answeredByUserId: integer('answered_by_user_id').references(() => users.id),
		closedAt: integer('closed_at'),
		closedByUserId: integer('closed_by_user_id').references(() => users.id),
		filedAt: integer('filed_at').notNull()
	},
	(t) => [index('observation_round').on(t.roundId), uniqueIndex('observation_seq').on(t.roundId, t.seq)]
);
