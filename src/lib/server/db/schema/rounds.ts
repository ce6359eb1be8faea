import { sqliteTable, integer, text, uniqueIndex, index, real } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';
import { users } from './people';
import type { CriterionBand, CriterionKind, CriterionMeasure, RoundRules } from '../../../domain/round-rules';
import { CRITERION_KINDS, CRITERION_MEASURES, PHASES } from '../../../domain/round-rules';

/** One participatory-budgeting process (a fiscal year's round) under its ordinance. */
export const rounds = sqliteTable(
	'round',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		fiscalYear: integer('fiscal_year').notNull(),
		titleEs: text('title_es').notNull(),
		titleQu: text('title_qu'),
		descriptionEs: text('description_es'),
		descriptionQu: text('description_qu'),
		ordinanceNumber: text('ordinance_number'),
		/** ISO date (YYYY-MM-DD). */
		ordinanceDate: text('ordinance_date'),
		/** Path of the uploaded PDF relative to the uploads folder (`<data>/uploads`). */
		ordinanceFilePath: text('ordinance_file_path'),
		ordinanceSha256: text('ordinance_sha256'),
		/** Budget ceiling, integer céntimos of PEN. */
		budgetCents: integer('budget_cents').notNull(),
		phase: text('phase', { enum: PHASES }).notNull().default('preparacion'),
		phaseChangedAt: integer('phase_changed_at'),
		rules: text('rules', { mode: 'json' }).$type<RoundRules>().notNull(),
		/** Set when voting opens; rules are read-only from then on. */
		rulesFrozenAt: integer('rules_frozen_at'),
		/** SHA-256 of the canonical JSON of the rules at freezing time (recorded in the audit event). */
		rulesFrozenSha256: text('rules_frozen_sha256'),
		clonedFromRoundId: integer('cloned_from_round_id'),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull(),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [index('round_municipality').on(t.municipalityId, t.fiscalYear)]
);

/** Budget split: one row per zone, plus one with zoneId = null for the municipality-wide share. */
export const roundBudgets = sqliteTable(
	'round_budget',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		/** null = municipality-wide share. */
		zoneId: integer('zone_id').references(() => zones.id),
		amountCents: integer('amount_cents').notNull()
	},
	(t) => [uniqueIndex('round_budget_zone').on(t.roundId, t.zoneId), index('round_budget_round').on(t.roundId)]
);

/** The dated timetable (cronograma) fixed by the ordinance. */
export const roundPhases = sqliteTable(
	'round_phase',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		phase: text('phase', { enum: PHASES }).notNull(),
		/** ISO dates (YYYY-MM-DD), inclusive. */
		startsOn: text('starts_on').notNull(),
		endsOn: text('ends_on').notNull()
	},
	(t) => [uniqueIndex('round_phase_unique').on(t.roundId, t.phase)]
);

/** Scoring matrix: one row per criterion of the round's prioritisation matrix. */
export const scoringCriteria = sqliteTable(
	'scoring_criterion',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id, { onDelete: 'cascade' }),
		code: text('code').notNull(),
		nameEs: text('name_es').notNull(),
		nameQu: text('name_qu'),
		/** gate: must be met (value 1) or the proposal is out; points: value = points from the bands. */
		kind: text('kind', { enum: CRITERION_KINDS }).notNull().$type<CriterionKind>(),
		measure: text('measure', { enum: CRITERION_MEASURES }).notNull().default('judgement').$type<CriterionMeasure>(),
		/** Multiplier applied to the points (1 = as in the bands). */
		weight: real('weight').notNull().default(1),
		bands: text('bands', { mode: 'json' }).$type<CriterionBand[]>().notNull(),
		position: integer('position').notNull()
	},
	(t) => [uniqueIndex('scoring_criterion_code').on(t.roundId, t.code)]
);
