import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../../domain/errors';
import { parseTime } from '../../domain/council';
import { participationStats, type Participant } from '../../domain/workshops';
import { writeTx, type Db } from '../db/client';
import {
	participantAgents,
	persons,
	rounds,
	WORKSHOP_KINDS,
	workshopAttendance,
	workshops,
	zones
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { roundOf } from '../rounds';
import { serverSecret } from '../platform/secret';
import { optionalText, requireDate, requireText } from '../platform/validation';

export type WorkshopKind = (typeof WORKSHOP_KINDS)[number];

export function roundsForWorkshops(db: Db, municipalityId: number) {
	return db
		.select({ id: rounds.id, fiscalYear: rounds.fiscalYear, titleEs: rounds.titleEs, titleQu: rounds.titleQu })
		.from(rounds)
		.where(eq(rounds.municipalityId, municipalityId))
		.orderBy(desc(rounds.fiscalYear), desc(rounds.id))
		.all();
}

export interface NewWorkshopInput {
	roundId: unknown;
	kind: unknown;
	title: unknown;
	date: unknown;
	startsAt: unknown;
	place: unknown;
}

export function createWorkshop(db: Db, actor: Actor | null, municipalityId: number, input: NewWorkshopInput) {
	authorize(actor, 'workshops.manage', municipalityId);
	const roundId = Number(input.roundId);
	const kind = String(input.kind ?? '') as WorkshopKind;
	if (!WORKSHOP_KINDS.includes(kind)) throw new UserError('workshops.kind');
	const title = requireText(input.title, 'workshopTitle', 160);
	const date = requireDate(input.date, 'workshopDate');
	const startsAt = String(input.startsAt ?? '').trim();
	if (parseTime(startsAt) === null) throw new UserError('workshops.time');
	const place = requireText(input.place, 'place', 160);
	return writeTx(db, (tx) => {
		const round = roundOf(tx, municipalityId, roundId);
		if (!round) throw new UserError('workshops.round');
		const w = tx
			.insert(workshops)
			.values({
				municipalityId,
				roundId,
				kind,
				title,
				date,
				startsAt,
				place,
				createdByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'workshop.created',
			payload: { workshopId: w.id, roundId, kind, title, date, startsAt, place }
		});
		return w;
	});
}

export function listWorkshops(db: Db, municipalityId: number) {
	return db
		.select({ workshop: workshops, roundYear: rounds.fiscalYear, roundTitle: rounds.titleEs })
		.from(workshops)
		.innerJoin(rounds, eq(rounds.id, workshops.roundId))
		.where(eq(workshops.municipalityId, municipalityId))
		.orderBy(desc(workshops.date), desc(workshops.id))
		.all();
}

function workshopRow(db: Db, municipalityId: number, workshopId: number) {
	const w = Number.isInteger(workshopId)
		? db
				.select()
				.from(workshops)
				.where(and(eq(workshops.id, workshopId), eq(workshops.municipalityId, municipalityId)))
				.get()
		: undefined;
	if (!w) throw new UserError('notFound', {}, 404);
	return w;
}

/** Registered (not withdrawn) agents of a round, by name. */
function roundAgents(db: Db, municipalityId: number, roundId: number) {
	return db
		.select({
			id: participantAgents.id,
			personId: participantAgents.personId,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			hasVote: participantAgents.hasVote,
			gender: participantAgents.gender,
			language: participantAgents.language,
			zone: zones.name
		})
		.from(participantAgents)
		.innerJoin(persons, eq(persons.id, participantAgents.personId))
		.leftJoin(zones, eq(zones.id, persons.zoneId))
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

/** A workshop with the round's agents (who came, when), the other residents present, and participation figures. */
export function workshopDetail(db: Db, municipalityId: number, workshopId: number) {
	const workshop = workshopRow(db, municipalityId, workshopId);
	const round = db.select().from(rounds).where(eq(rounds.id, workshop.roundId)).get()!;
	const agents = roundAgents(db, municipalityId, workshop.roundId);
	const rows = db
		.select({
			id: workshopAttendance.id,
			personId: workshopAttendance.personId,
			agentId: workshopAttendance.agentId,
			method: workshopAttendance.method,
			checkedInAt: workshopAttendance.checkedInAt,
			fullName: persons.fullName,
			gender: persons.gender,
			language: persons.language,
			zone: zones.name
		})
		.from(workshopAttendance)
		.innerJoin(persons, eq(persons.id, workshopAttendance.personId))
		.leftJoin(zones, eq(zones.id, persons.zoneId))
		.where(eq(workshopAttendance.workshopId, workshopId))
		.orderBy(asc(workshopAttendance.checkedInAt))
		.all();
	const byAgent = new Map(rows.filter((r) => r.agentId).map((r) => [r.agentId!, r]));
	const agentList = agents.map((a) => ({ ...a, attendance: byAgent.get(a.id) ?? null }));
	const others = rows.filter((r) => !r.agentId);
	const people: Participant[] = [
		...agentList
			.filter((a) => a.attendance)
			.map((a) => ({
				isAgent: true,
				hasVote: a.hasVote,
				gender: a.gender ?? a.attendance!.gender,
				language: a.language ?? a.attendance!.language,
				zone: a.zone
			})),
		...others.map((o) => ({ isAgent: false, hasVote: false, gender: o.gender, language: o.language, zone: o.zone }))
	];
	return { workshop, round, agents: agentList, others, stats: participationStats(people, agents.length) };
}

function checkInTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	workshop: typeof workshops.$inferSelect,
	personId: number,
	agentId: number | null,
	method: 'list' | 'qr' | 'manual'
) {
	const existing = tx
		.select()
		.from(workshopAttendance)
		.where(and(eq(workshopAttendance.workshopId, workshop.id), eq(workshopAttendance.personId, personId)))
		.get();
	if (existing) return { attendance: existing, already: true };
	const attendance = tx
		.insert(workshopAttendance)
		.values({
			workshopId: workshop.id,
			personId,
			agentId,
			method,
			checkedInAt: Date.now(),
			checkedInByUserId: actor.userId
		})
		.returning()
		.get();
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor.userId,
		type: 'workshop.checkedIn',
		payload: { workshopId: workshop.id, personId, agentId, method },
		personal: true
	});
	return { attendance, already: false };
}

/** Checks in a registered agent of the workshop's round (from the list, or by QR). Checking in twice is harmless. */
export function checkInAgent(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	workshopId: number,
	agentId: number,
	method: 'list' | 'qr' = 'list'
) {
	authorize(actor, 'workshops.manage', municipalityId);
	return writeTx(db, (tx) => {
		const w = workshopRow(tx, municipalityId, workshopId);
		const agent = Number.isInteger(agentId)
			? tx
					.select()
					.from(participantAgents)
					.where(and(eq(participantAgents.id, agentId), eq(participantAgents.municipalityId, municipalityId)))
					.get()
			: undefined;
		if (!agent) throw new UserError('workshops.notAgent');
		if (agent.roundId !== w.roundId) throw new UserError('workshops.otherRound');
		if (agent.withdrawnAt) throw new UserError('workshops.withdrawn');
		const name = tx.select({ n: persons.fullName }).from(persons).where(eq(persons.id, agent.personId)).get()!.n;
		return { ...checkInTx(tx, actor, municipalityId, w, agent.personId, agent.id, method), name };
	});
}

export interface WalkInInput {
	fullName: unknown;
	gender: unknown;
	language: unknown;
	zoneId: unknown;
}

/** A resident who is not a registered agent: recorded by name with what they choose to tell (gender, language, zone). */
export function checkInWalkIn(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	workshopId: number,
	input: WalkInInput
) {
	authorize(actor, 'workshops.manage', municipalityId);
	const fullName = requireText(input.fullName, 'fullName', 120);
	const gender = ['f', 'm', 'x'].includes(String(input.gender)) ? (String(input.gender) as 'f' | 'm' | 'x') : null;
	const language = ['es', 'qu', 'other'].includes(String(input.language))
		? (String(input.language) as 'es' | 'qu' | 'other')
		: null;
	const zoneRaw = optionalText(input.zoneId, 'zone', 20);
	return writeTx(db, (tx) => {
		const w = workshopRow(tx, municipalityId, workshopId);
		let zoneId: number | null = null;
		if (zoneRaw) {
			const z = tx
				.select()
				.from(zones)
				.where(and(eq(zones.id, Number(zoneRaw)), eq(zones.municipalityId, municipalityId)))
				.get();
			if (!z) throw new UserError('workshops.zone');
			zoneId = z.id;
		}
		const person = tx
			.insert(persons)
			.values({ municipalityId, fullName, gender, language, zoneId, createdAt: Date.now() })
			.returning()
			.get();
		return { ...checkInTx(tx, actor, municipalityId, w, person.id, null, 'manual'), name: fullName };
	});
}

export function removeCheckIn(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	workshopId: number,
	attendanceId: number
) {
	authorize(actor, 'workshops.manage', municipalityId);
	writeTx(db, (tx) => {
		workshopRow(tx, municipalityId, workshopId);
		const row = tx
			.select()
			.from(workshopAttendance)
			.where(and(eq(workshopAttendance.id, attendanceId), eq(workshopAttendance.workshopId, workshopId)))
			.get();
		if (!row) throw new UserError('notFound', {}, 404);
		tx.delete(workshopAttendance).where(eq(workshopAttendance.id, row.id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'workshop.checkInRemoved',
			payload: { workshopId, personId: row.personId, agentId: row.agentId },
			personal: true
		});
	});
}

// ------------------------------------------------------------ personal QR codes

function mac(agentId: number): string {
	return createHmac('sha256', serverSecret()).update(`workshop-checkin:${agentId}`).digest('base64url').slice(0, 16);
}

/** The code printed on an agent's credential: the agent id and a MAC under the server secret (cannot be forged or guessed). */
export function agentCheckinCode(agentId: number): string {
	return `${agentId}-${mac(agentId)}`;
}

export function parseCheckinCode(code: string): number | null {
	const m = /^(\d{1,9})-([A-Za-z0-9_-]{16})$/.exec(code.trim());
	if (!m) return null;
	const id = Number(m[1]);
	const a = Buffer.from(mac(id));
	const b = Buffer.from(m[2]);
	return a.length === b.length && timingSafeEqual(a, b) ? id : null;
}

/** What an official's phone shows after scanning an agent's QR: the agent and the round's workshops (today's first). */
export function checkinLookup(db: Db, actor: Actor | null, municipalityId: number, code: string, today: string) {
	authorize(actor, 'workshops.manage', municipalityId);
	const agentId = parseCheckinCode(code);
	if (agentId === null) throw new UserError('workshops.badCode');
	const agent = db
		.select({
			id: participantAgents.id,
			roundId: participantAgents.roundId,
			fullName: persons.fullName,
			organisation: participantAgents.organisation,
			withdrawnAt: participantAgents.withdrawnAt,
			personId: participantAgents.personId
		})
		.from(participantAgents)
		.innerJoin(persons, eq(persons.id, participantAgents.personId))
		.where(and(eq(participantAgents.id, agentId), eq(participantAgents.municipalityId, municipalityId)))
		.get();
	if (!agent) throw new UserError('workshops.badCode');
	const list = db
		.select()
		.from(workshops)
		.where(eq(workshops.roundId, agent.roundId))
		.orderBy(asc(workshops.date), asc(workshops.startsAt))
		.all();
	const attended = new Set(
		db
			.select({ w: workshopAttendance.workshopId })
			.from(workshopAttendance)
			.where(eq(workshopAttendance.personId, agent.personId))
			.all()
			.map((r) => r.w)
	);
	return {
		agent,
		today: list.filter((w) => w.date === today).map((w) => ({ ...w, attended: attended.has(w.id) })),
		others: list.filter((w) => w.date !== today).map((w) => ({ ...w, attended: attended.has(w.id) }))
	};
}

/** Agents of a round with their check-in codes, for printing credentials. */
export function agentCodes(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'workshops.manage', municipalityId);
	return roundAgents(db, municipalityId, roundId).map((a) => ({
		id: a.id,
		fullName: a.fullName,
		organisation: a.organisation,
		code: agentCheckinCode(a.id)
	}));
}
