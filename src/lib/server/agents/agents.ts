import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { participantAgents, persons } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { requireDni, requireText } from '../platform/validation';
import type { PendingUpload } from '../platform/uploads';
import { findRound } from '../rounds';
import { dniHmac } from '../platform/secret';
import { sealAgentDni } from '../platform/sealed';

export interface AgentInput {
	fullName: string;
	dni: string;
	organisation: string;
	hasVote: boolean;
	gender: 'f' | 'm' | 'x' | null;
	language: 'es' | 'qu' | 'other' | null;
}

export function parseAgentForm(form: FormData): AgentInput {
	const fullName = requireText(form.get('fullName'), 'fullName', 150);
	const dni = requireDni(form.get('dni'));
	const organisation = requireText(form.get('organisation'), 'agents.organisation', 200);
	const g = String(form.get('gender') ?? '');
	const l = String(form.get('language') ?? '');
	return {
		fullName,
		dni,
		organisation,
		hasVote: form.get('hasVote') === 'yes',
		gender: g === 'f' || g === 'm' || g === 'x' ? g : null,
		language: l === 'es' || l === 'qu' || l === 'other' ? l : null
	};
}

/** Registers a Person (found by DNI, or recorded now) as an agente participante of the round. */
export function registerAgent(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: AgentInput,
	accreditation: PendingUpload | null
) {
	authorize(actor, 'agents.manage', municipalityId);
	return writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (round.phase === 'formalizacion' || round.phase === 'seguimiento') throw new UserError('agents.closed', {}, 409);
		const hmac = dniHmac(input.dni);
		let person = tx
			.select()
			.from(persons)
			.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
			.get();
		person ??= tx
			.insert(persons)
			.values({
				municipalityId,
				fullName: input.fullName,
				dniHmac: hmac,
				gender: input.gender,
				language: input.language,
				createdAt: Date.now()
			})
			.returning()
			.get();
		const clash = tx
			.select()
			.from(participantAgents)
			.where(and(eq(participantAgents.roundId, roundId), eq(participantAgents.personId, person.id)))
			.get();
		if (clash && !clash.withdrawnAt) throw new UserError('agents.duplicate', {}, 409);
		const values = {
			municipalityId,
			roundId,
			personId: person.id,
			organisation: input.organisation,
			...sealAgentDni(input.dni),
			accreditationDocPath: accreditation?.path ?? null,
			accreditationSha256: accreditation?.sha256 ?? null,
			hasVote: input.hasVote,
			gender: input.gender,
			language: input.language,
			registeredAt: Date.now(),
			registeredByUserId: actor.userId,
			withdrawnAt: null
		};
		const agent = clash
			? tx.update(participantAgents).set(values).where(eq(participantAgents.id, clash.id)).returning().get()
			: tx.insert(participantAgents).values(values).returning().get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'agent.registered',
			personal: true,
			payload: {
				roundId,
				agentId: agent.id,
				personId: person.id,
				fullName: person.fullName,
				organisation: input.organisation,
				hasVote: input.hasVote,
				accreditationSha256: accreditation?.sha256 ?? null
			}
		});
		// Every check passed: only now does the accreditation reach the disk.
		accreditation?.write?.();
		return agent;
	});
}

export function withdrawAgent(db: Db, actor: Actor | null, municipalityId: number, roundId: number, agentId: number) {
	authorize(actor, 'agents.manage', municipalityId);
	writeTx(db, (tx) => {
		findRound(tx, municipalityId, roundId);
		const a = tx
			.select()
			.from(participantAgents)
			.where(and(eq(participantAgents.id, agentId), eq(participantAgents.roundId, roundId)))
			.get();
		if (!a || a.withdrawnAt) throw new UserError('notFound', {}, 404);
		tx.update(participantAgents).set({ withdrawnAt: Date.now() }).where(eq(participantAgents.id, agentId)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'agent.withdrawn',
			payload: { roundId, agentId }
		});
	});
}

/** The public register: names (acting publicly for an organisation), organisation, vote; never DNI or contact data. */
export function publicAgentRegister(db: Db, municipalityId: number, roundId: number) {
	return db
		.select({
			id: participantAgents.id,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			hasVote: participantAgents.hasVote,
			gender: participantAgents.gender,
			language: participantAgents.language,
			accreditationSha256: participantAgents.accreditationSha256,
			registeredAt: participantAgents.registeredAt
		})
		.from(participantAgents)
		.innerJoin(persons, eq(persons.id, participantAgents.personId))
		.where(
			and(
				eq(participantAgents.municipalityId, municipalityId),
				eq(participantAgents.roundId, roundId),
				isNull(participantAgents.withdrawnAt)
			)
		)
		.orderBy(asc(persons.fullName))
		.all();
}

/**
 * Officials' view adds the accreditation file. The DNI stays sealed: it is opened only for the acta's signing copy.
 */
export function agentRegisterForOfficials(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'agents.manage', municipalityId);
	return db
		.select({
			id: participantAgents.id,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			hasVote: participantAgents.hasVote,
			gender: participantAgents.gender,
			language: participantAgents.language,
			accreditationDocPath: participantAgents.accreditationDocPath,
			accreditationSha256: participantAgents.accreditationSha256
		})
		.from(participantAgents)
		.innerJoin(persons, eq(persons.id, participantAgents.personId))
		.where(
			and(
				eq(participantAgents.municipalityId, municipalityId),
				eq(participantAgents.roundId, roundId),
				isNull(participantAgents.withdrawnAt)
			)
		)
		.orderBy(asc(persons.fullName))
		.all();
}

export function findAgent(db: Db, municipalityId: number, roundId: number, agentId: number) {
	return db
		.select()
		.from(participantAgents)
		.where(
			and(
				eq(participantAgents.id, agentId),
				eq(participantAgents.roundId, roundId),
				eq(participantAgents.municipalityId, municipalityId)
			)
		)
		.get();
}

/**
 * The application's half of migration 0024 (issue 15, L6): agents' DNIs recorded in clear before it are sealed
 * (HMAC + AES-GCM) and the clear column emptied, then the file is scrubbed (secure_delete, VACUUM, WAL truncated) so
 * the old bytes do not linger in free pages. Runs at every start; does nothing once no clear DNI is left.
 */
export function finishAgentDniSealing(db: Db): number {
	const clear = db
		.select({ id: participantAgents.id, dni: participantAgents.legacyDni })
		.from(participantAgents)
		.where(isNotNull(participantAgents.legacyDni))
		.all();
	if (!clear.length) return 0;
	writeTx(db, (tx) => {
		for (const a of clear)
			tx.update(participantAgents)
				.set({ ...sealAgentDni(a.dni!), legacyDni: null })
				.where(eq(participantAgents.id, a.id))
				.run();
	});
	db.$client.pragma('secure_delete = ON');
	db.$client.exec('VACUUM');
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	return clear.length;
}
