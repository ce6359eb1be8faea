import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { persons, users } from './people';
import { rounds } from './rounds';
import { participantAgents } from './agents';

export const WORKSHOP_KINDS = ['training', 'diagnosis', 'proposals', 'prioritisation', 'accountability'] as const;
export const CHECKIN_METHODS = ['list', 'qr', 'manual'] as const;

/** A workshop of a round (capacitación, diagnóstico, propuestas, priorización, rendición de cuentas). */
export const workshops = sqliteTable(
	'workshop',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		kind: text('kind', { enum: WORKSHOP_KINDS }).notNull(),
		title: text('title').notNull(),
		/** ISO date and "HH:MM" local time. */
		date: text('date').notNull(),
		startsAt: text('starts_at').notNull(),
		place: text('place').notNull(),
		createdByUserId: integer('created_by_user_id').references(() => users.id),
		createdAt: integer('created_at').notNull()
	},
	(t) => [index('workshop_round').on(t.roundId), index('workshop_municipality').on(t.municipalityId, t.date)]
);

/** One person's presence at a workshop: a registered agent of the round, or another resident (agentId null). */
export const workshopAttendance = sqliteTable(
	'workshop_attendance',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		workshopId: integer('workshop_id')
			.notNull()
			.references(() => workshops.id, { onDelete: 'cascade' }),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		agentId: integer('agent_id').references(() => participantAgents.id),
		method: text('method', { enum: CHECKIN_METHODS }).notNull(),
		checkedInAt: integer('checked_in_at').notNull(),
		checkedInByUserId: integer('checked_in_by_user_id').references(() => users.id)
	},
	(t) => [
		uniqueIndex('workshop_attendance_person').on(t.workshopId, t.personId),
		index('workshop_attendance_workshop').on(t.workshopId)
	]
);
