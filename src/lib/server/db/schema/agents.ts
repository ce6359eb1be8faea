import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities } from './municipalities';
import { persons, users } from './people';
import { rounds } from './rounds';

/** A round's registered agente participante: a Person acting for an organisation, with accreditation. */
export const participantAgents = sqliteTable(
	'participant_agent',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		roundId: integer('round_id')
			.notNull()
			.references(() => rounds.id),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		organisation: text('organisation').notNull(),
		/**
		 * Before migration 0024 the raw DNI; emptied (sealed into the two columns below) at start-up by
		 * finishAgentDniSealing and never written again.
		 */
		legacyDni: text('dni'),
		/** HMAC of the DNI under the server secret (the same as the person's): look-up and uniqueness. */
		dniHmac: text('dni_hmac'),
		/** The DNI sealed with AES-256-GCM (platform/sealed.ts), opened only for the acta's signing copy. */
		dniSealed: text('dni_sealed'),
		/** Path of the accreditation document relative to the uploads folder. */
		accreditationDocPath: text('accreditation_doc_path'),
		accreditationSha256: text('accreditation_sha256'),
		/** Agents with vote score proposals; technical-team members have voice, no vote. */
		hasVote: integer('has_vote', { mode: 'boolean' }).notNull(),
		gender: text('gender', { enum: ['f', 'm', 'x'] }),
		language: text('language', { enum: ['es', 'qu', 'other'] }),
		registeredAt: integer('registered_at').notNull(),
		registeredByUserId: integer('registered_by_user_id').references(() => users.id),
		withdrawnAt: integer('withdrawn_at')
	},
	(t) => [
		uniqueIndex('participant_agent_person').on(t.roundId, t.personId),
		index('participant_agent_round').on(t.roundId),
		index('participant_agent_dni').on(t.roundId, t.dniHmac)
	]
);
