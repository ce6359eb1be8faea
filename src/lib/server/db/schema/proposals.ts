import { sqliteTable, integer, text, uniqueIndex, index, real } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';
import { persons, users } from './people';
import { rounds, scoringCriteria } from './rounds';
import { participantAgents } from './agents';

export const PROPOSAL_CATEGORIES = [
	'water_sanitation',
	'roads_transport',
	'education',
	'health',
	'environment',
	'security',
	'culture_sport',
	'productive',
	'other'
] as const;
export type ProposalCategory = (typeof PROPOSAL_CATEGORIES)[number];

// The vocabulary and its transition table live in the domain (domain/proposal-status.ts).
import { PROPOSAL_STATUSES } from '../../../domain/proposal-status';
export { PROPOSAL_STATUSES, type ProposalStatus } from '../../../domain/proposal-status';

export const NOT_FEASIBLE_REASONS = [
	'outside_competence',
	'duplicate',
	'cost_above_ceiling',
	'insufficient_information',
	'other'
] as const;
export type NotFeasibleReason = (typeof NOT_FEASIBLE_REASONS)[number];

export const proposals = sqliteTable(
	'proposal',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		/** Number within the round (1, 2, …), shown publicly as "N.º 7"; also the "earlier proposal" tie-break. */
		seq: integer('seq').notNull(),
		/** null = municipality-wide project. */
		zoneId: integer('zone_id').references(() => zones.id),
		authorPersonId: integer('author_person_id')
			.notNull()
			.references(() => persons.id),
		/** Set when an official filed it on the author's behalf (e.g. at a workshop). */
		filedByUserId: integer('filed_by_user_id').references(() => users.id),
		originalLocale: text('original_locale', { enum: ['es', 'qu'] }).notNull(),
		title: text('title').notNull(),
		description: text('description').notNull(),
		/** Reviewed translation into the other language (es ↔ qu). */
		translatedTitle: text('translated_title'),
		translatedDescription: text('translated_description'),
		translatedByUserId: integer('translated_by_user_id').references(() => users.id),
		translatedAt: integer('translated_at'),
		category: text('category', { enum: PROPOSAL_CATEGORIES }).notNull(),
		estimatedCostCents: integer('estimated_cost_cents').notNull(),
		/** Set by the technical team; the ballot uses it when present. */
		adjustedCostCents: integer('adjusted_cost_cents'),
		beneficiaries: integer('beneficiaries').notNull(),
		latitude: real('latitude'),
		longitude: real('longitude'),
		status: text('status', { enum: PROPOSAL_STATUSES }).notNull().default('submitted'),
		notFeasibleReason: text('not_feasible_reason', { enum: NOT_FEASIBLE_REASONS }),
		notFeasibleText: text('not_feasible_text'),
		/** Invierte.pe Código Único de Inversión (7 digits) — never a bare "cui". */
		investmentCui: text('investment_cui'),
		evaluatedByUserId: integer('evaluated_by_user_id').references(() => users.id),
		evaluatedAt: integer('evaluated_at'),
		createdAt: integer('created_at').notNull(),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [
		uniqueIndex('proposal_seq_per_round').on(t.roundId, t.seq),
		index('proposal_round_status').on(t.roundId, t.status),
		index('proposal_author').on(t.authorPersonId)
	]
);

/** Photos, re-encoded (metadata stripped) and stored under `<data>/uploads/`. */
export const proposalPhotos = sqliteTable(
	'proposal_photo',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		/** Relative to the uploads folder. */
		filePath: text('file_path').notNull(),
		sha256: text('sha256').notNull(),
		mimeType: text('mime_type').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		bytes: integer('bytes').notNull(),
		/** Widths of the AVIF/WebP variants made (e.g. "360,720,1080"); NULL until they are made. */
		variantWidths: text('variant_widths'),
		position: integer('position').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('proposal_photo_proposal').on(t.proposalId)]
);

export const SCORER_KINDS = ['technical', 'agent', 'workshop'] as const;
export type ScorerKind = (typeof SCORER_KINDS)[number];

/**
 * One scorer's value for one criterion of one proposal. scorerKey identifies the scorer uniquely:
 * 'workshop' (agreed at the prioritisation workshop), 'agent:<participantAgentId>', 'technical:<userId>'.
 */
export const criterionScores = sqliteTable(
	'criterion_score',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposals.id, { onDelete: 'cascade' }),
		criterionId: integer('criterion_id')
			.notNull()
			.references(() => scoringCriteria.id, { onDelete: 'cascade' }),
		scorerKind: text('scorer_kind', { enum: SCORER_KINDS }).notNull(),
		scorerKey: text('scorer_key').notNull(),
		agentId: integer('agent_id').references(() => participantAgents.id),
		scorerUserId: integer('scorer_user_id').references(() => users.id),
		/** Technical team's scores are advice only; they never enter the agents' aggregate. */
		advisory: integer('advisory', { mode: 'boolean' }).notNull(),
		/** gate: 1 met / 0 not met; points: the band's points (before the criterion's weight). */
		value: integer('value').notNull(),
		enteredByUserId: integer('entered_by_user_id')
			.notNull()
			.references(() => users.id),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [
		uniqueIndex('criterion_score_unique').on(t.proposalId, t.criterionId, t.scorerKey),
		index('criterion_score_round').on(t.roundId)
	]
);
