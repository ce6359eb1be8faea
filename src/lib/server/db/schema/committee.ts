import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { persons, users } from './people';
import { rounds } from './rounds';
import { participantAgents } from './agents';
import { COMMITTEE_ROLES } from '../../../domain/acta';

/**
 * The round's Comité de Vigilancia: one list, chosen among the round's agents. The acta names it (its role here is
 * the one the acta prints); its term decides who may file observations while the projects are carried out. A member
 * named by the acta has no term until an official gives one (no term: no observations). Removing keeps the row.
 */
export const committeeMembers = sqliteTable(
	'committee_member',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		agentId: integer('agent_id')
			.notNull()
			.references(() => participantAgents.id),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		role: text('role', { enum: COMMITTEE_ROLES }).notNull().default('member'),
		termStart: text('term_start'),
		termEnd: text('term_end'),
		addedAt: integer('added_at').notNull(),
		addedByUserId: integer('added_by_user_id').references(() => users.id),
		removedAt: integer('removed_at')
	},
	(t) => [index('committee_member_round').on(t.roundId), uniqueIndex('committee_member_agent').on(t.roundId, t.agentId)]
);
