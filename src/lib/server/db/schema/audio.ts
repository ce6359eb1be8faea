import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { users } from './people';
import { rounds } from './rounds';
import { AUDIO_FORMATS } from '../../../domain/audio';

/**
 * A short recording, in one language, read aloud by a local speaker: a proposal's description, or (proposal 0, i.e.
 * `target` 'ballot') the ballot's instructions. Stored as uploaded under the uploads folder (content-addressed);
 * one clip per target and language (a new upload replaces the old row, the file stays for backups and audits).
 */
export const audioClips = sqliteTable(
	'audio_clip',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		/** 'ballot' for the ballot's instructions, 'proposal' for one proposal. */
		target: text('target', { enum: ['ballot', 'proposal'] }).notNull(),
		/** The proposal for target 'proposal'; 0 for 'ballot' (so the unique index holds: SQLite NULLs are distinct). */
		targetId: integer('target_id').notNull(),
		locale: text('locale', { enum: ['es', 'qu'] }).notNull(),
		filePath: text('file_path').notNull(),
		sha256: text('sha256').notNull(),
		format: text('format', { enum: AUDIO_FORMATS }).notNull(),
		bytes: integer('bytes').notNull(),
		durationMs: integer('duration_ms').notNull(),
		uploadedByUserId: integer('uploaded_by_user_id')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [
		uniqueIndex('audio_clip_target').on(t.roundId, t.target, t.targetId, t.locale),
		index('audio_clip_municipality').on(t.municipalityId)
	]
);
