import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { persons, users } from './people';
import { ATTENDANCE_STATUSES, COUNCIL_ROLES, NOTICE_CHANNELS, SESSION_KINDS } from '../../../domain/council';

/** The local ordinance's CCL rules (defaults in domain/council.ts when no row exists). */
export const councilSettings = sqliteTable('council_settings', {
	municipalityId: integer('municipality_id')
		.primaryKey()
		.references(() => municipalities.id),
	/** null = half plus one of the legal membership. */
	quorumFixed: integer('quorum_fixed'),
	secondCallAllowed: integer('second_call_allowed', { mode: 'boolean' }).notNull().default(true),
	secondCallDelayMinutes: integer('second_call_delay_minutes').notNull().default(30),
	/** null = proceeds at second call with those present. */
	secondCallMinimum: integer('second_call_minimum'),
	civilSocietyPercent: integer('civil_society_percent').notNull().default(40),
	agreementFormat: text('agreement_format').notNull(),
	updatedAt: integer('updated_at').notNull()
});

/** A seat on the CCL roll: a Person, their role and term. Names and roles are public; the Person's contact data is not. */
export const councilMembers = sqliteTable(
	'council_member',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		role: text('role', { enum: COUNCIL_ROLES }).notNull(),
		/** Organisation represented (civil society), or the centro poblado / district for mayors. */
		organisation: text('organisation'),
		termStart: text('term_start').notNull(),
		termEnd: text('term_end').notNull(),
		/** The member this one replaces (whose term then ends the day before this one starts). */
		replacesMemberId: integer('replaces_member_id'),
		/** Order on the roll; the first regidor is the teniente alcalde. */
		position: integer('position').notNull().default(0),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('council_member_municipality').on(t.municipalityId)]
);

export const councilSessions = sqliteTable(
	'council_session',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		kind: text('kind', { enum: SESSION_KINDS }).notNull(),
		/** ISO date of the session. */
		date: text('date').notNull(),
		place: text('place').notNull(),
		noticeSentOn: text('notice_sent_on'),
		noticeChannel: text('notice_channel', { enum: NOTICE_CHANNELS }),
		/** Agenda items, in order. */
		agenda: text('agenda', { mode: 'json' }).$type<string[]>().notNull(),
		/** "HH:MM" local time. */
		firstCallAt: text('first_call_at').notNull(),
		/** "HH:MM": first call + the setting's delay, fixed when the session is created. null = no second call. */
		secondCallAt: text('second_call_at'),
		attendanceRecordedAt: integer('attendance_recorded_at'),
		/** Signed scan of the minutes (acta), relative to the uploads folder, with its SHA-256. */
		minutesScanPath: text('minutes_scan_path'),
		minutesScanSha256: text('minutes_scan_sha256'),
		minutesScanUploadedAt: integer('minutes_scan_uploaded_at'),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('council_session_municipality').on(t.municipalityId, t.date)]
);

export const councilAttendance = sqliteTable(
	'council_attendance',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sessionId: integer('session_id')
			.notNull()
			.references(() => councilSessions.id, { onDelete: 'cascade' }),
		memberId: integer('member_id')
			.notNull()
			.references(() => councilMembers.id),
		status: text('status', { enum: ATTENDANCE_STATUSES }).notNull(),
		/** "HH:MM", for late arrivals. */
		arrivedAt: text('arrived_at')
	},
	(t) => [uniqueIndex('council_attendance_member').on(t.sessionId, t.memberId)]
);

export const councilAgreements = sqliteTable(
	'council_agreement',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		sessionId: integer('session_id')
			.notNull()
			.references(() => councilSessions.id),
		year: integer('year').notNull(),
		number: integer('number').notNull(),
		code: text('code').notNull(),
		text: text('text').notNull(),
		decision: text('decision', { enum: ['consensus', 'vote'] }).notNull(),
		votesFor: integer('votes_for'),
		votesAgainst: integer('votes_against'),
		votesAbstain: integer('votes_abstain'),
		castingVoteUsed: integer('casting_vote_used', { mode: 'boolean' }).notNull().default(false),
		castingVote: text('casting_vote', { enum: ['for', 'against'] }),
		outcome: text('outcome', { enum: ['approved', 'rejected'] }).notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [
		uniqueIndex('council_agreement_number').on(t.municipalityId, t.year, t.number),
		index('council_agreement_session').on(t.sessionId)
	]
);
