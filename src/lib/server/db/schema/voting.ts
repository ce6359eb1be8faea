import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';
import { persons, users } from './people';
import { rounds } from './rounds';
import type { SectionChoices } from '../../../domain/ballot';

export const BALLOT_CHANNELS = ['web', 'assisted', 'paper'] as const;
export type BallotChannel = (typeof BALLOT_CHANNELS)[number];
export const BALLOT_STATUSES = ['counted', 'superseded'] as const;

/** A polling station of a round: a workshop, a municipal office, a table in a centro poblado. */
export const stations = sqliteTable(
	'station',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		name: text('name').notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [uniqueIndex('station_name_per_round').on(t.roundId, t.name)]
);

/**
 * One ballot. Secrecy: the content lives in ballot_section, which names no one. Web ballots keep the voter's person
 * id only so the database can enforce one counted ballot per voter (the partial unique index) and supersede the
 * previous one; assisted and paper ballots name no voter at all (the voter is marked on the roll instead).
 * receipt_hash is SHA-256 of the receipt code; the code itself is shown once and never stored.
 * public_id is random and assigned when results are computed: exports use it, never id, seq or the receipt.
 */
export const ballots = sqliteTable(
	'ballot',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		/** Order of acceptance within the round (1, 2, …): the number in the `ballot.accepted` audit event. */
		seq: integer('seq').notNull(),
		voterPersonId: integer('voter_person_id').references(() => persons.id),
		channel: text('channel', { enum: BALLOT_CHANNELS }).notNull(),
		status: text('status', { enum: BALLOT_STATUSES }).notNull().default('counted'),
		receiptHash: text('receipt_hash'),
		stationId: integer('station_id').references(() => stations.id),
		batchId: integer('batch_id'),
		castAt: integer('cast_at').notNull(),
		supersededAt: integer('superseded_at'),
		publicId: text('public_id')
	},
	(t) => [
		uniqueIndex('ballot_one_counted_per_voter')
			.on(t.roundId, t.voterPersonId)
			.where(sql`status = 'counted'`),
		uniqueIndex('ballot_seq_per_round').on(t.roundId, t.seq),
		uniqueIndex('ballot_receipt').on(t.receiptHash),
		uniqueIndex('ballot_public_id').on(t.publicId),
		index('ballot_round_status').on(t.roundId, t.status)
	]
);

/** One section of a ballot: the choices for one budget (a zone's, or the municipality-wide share when null). */
export const ballotSections = sqliteTable(
	'ballot_section',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		ballotId: integer('ballot_id')
			.notNull()
			.references(() => ballots.id),
		budgetZoneId: integer('budget_zone_id').references(() => zones.id),
		choices: text('choices', { mode: 'json' }).$type<SectionChoices>().notNull()
	},
	(t) => [index('ballot_section_ballot').on(t.ballotId)]
);

/** The roll of a polling station: this person received a paper ballot or voted assisted here. Never what they chose. */
export const rollMarks = sqliteTable(
	'roll_mark',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		stationId: integer('station_id').references(() => stations.id),
		kind: text('kind', { enum: ['paper', 'assisted'] }).notNull(),
		markedAt: integer('marked_at').notNull(),
		markedByUserId: integer('marked_by_user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [uniqueIndex('roll_mark_once').on(t.roundId, t.personId), index('roll_mark_station').on(t.stationId)]
);

export const BATCH_STATUSES = ['keying', 'discrepancy', 'accepted'] as const;

/**
 * A batch of paper ballots from one station, all of the same ballot paper (zoneId: the zone section it carries;
 * null when the paper has only the municipality-wide section). Two officials key it independently; it counts only
 * once both entries agree or every discrepancy is resolved.
 */
export const paperBatches = sqliteTable(
	'paper_batch',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		stationId: integer('station_id')
			.notNull()
			.references(() => stations.id),
		zoneId: integer('zone_id').references(() => zones.id),
		label: text('label').notNull(),
		/** Number of ballot papers counted by hand in the batch (written on the envelope). */
		declaredCount: integer('declared_count').notNull(),
		status: text('status', { enum: BATCH_STATUSES }).notNull().default('keying'),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull(),
		/** The agreed lines (JSON array of strings) once accepted. */
		resolvedLines: text('resolved_lines', { mode: 'json' }).$type<string[]>(),
		resolvedByUserId: integer('resolved_by_user_id').references(() => users.id),
		acceptedAt: integer('accepted_at')
	},
	(t) => [uniqueIndex('paper_batch_label').on(t.roundId, t.stationId, t.label)]
);

/** One official's keying of a batch: one line per ballot paper, in the envelope's order. */
export const batchEntries = sqliteTable(
	'batch_entry',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		batchId: integer('batch_id')
			.notNull()
			.references(() => paperBatches.id),
		entryNo: integer('entry_no').notNull(),
		enteredByUserId: integer('entered_by_user_id')
			.notNull()
			.references(() => users.id),
		lines: text('lines', { mode: 'json' }).$type<string[]>().notNull(),
		enteredAt: integer('entered_at').notNull()
	},
	(t) => [
		uniqueIndex('batch_entry_no').on(t.batchId, t.entryNo),
		uniqueIndex('batch_entry_official').on(t.batchId, t.enteredByUserId)
	]
);
