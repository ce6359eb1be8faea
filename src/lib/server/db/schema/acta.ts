import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { users } from './people';
import { rounds } from './rounds';
import { proposals } from './proposals';
import { ACTA_STATUSES, COMMITMENT_ACTORS, type ActaContent } from '../../../domain/acta';

/**
 * The round's Acta de Acuerdos y Compromisos (Formalización). One per round. While a draft, officials enter
 * co-financing, commitments and the Comité de Vigilancia; issuing freezes the content (JSON + SHA-256, no DNIs in
 * it) for printing and signing; the signed scan is kept beside it with its SHA-256.
 */
export const roundActas = sqliteTable(
	'round_acta',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		status: text('status', { enum: ACTA_STATUSES }).notNull().default('draft'),
		/** ISO date and place of the signing meeting. */
		signingDate: text('signing_date'),
		place: text('place'),
		issuedAt: integer('issued_at'),
		issuedByUserId: integer('issued_by_user_id').references(() => users.id),
		/** The published result version the issued acta lists. */
		resultVersion: integer('result_version'),
		/** Frozen content at issuing (public data only). */
		content: text('content', { mode: 'json' }).$type<ActaContent>(),
		contentSha256: text('content_sha256'),
		scanPath: text('scan_path'),
		scanSha256: text('scan_sha256'),
		scanUploadedAt: integer('scan_uploaded_at'),
		updatedAt: integer('updated_at').notNull()
	},
	(t) => [uniqueIndex('round_acta_round').on(t.roundId)]
);

/** Co-financing of a prioritised project: a source (e.g. Gobierno Regional, the community's labour) and an amount. */
export const actaCofinancing = sqliteTable(
	'acta_cofinancing',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposals.id),
		source: text('source').notNull(),
		amountCents: integer('amount_cents').notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('acta_cofinancing_round').on(t.roundId)]
);

/** One actor's commitment (the municipality, an organisation of agents, another level of government). */
export const actaCommitments = sqliteTable(
	'acta_commitment',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		actorKind: text('actor_kind', { enum: COMMITMENT_ACTORS }).notNull(),
		actorName: text('actor_name').notNull(),
		text: text('text').notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('acta_commitment_round').on(t.roundId)]
);

/**
 * An issued acta taken back to draft keeps its issued version here: the frozen content, its SHA-256, the audit anchor
 * printed on it and the reason it was withdrawn (an amendment). Append-only (triggers in the acta_versions
 * migration); the public acta page lists these versions beside the current one.
 */
export const actaVersions = sqliteTable(
	'acta_version',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		content: text('content', { mode: 'json' }).$type<ActaContent>().notNull(),
		contentSha256: text('content_sha256').notNull(),
		resultVersion: integer('result_version'),
		issuedAt: integer('issued_at').notNull(),
		issuedByUserId: integer('issued_by_user_id').references(() => users.id),
		/** The chain's head recorded when this version was issued. */
		anchorSeq: integer('anchor_seq'),
		anchorHash: text('anchor_hash'),
		withdrawnAt: integer('withdrawn_at').notNull(),
		withdrawnByUserId: integer('withdrawn_by_user_id').references(() => users.id),
		reason: text('reason').notNull(),
		/** Position of the `amendment.recorded` event of the withdrawal. */
		amendmentSeq: integer('amendment_seq').notNull()
	},
	(t) => [index('acta_version_round').on(t.roundId)]
);
