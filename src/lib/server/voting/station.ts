/** Polling stations: stations, the roll (look-up, registration from the census, marks), assisted voting. */
import { and, asc, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import type { SectionChoices } from '../../domain/ballot';
import { writeTx, type Db } from '../db/client';
import { ballots, censusEntries, persons, rollMarks, stations, zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import { requireText } from '../platform/validation';
import {
	type RoundRow,
	loadRound,
	requireOpen,
	type BallotPaper,
	paperFor,
	eligibleSections,
	checkChoices
} from './paper';
import { newReceiptCode, insertBallot } from './ballots';

// ---------------------------------------------------------------------------------------------------------------
// Officials: stations, the roll, assisted voting

export function listStations(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.station', municipalityId);
	loadRound(db, municipalityId, roundId);
	return db.select().from(stations).where(eq(stations.roundId, roundId)).orderBy(asc(stations.name)).all();
}

export function createStation(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	nameInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	const name = requireText(nameInput, 'stationName', 120);
	return writeTx(db, (tx) => {
		loadRound(tx, municipalityId, roundId);
		if (
			tx
				.select()
				.from(stations)
				.where(and(eq(stations.roundId, roundId), eq(stations.name, name)))
				.get()
		)
			throw new UserError('ballot.stationExists', { name }, 409);
		const s = tx
			.insert(stations)
			.values({ municipalityId, roundId, name, createdByUserId: actor.userId, createdAt: Date.now() })
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'voting.stationCreated',
			payload: { roundId, stationId: s.id, name }
		});
		return s;
	});
}

export function stationOf(db: Db, roundId: number, stationId: number) {
	const s = Number.isSafeInteger(stationId)
		? db
				.select()
				.from(stations)
				.where(and(eq(stations.id, stationId), eq(stations.roundId, roundId)))
				.get()
		: undefined;
	if (!s) throw new UserError('ballot.stationUnknown', {}, 404);
	return s;
}

export type RollLookup =
	| { kind: 'eligible'; personId: number; fullName: string; zoneName: string | null; paper: BallotPaper }
	| { kind: 'votedOnline'; fullName: string }
	| { kind: 'marked'; fullName: string; stationName: string | null; markKind: 'paper' | 'assisted' }
	| { kind: 'ineligible'; fullName: string; error: { code: string; params: Record<string, string | number> } }
	| { kind: 'censusOnly'; zoneName: string | null }
	| { kind: 'unknown' };

export function findVoter(db: Db, municipalityId: number, dniInput: unknown) {
	const digits = parseDniDigits(typeof dniInput === 'string' ? dniInput : '');
	if (!digits) throw new UserError('dni.format');
	const hmac = dniHmac(digits);
	const person = db
		.select()
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
		.get();
	return { hmac, person };
}

/** Polling-station roll: who is this DNI, and may they get a paper ballot / vote assisted here? */
export function lookUpRoll(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	dniInput: unknown,
	locale: string
): RollLookup {
	authorize(actor, 'voting.station', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	const { hmac, person } = findVoter(db, municipalityId, dniInput);
	if (!person) {
		const census = db
			.select()
			.from(censusEntries)
			.where(and(eq(censusEntries.municipalityId, municipalityId), eq(censusEntries.dniHmac, hmac)))
			.get();
		if (!census) return { kind: 'unknown' };
		const zone = census.zoneId ? db.select().from(zones).where(eq(zones.id, census.zoneId)).get() : undefined;
		return { kind: 'censusOnly', zoneName: zone?.name ?? null };
	}
	const mark = db
		.select({ kind: rollMarks.kind, stationName: stations.name })
		.from(rollMarks)
		.leftJoin(stations, eq(rollMarks.stationId, stations.id))
		.where(and(eq(rollMarks.roundId, roundId), eq(rollMarks.personId, person.id)))
		.get();
	if (mark) return { kind: 'marked', fullName: person.fullName, stationName: mark.stationName, markKind: mark.kind };
	const online = db
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.voterPersonId, person.id), eq(ballots.status, 'counted')))
		.get();
	if (online) return { kind: 'votedOnline', fullName: person.fullName };
	try {
		const sections = eligibleSections(db, round, person);
		const zone = person.zoneId ? db.select().from(zones).where(eq(zones.id, person.zoneId)).get() : undefined;
		return {
			kind: 'eligible',
			personId: person.id,
			fullName: person.fullName,
			zoneName: zone?.name ?? null,
			paper: paperFor(db, round, sections, locale)
		};
	} catch (e) {
		if (e instanceof UserError)
			return { kind: 'ineligible', fullName: person.fullName, error: { code: e.code, params: e.params } };
		throw e;
	}
}

/**
 * A resident in the census without any record yet comes to a station: record them (name as on the DNI card,
 * birth date and zone from the census), verified by the census, so they can then vote at the station.
 */
export function registerFromCensus(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	dniInput: unknown,
	fullNameInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	const fullName = requireText(fullNameInput, 'fullName', 200);
	return writeTx(db, (tx) => {
		const { hmac, person } = findVoter(tx, municipalityId, dniInput);
		if (person) return person;
		const census = tx
			.select()
			.from(censusEntries)
			.where(and(eq(censusEntries.municipalityId, municipalityId), eq(censusEntries.dniHmac, hmac)))
			.get();
		if (!census) throw new UserError('ballot.voterUnknown', {}, 404);
		const now = Date.now();
		const p = tx
			.insert(persons)
			.values({
				municipalityId,
				fullName,
				dniHmac: hmac,
				birthDate: census.birthDate,
				zoneId: census.zoneId,
				verifiedAt: now,
				verifiedMethod: 'census',
				verifiedByUserId: actor.userId,
				createdAt: now
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'resident.verified',
			payload: { personId: p.id, method: 'census', atStation: true },
			personal: true
		});
		return p;
	});
}

/** Marks the voter on the roll inside tx, after every check. The caller's transaction also holds the ballot, if any. */
export function markInTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	round: RoundRow,
	stationId: number,
	dniInput: unknown,
	kind: 'paper' | 'assisted'
) {
	requireOpen(tx, round);
	stationOf(tx, round.id, stationId);
	const { person } = findVoter(tx, municipalityId, dniInput);
	if (!person) throw new UserError('ballot.voterUnknown', {}, 404);
	const mark = tx
		.select()
		.from(rollMarks)
		.where(and(eq(rollMarks.roundId, round.id), eq(rollMarks.personId, person.id)))
		.get();
	if (mark) throw new UserError('ballot.alreadyMarked', {}, 409);
	const online = tx
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(eq(ballots.roundId, round.id), eq(ballots.voterPersonId, person.id), eq(ballots.status, 'counted')))
		.get();
	if (online) throw new UserError('ballot.votedOnline', {}, 409);
	const sections = eligibleSections(tx, round, person);
	tx.insert(rollMarks)
		.values({
			roundId: round.id,
			personId: person.id,
			stationId,
			kind,
			markedAt: Date.now(),
			markedByUserId: actor.userId
		})
		.run();
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor.userId,
		type: 'voting.rollMarked',
		payload: { roundId: round.id, stationId, personId: person.id, kind },
		personal: true
	});
	return { person, sections };
}

/** Hands a paper ballot: the voter is marked on the roll (and can no longer vote online). Returns the paper's sections. */
export function markForPaper(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const { person, sections } = markInTx(tx, actor, municipalityId, round, stationId, dniInput, 'paper');
		const zone = sections.find((s) => s.zoneId !== null)?.zoneId ?? null;
		const zoneName = zone === null ? null : (tx.select().from(zones).where(eq(zones.id, zone)).get()?.name ?? null);
		return { fullName: person.fullName, zoneName, sectionCount: sections.length };
	});
}

/**
 * Assisted voting: the official enters the choices the voter dictates. The voter is marked on the roll and the
 * ballot is stored WITHOUT the voter (channel "assisted"), in one transaction. Returns the receipt code.
 */
export function castAssisted(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	read: (paper: BallotPaper) => SectionChoices[],
	locale = 'es'
) {
	authorize(actor, 'voting.station', municipalityId);
	const receipt = newReceiptCode();
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const { sections: eligible } = markInTx(tx, actor, municipalityId, round, stationId, dniInput, 'assisted');
		const paper = paperFor(tx, round, eligible, locale);
		const sections = checkChoices(paper, read(paper));
		const now = Date.now();
		const b = insertBallot(tx, round, {
			voterPersonId: null,
			channel: 'assisted',
			receipt,
			stationId,
			batchId: null,
			sections,
			now
		});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'ballot.accepted',
			payload: { roundId, channel: 'assisted', ballotSeq: b.seq }
		});
		return { receipt };
	});
}
