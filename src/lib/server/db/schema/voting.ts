import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, uniqueIndex, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';
import { users } from './people';
import { rounds } from './rounds';
import type { SectionChoices } from '../../../domain/ballot';

export const BALLOT_CHANNELS = ['web', 'assisted', 'paper'] as const;
export type BallotChannel = (typeof BALLOT_CHANNELS)[number];
/** voided: a web ballot set aside by an official after an in-person check of the DNI card. */
export const BALLOT_STATUSES = ['counted', 'superseded', 'voided'] as const;

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
 * One ballot. Secrecy by construction: no person or account id, no sequence, no time; ids are random integers
 * (assigned by the application) so their order says nothing about the order of casting. The content lives in
 * ballot_section. A web ballot carries, while voting is open, `tag` = HMAC(per-round key file, DNI HMAC): the only
 * link a replacement or an in-person void needs. When the voting window ends the key file is deleted and every tag
 * nulled (see voting/seal.ts). station_id / batch_id name the group a station ballot belongs to, never a person.
 * public_id is random and assigned when results are computed: exports use it, never id or the receipt.
 */
export const ballots = sqliteTable(
	'ballot',
	{
		id: integer('id').primaryKey(),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		channel: text('channel', { enum: BALLOT_CHANNELS }).notNull(),
		status: text('status', { enum: BALLOT_STATUSES }).notNull().default('counted'),
		tag: text('tag'),
		stationId: integer('station_id').references(() => stations.id),
		batchId: integer('batch_id'),
		publicId: text('public_id')
	},
	(t) => [
		// One counted web ballot per tag (per DNI) while voting is open.
		uniqueIndex('ballot_one_counted_per_tag')
			.on(t.roundId, t.tag)
			.where(sql`status = 'counted'`),
		uniqueIndex('ballot_public_id').on(t.publicId),
		// channel too: the turnout counts by channel from the index alone (ballot ids are random after the seal, so
		// reading each row is a random page: 36 ms -> 11 ms at 90 000 ballots)
		index('ballot_round_status').on(t.roundId, t.status, t.channel),
		// Per-station reconciliation counts a station's ballots from the index alone, skipping the web ballots (no station).
		index('ballot_round_station').on(t.roundId, t.stationId, t.channel, t.status)
	]
);

/** One section of a ballot: the choices for one budget (a zone's, or the municipality-wide share when null). */
export const ballotSections = sqliteTable(
	'ballot_section',
	{
		id: integer('id').primaryKey(),
		ballotId: integer('ballot_id')
			.notNull()
			.references(() => ballots.id),
		budgetZoneId: integer('budget_zone_id').references(() => zones.id),
		choices: text('choices', { mode: 'json' }).$type<SectionChoices>().notNull()
	},
	// the zone too: the turnout's per-zone counts join sections to ballots from indexes alone (331 ms -> 84 ms at 90 000)
	(t) => [index('ballot_section_ballot').on(t.ballotId, t.budgetZoneId)]
);

export const RECEIPT_STATUSES = ['counted', 'superseded'] as const;

/**
 * A receipt: SHA-256 of the code shown once to the voter, and whether its ballot still counts. No ballot id, so a
 * coerced receipt code plus the database reveals nothing about the content. The tag (web only) lets a replacement
 * mark the previous receipt superseded; it is nulled when the voting window ends. Random integer id.
 */
export const receipts = sqliteTable(
	'receipt',
	{
		id: integer('id').primaryKey(),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		hash: text('hash').notNull(),
		status: text('status', { enum: RECEIPT_STATUSES }).notNull().default('counted'),
		tag: text('tag')
	},
	(t) => [uniqueIndex('receipt_hash').on(t.hash), index('receipt_tag').on(t.roundId, t.tag)]
);

/**
 * The round's roll (padrón electoral of the round), keyed by the DNI's HMAC, never by account or person: whatever
 * happens to accounts, one DNI has one row per round, and the database enforces it. A row holds only the budget
 * zone, whether and how the person voted (channel null: not voted, e.g. after an in-person void), the day, and for
 * assisted and paper votes the station. Web and assisted claims are written in the ballot's transaction; a paper
 * claim when the paper is handed out.
 */
export const rollEntries = sqliteTable(
	'roll_entry',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		dniHmac: text('dni_hmac').notNull(),
		zoneId: integer('zone_id').references(() => zones.id),
		channel: text('channel', { enum: BALLOT_CHANNELS }),
		/** YYYY-MM-DD in Peru: the day of the vote, never the time. */
		day: text('day'),
		stationId: integer('station_id').references(() => stations.id),
		/** The official who marked an assisted or paper vote (stations are accountable per official). */
		markedByUserId: integer('marked_by_user_id').references(() => users.id)
	},
	(t) => [
		uniqueIndex('roll_entry_dni_per_round').on(t.roundId, t.dniHmac),
		index('roll_entry_station').on(t.stationId),
		// Per-station reconciliation: the station's marks from the index alone, without reading every web voter's row.
		index('roll_entry_round_station').on(t.roundId, t.stationId, t.channel)
	]
);

/**
 * The roll of a round once its results are published: counts only (issue 11 point 1, "after publication the roll is
 * reduced to counts"). One row per (zone, channel, day, station, official) with how many DNIs it held; the roll's
 * rows (DNI HMACs) are deleted.
 */
export const rollCounts = sqliteTable(
	'roll_count',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		zoneId: integer('zone_id').references(() => zones.id),
		channel: text('channel', { enum: BALLOT_CHANNELS }),
		day: text('day'),
		stationId: integer('station_id').references(() => stations.id),
		markedByUserId: integer('marked_by_user_id').references(() => users.id),
		n: integer('n').notNull()
	},
	(t) => [index('roll_count_round').on(t.roundId)]
);

/** A web ballot voided by an official after checking the DNI card in person during voting. Counts, never the ballot. */
export const webVoids = sqliteTable('web_void', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	roundId: integer('round_id')
		.notNull()
		.references(() => rounds.id),
	stationId: integer('station_id').references(() => stations.id),
	byUserId: integer('by_user_id')
		.notNull()
		.references(() => users.id),
	reason: text('reason').notNull(),
	day: text('day').notNull()
});

/** A station official's look-up of the roll (DNI + birth date on the card): counted per station. */
export const rollLookups = sqliteTable('roll_lookup', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	roundId: integer('round_id')
		.notNull()
		.references(() => rounds.id),
	stationId: integer('station_id')
		.notNull()
		.references(() => stations.id),
	byUserId: integer('by_user_id')
		.notNull()
		.references(() => users.id)
});

/**
 * A secrecy step under way (voting/seal.ts runs it in slices, each its own short transaction): from the moment this
 * row exists voting is closed, and until voting_seal is written the step is finished by the next call. `stage` and
 * `cursor` say where it is (the last ballot or receipt id scrubbed).
 */
export const votingSealProgress = sqliteTable('voting_seal_progress', {
	roundId: integer('round_id')
		.primaryKey()
		.references(() => rounds.id),
	stage: text('stage', { enum: ['ballots', 'receipts', 'rewrite'] }).notNull(),
	cursor: integer('cursor').notNull().default(0),
	startedAt: integer('started_at').notNull()
});

/**
 * The fresh random ids a seal under way still has to give (ballots and their sections, receipts): a row is deleted
 * in the slice that applies it, so the table is empty once the round is sealed (and the file is then vacuumed).
 */
export const votingSealMap = sqliteTable(
	'voting_seal_map',
	{
		roundId: integer('round_id').notNull(),
		tbl: text('tbl', { enum: ['ballot', 'receipt'] }).notNull(),
		oldId: integer('old_id').notNull(),
		newId: integer('new_id').notNull()
	},
	(t) => [primaryKey({ columns: [t.tbl, t.oldId] }), index('voting_seal_map_round').on(t.roundId, t.tbl, t.newId)]
);

/** The voting window of a round has ended and its secrecy step has run (see voting/seal.ts). */
export const votingSeals = sqliteTable('voting_seal', {
	roundId: integer('round_id')
		.primaryKey()
		.references(() => rounds.id),
	sealedAt: integer('sealed_at').notNull()
});

/**
 * One row (id 1) while the file may still hold freed secrets: a seal's old tags, ids and superseded ballots, or a
 * published round's roll (DNI HMACs). Written in the transaction that frees them; voting/seal.ts scrubs the file in a
 * worker (VACUUM, WAL truncated) and deletes the row, so a process that dies first leaves the scrub to the next start.
 * secure_delete alone does not clear them: see seal.ts and docs/decisions.md.
 */
export const fileScrubPending = sqliteTable('file_scrub_pending', {
	id: integer('id').primaryKey(),
	since: integer('since').notNull()
});

export const BATCH_STATUSES = ['keying', 'discrepancy', 'accepted'] as const;

/** In what capacity a batch's differences were resolved: a staff person, or a Comité de Vigilancia member (few staff). */
export const RESOLVED_AS = ['staff', 'committee'] as const;
export type ResolvedAs = (typeof RESOLVED_AS)[number];

/**
 * A batch of paper ballots from one station, all of the same ballot paper (zoneId: the zone section it carries;
 * null when the paper has only the municipality-wide section). Two officials key it independently; it counts only
 * once both entries agree or every discrepancy is resolved.
 */
/** A keyer's resolution of a batch's differences, waiting for the other keyer (municipalities with few staff). */
export interface PendingResolution {
	lines: string[];
	picks: { line: number; pick: string; value: string | null }[];
	byUserId: number;
	/**
	 * The proposer's keying (entry_no): the confirmer must be the person behind the other one, however their account
	 * changed since. Absent on proposals made before 0028 (then the proposer's account and person decide).
	 */
	entryNo?: number;
	at: number;
}

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
		/** Who resolved the keying differences: a person who keyed neither version, or (few staff) the keyer who proposed. */
		resolvedByUserId: integer('resolved_by_user_id').references(() => users.id),
		/** With fewer than three staff persons: the other keyer, who confirmed each resolved line. */
		resolutionConfirmedByUserId: integer('resolution_confirmed_by_user_id').references(() => users.id),
		/** 'committee' when a Comité de Vigilancia member resolved (shown publicly beside the name); null before. */
		resolvedAs: text('resolved_as', { enum: RESOLVED_AS }),
		/** A keyer's proposed resolution waiting for the other keyer's confirmation (few staff only). */
		pendingResolution: text('pending_resolution', { mode: 'json' }).$type<PendingResolution>(),
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
		enteredAt: integer('entered_at').notNull(),
		/**
		 * The keyer's DNI HMAC when they keyed: four eyes count persons by DNI whatever happens to their accounts since
		 * (deleted and signed up again, a DNI taken by a census match or moved by the office, accounts merged). Kept
		 * only while the batch is open: nulled when it is accepted and, for any batch left open, at publication.
		 */
		keyerDniHmac: text('keyer_dni_hmac')
	},
	(t) => [
		uniqueIndex('batch_entry_no').on(t.batchId, t.entryNo),
		uniqueIndex('batch_entry_official').on(t.batchId, t.enteredByUserId)
	]
);
