import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';

/** Append-only, hash-chained per municipality. Never updated or deleted (a trigger in the migration refuses it). */
export const auditEvents = sqliteTable(
	'audit_event',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		seq: integer('seq').notNull(),
		at: text('at').notNull(),
		actorUserId: integer('actor_user_id'),
		type: text('type').notNull(),
		payload: text('payload').notNull(),
		payloadHash: text('payload_hash').notNull(),
		/** When true the public view shows only payloadHash. */
		personal: integer('personal', { mode: 'boolean' }).notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [uniqueIndex('audit_seq_per_municipality').on(t.municipalityId, t.seq)]
);
