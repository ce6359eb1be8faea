import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';
import { rounds } from './rounds';

/**
 * A frozen outcome of a round. Never updated except to record its publication; a recount on changed input makes a
 * new version, the old one stays visible.
 */
export const resultSnapshots = sqliteTable(
	'result_snapshot',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		version: integer('version').notNull(),
		engineVersion: text('engine_version').notNull(),
		rule: text('rule').notNull(),
		ties: text('ties').notNull(),
		decision: text('decision').notNull(),
		/** SHA-256 over the rules and every budget's input `.pb` hash: same input ⇒ same snapshot. */
		inputHash: text('input_hash').notNull(),
		/** JSON of the per-budget outcomes (see results.ts SnapshotBody). */
		body: text('body').notNull(),
		computedAt: integer('computed_at').notNull(),
		computedByUserId: integer('computed_by_user_id'),
		publishedAt: integer('published_at'),
		publishedByUserId: integer('published_by_user_id')
	},
	(t) => [uniqueIndex('result_version_per_round').on(t.roundId, t.version), index('result_round').on(t.roundId)]
);

/** The exact `.pb` text each budget was counted from, kept for the open-data download and recounts. */
export const resultInputs = sqliteTable(
	'result_input',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		snapshotId: integer('snapshot_id')
			.notNull()
			.references(() => resultSnapshots.id),
		budgetZoneId: integer('budget_zone_id').references(() => zones.id),
		fileName: text('file_name').notNull(),
		pb: text('pb').notNull(),
		sha256: text('sha256').notNull(),
		/**
		 * A budget kept private counted by MES: the file with every ballot (random ids) it was counted from. Only
		 * auditors download it (the auditors' zip); the public `pb` holds the totals alone.
		 */
		auditorPb: text('auditor_pb')
	},
	(t) => [uniqueIndex('result_input_file').on(t.snapshotId, t.fileName)]
);
