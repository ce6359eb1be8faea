import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
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
		/**
		 * sha256(payload) for public payloads; sha256(salt + "|" + payload) for personal ones, the salt being 16
		 * random bytes kept here and never published (issue 11 point 4): the public chain still verifies through the
		 * hash, and nobody can find a withheld payload by hashing guesses. Null on public events and on personal
		 * events written before salting began (see the chain's `audit.saltingFrom` event).
		 */
		payloadHash: text('payload_hash').notNull(),
		payloadSalt: text('payload_salt'),
		/** When true the public view shows only payloadHash. */
		personal: integer('personal', { mode: 'boolean' }).notNull(),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		uniqueIndex('audit_seq_per_municipality').on(t.municipalityId, t.seq),
		// The anchors (results published, actas, council minutes) and the salting marker are found by type: without
		// it each look-up read the whole chain (90 000 events at metropolitan scale, on every results page view).
		index('audit_event_type').on(t.municipalityId, t.type, t.seq)
	]
);
