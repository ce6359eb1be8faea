/**
 * The round's Comité de Vigilancia: one list. The acta names its members with their roles (president, secretary,
 * member); the observations page gives each a term, and a member in term may file observations. Seating through the
 * acta (`seatInActa`, with a role) happens inside the acta's drafting transaction; seating for the follow-up
 * (`addCommitteeMember`, with a term) at any time. Both write the same rows.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { COMMITTEE_ROLES, committeeRoleProblem, type CommitteeRole } from '../../domain/acta';
import { limaToday } from '../../domain/clock';
import { writeTx, type Db } from '../db/client';
import { committeeMembers, participantAgents, persons } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, can, type Actor } from '../platform/policy';
import { findRound } from '../rounds';
import { publicAgentRegister } from '../agents';
import { requireDate } from '../platform/validation';

type Member = typeof committeeMembers.$inferSelect;

/** The round's seated members with name, organisation, role and term; never DNI or contact data. */
export function listCommittee(db: Db, municipalityId: number, roundId: number, today = limaToday()) {
	return db
		.select({
			id: committeeMembers.id,
			agentId: committeeMembers.agentId,
			personId: committeeMembers.personId,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			role: committeeMembers.role,
			termStart: committeeMembers.termStart,
			termEnd: committeeMembers.termEnd
		})
		.from(committeeMembers)
		.innerJoin(persons, eq(persons.id, committeeMembers.personId))
		.innerJoin(participantAgents, eq(participantAgents.id, committeeMembers.agentId))
		.where(
			and(
				eq(committeeMembers.municipalityId, municipalityId),
				eq(committeeMembers.roundId, roundId),
				isNull(committeeMembers.removedAt)
			)
		)
		.orderBy(asc(persons.fullName))
		.all()
		.map((m) => ({ ...m, inTerm: inTerm(m, today) }));
}

const inTerm = (m: { termStart: string | null; termEnd: string | null }, today: string) =>
	m.termStart !== null && m.termEnd !== null && m.termStart <= today && today <= m.termEnd;

/**
 * The round's agents who can be given a term on the observations page: those not seated, and those the acta seated
 * without a term yet (`seated`), with the role they hold.
 */
export function committeeCandidates(db: Db, municipalityId: number, roundId: number) {
	const seated = new Map(listCommittee(db, municipalityId, roundId).map((m) => [m.agentId, m]));
	// Candidates are the round's register (not withdrawn, by name); one seated with a term is already a member.
	return publicAgentRegister(db, municipalityId, roundId)
		.filter((a) => !seated.get(a.id)?.termStart)
		.map((a) => ({
			agentId: a.id,
			fullName: a.fullName,
			organisation: a.organisation,
			role: seated.get(a.id)?.role ?? null,
			seated: seated.has(a.id)
		}));
}

function activeAgent(tx: Db, municipalityId: number, roundId: number, agentId: number) {
	return Number.isInteger(agentId)
		? tx
				.select()
				.from(participantAgents)
				.where(
					and(
						eq(participantAgents.id, agentId),
						eq(participantAgents.roundId, roundId),
						eq(participantAgents.municipalityId, municipalityId),
						isNull(participantAgents.withdrawnAt)
					)
				)
				.get()
		: undefined;
}

function rowOf(tx: Db, roundId: number, agentId: number): Member | undefined {
	return tx
		.select()
		.from(committeeMembers)
		.where(and(eq(committeeMembers.roundId, roundId), eq(committeeMembers.agentId, agentId)))
		.get();
}

/**
 * Seats an agent for the follow-up with a term (observations page). An agent the acta seated without a term gets
 * this term; one already seated with a term is refused; one removed before is seated again as a plain member.
 */
export function addCommitteeMember(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { agentId: unknown; termStart: unknown; termEnd: unknown }
) {
	authorize(actor, 'execution.manage', municipalityId);
	const agentId = Number(input.agentId);
	const termStart = requireDate(input.termStart, 'termStart');
	const termEnd = requireDate(input.termEnd, 'termEnd');
	if (termEnd < termStart) throw new UserError('observations.termOrder');
	return writeTx(db, (tx) => {
		findRound(tx, municipalityId, roundId);
		const agent = activeAgent(tx, municipalityId, roundId, agentId);
		if (!agent) throw new UserError('observations.notAgent');
		const existing = rowOf(tx, roundId, agentId);
		if (existing && !existing.removedAt && existing.termStart)
			throw new UserError('observations.alreadyMember', {}, 409);
		if (existing && !existing.removedAt) {
			const member = tx
				.update(committeeMembers)
				.set({ termStart, termEnd })
				.where(eq(committeeMembers.id, existing.id))
				.returning()
				.get();
			appendAudit(tx, {
				municipalityId,
				actorUserId: actor.userId,
				type: 'committee.termSet',
				personal: true,
				payload: {
					roundId,
					memberId: member.id,
					agentId,
					personId: agent.personId,
					role: member.role,
					termStart,
					termEnd
				}
			});
			return member;
		}
		const values = {
			municipalityId,
			roundId,
			agentId,
			personId: agent.personId,
			role: 'member' as const,
			termStart,
			termEnd,
			addedAt: Date.now(),
			addedByUserId: actor.userId,
			removedAt: null
		};
		const member = existing
			? tx.update(committeeMembers).set(values).where(eq(committeeMembers.id, existing.id)).returning().get()
			: tx.insert(committeeMembers).values(values).returning().get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'committee.memberAdded',
			personal: true,
			payload: { roundId, memberId: member.id, agentId, personId: agent.personId, termStart, termEnd }
		});
		return member;
	});
}

/**
 * Inside the acta's drafting transaction (the caller authorises and checks the acta is still a draft): seats an
 * agent with a role, without a term. One president and one secretary at most; an agent seated already is refused.
 */
export function seatInActaTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	roundId: number,
	input: { agentId: unknown; role: unknown }
) {
	const agentId = Number(input.agentId);
	const role = String(input.role ?? '') as CommitteeRole;
	if (!COMMITTEE_ROLES.includes(role)) throw new UserError('acta.committeeRole');
	const agent = activeAgent(tx, municipalityId, roundId, agentId);
	if (!agent) throw new UserError('acta.notAgent');
	const current = listCommittee(tx, municipalityId, roundId);
	if (current.some((c) => c.agentId === agentId)) throw new UserError('acta.alreadyInCommittee');
	const problem = committeeRoleProblem(
		current.map((c) => c.role),
		role
	);
	if (problem) throw new UserError(problem);
	const values = {
		municipalityId,
		roundId,
		agentId,
		personId: agent.personId,
		role,
		termStart: null,
		termEnd: null,
		addedAt: Date.now(),
		addedByUserId: actor.userId,
		removedAt: null
	};
	const existing = rowOf(tx, roundId, agentId);
	const row = existing
		? tx.update(committeeMembers).set(values).where(eq(committeeMembers.id, existing.id)).returning().get()
		: tx.insert(committeeMembers).values(values).returning().get();
	// An agent's name with their organisation is public (they act in a role); the event still names a person.
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor.userId,
		type: 'acta.committeeAdded',
		payload: { roundId, agentId, role },
		personal: true
	});
	return row;
}

function seatedRow(tx: Db, municipalityId: number, roundId: number, memberId: number) {
	const m = Number.isInteger(memberId)
		? tx
				.select()
				.from(committeeMembers)
				.where(
					and(
						eq(committeeMembers.id, memberId),
						eq(committeeMembers.roundId, roundId),
						eq(committeeMembers.municipalityId, municipalityId),
						isNull(committeeMembers.removedAt)
					)
				)
				.get()
		: undefined;
	if (!m) throw new UserError('notFound', {}, 404);
	return m;
}

/** Inside the acta's drafting transaction: takes a member off the committee (and so off the acta). */
export function unseatFromActaTx(tx: Db, actor: Actor, municipalityId: number, roundId: number, memberId: number) {
	const m = seatedRow(tx, municipalityId, roundId, memberId);
	tx.update(committeeMembers).set({ removedAt: Date.now() }).where(eq(committeeMembers.id, m.id)).run();
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor.userId,
		type: 'acta.committeeRemoved',
		payload: { roundId, agentId: m.agentId, role: m.role },
		personal: true
	});
}

/** Takes a member off the committee during the follow-up (observations page); the row is kept, marked removed. */
export function removeCommitteeMember(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	memberId: number
) {
	authorize(actor, 'execution.manage', municipalityId);
	writeTx(db, (tx) => {
		const m = seatedRow(tx, municipalityId, roundId, memberId);
		tx.update(committeeMembers).set({ removedAt: Date.now() }).where(eq(committeeMembers.id, m.id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'committee.memberRemoved',
			payload: { roundId, memberId: m.id }
		});
	});
}

/** The committee membership that lets this actor file observations on the round today, if any. */
export function committeeSeat(db: Db, actor: Actor, roundId: number, today: string) {
	return db
		.select()
		.from(committeeMembers)
		.where(
			and(
				eq(committeeMembers.roundId, roundId),
				eq(committeeMembers.personId, actor.personId),
				isNull(committeeMembers.removedAt),
				sql`${committeeMembers.termStart} <= ${today}`,
				sql`${committeeMembers.termEnd} >= ${today}`
			)
		)
		.get();
}

/** Auditors (role) file on any round of their municipality; committee members on their round while in term. */
export function canFileObservation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	today = limaToday()
): boolean {
	if (can(actor, 'observations.file', municipalityId)) return true;
	return Boolean(actor && actor.municipalityId === municipalityId && committeeSeat(db, actor, roundId, today));
}
