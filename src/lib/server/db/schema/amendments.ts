import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { rounds } from './rounds';
import { AMENDABLE_RECORDS, AMENDMENT_VALUE_KINDS } from '../../../domain/amendments';

/**
 * A correction of a public record: one row per changed field, with the value before and after, the reason, who and
 * when, and the audit event that records it. Append-only (a trigger in the migration refuses updates and deletes).
 */
export const amendments = sqliteTable(
	'amendment',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		/** The round the record belongs to, when it belongs to one (for listing a round's corrections). */
		roundId: integer('round_id').references(() => rounds.id),
		record: text('record', { enum: AMENDABLE_RECORDS }).notNull(),
		recordId: integer('record_id').notNull(),
		field: text('field').notNull(),
		kind: text('kind', { enum: AMENDMENT_VALUE_KINDS }).notNull(),
		previous: text('previous'),
		current: text('current'),
		reason: text('reason').notNull(),
		amendedAt: integer('amended_at').notNull(),
		actorUserId: integer('actor_user_id'),
		/** Position of the `amendment.recorded` event in the municipality's audit chain. */
		auditSeq: integer('audit_seq').notNull()
	},
	(t) => [index('amendment_record').on(t.municipalityId, t.record, t.recordId)]
);
