/** Polling stations: stations, the roll (look-up, registration from the census, marks), assisted voting. */
import { and, asc, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import type { SectionChoices } from '../../domain/ballot';
import { writeTx, type Db } from '../db/client';
import { ballots, persons, receipts, rollEntries, rollLookups, stations, webVoids, zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { censusEntryOf } from '../residents';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import { requireDate, requireText, ML } from '../platform/validation';
import { limaToday } from '../../domain/clock';
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
import { claimRoll, rollRow } from './roll';
import { ballotTag, lookupTag, roundKey } from './keys';

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
	| { kind: 'eligible'; personId: number | null; fullName: string; zoneName: string | null; paper: BallotPaper }
	| { kind: 'votedOnline'; fullName: string }
	| { kind: 'marked'; fullName: string; stationName: string | null; markKind: 'paper' | 'assisted' }
	| { kind: 'ineligible'; fullName: string; error: { code: string; params: Record<string, string | number> } }
	| { kind: 'censusOnly'; zoneName: string | null }
	| { kind: 'unknown' };

function findVoter(db: Db, municipalityId: number, dniInput: unknown) {
	const digits = parseDniDigits(typeof dniInput === 'string' ? dniInput : '');
	if (!digits) throw new UserError('dni.format');
	const hmac = dniHmac(digits);
	const person = db
		.select()
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
		.get();
	const census = censusEntryOf(db, municipalityId, hmac);
	return { hmac, person, census };
}

/**
 * Who may vote at a station: the census is authoritative (birth date and zone from it), whatever the state of an
 * online account holding the DNI (unverified, squatted, deleted); without a census entry, a verified person.
 */
function stationFacts(v: ReturnType<typeof findVoter>) {
	if (v.census) return { verifiedAt: 1, birthDate: v.census.birthDate, zoneId: v.census.zoneId };
	return v.person ?? null;
}

/**
 * The DNI card is in front of the official: its birth date must be the census's (or, without a census entry, the
 * recorded person's). Refuses without saying anything about the roll. Every station act needs it, whoever calls
 * (routes, demo seeding, tests): a missing date is refused like a wrong one.
 */
function checkCard(v: ReturnType<typeof findVoter>, birthDateInput: unknown) {
	if (birthDateInput === undefined || birthDateInput === null || birthDateInput === '')
		throw new UserError('ballot.cardRequired');
	const card = requireDate(birthDateInput, 'birthDate');
	const known = v.census?.birthDate ?? v.person?.birthDate ?? null;
	if (known !== null && known !== card) throw new UserError('ballot.cardMismatch', {}, 400);
	if (known === null && (v.census || v.person)) throw new UserError('ballot.cardUnknown', {}, 400);
}

/**
 * Polling-station roll: who is this DNI, and may they get a paper ballot / vote assisted here? Only while voting is
 * open, from a station of the round, with the DNI and the birth date on the card (issue 11 point 5, review L8).
 * Each look-up is counted per station (roll_lookup: station and official, no DNI) and audited with the DNI keyed by
 * the round's key, which is deleted when voting ends: afterwards only the counts remain.
 */
export function lookUpRoll(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	birthDateInput: unknown,
	locale: string
): RollLookup {
	authorize(actor, 'voting.station', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	requireOpen(db, round);
	stationOf(db, roundId, stationId);
	const v = findVoter(db, municipalityId, dniInput);
	checkCard(v, birthDateInput);
	writeTx(db, (tx) => {
		tx.insert(rollLookups).values({ roundId, stationId, byUserId: actor.userId }).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'voting.rollLookup',
			payload: { roundId, stationId, dni: lookupTag(roundKey(tx, roundId, true)!, v.hmac) },
			personal: true
		});
	});
	return showRoll(db, round, v, locale);
}

/** What the station screen shows for a voter already looked up (after registering, voiding, a refused ballot). */
export function rollView(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	dniInput: unknown,
	locale: string
): RollLookup {
	authorize(actor, 'voting.station', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	requireOpen(db, round);
	return showRoll(db, round, findVoter(db, municipalityId, dniInput), locale);
}

function showRoll(db: Db, round: RoundRow, v: ReturnType<typeof findVoter>, locale: string): RollLookup {
	const roundId = round.id;
	const { hmac, person, census } = v;
	if (!person) {
		if (!census) return { kind: 'unknown' };
		const zone = census.zoneId ? db.select().from(zones).where(eq(zones.id, census.zoneId)).get() : undefined;
		return { kind: 'censusOnly', zoneName: zone?.name ?? null };
	}
	const row = rollRow(db, roundId, hmac);
	if (row?.channel === 'web') return { kind: 'votedOnline', fullName: person.fullName };
	if (row?.channel) {
		const stationName = row.stationId
			? (db.select().from(stations).where(eq(stations.id, row.stationId)).get()?.name ?? null)
			: null;
		return { kind: 'marked', fullName: person.fullName, stationName, markKind: row.channel };
	}
	try {
		const facts = stationFacts(v)!;
		const sections = eligibleSections(db, round, facts);
		const zone = facts.zoneId ? db.select().from(zones).where(eq(zones.id, facts.zoneId)).get() : undefined;
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
 * birth date and zone from the census), verified by the census, so they can then vote at the station. A station act
 * like the look-up: only while the round is voting, from one of its stations, with the card's birth date.
 */
export function registerFromCensus(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	fullNameInput: unknown,
	birthDateInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	const fullName = requireText(fullNameInput, 'fullName', 200);
	return writeTx(db, (tx) => {
		requireOpen(tx, loadRound(tx, municipalityId, roundId));
		stationOf(tx, roundId, stationId);
		const v = findVoter(tx, municipalityId, dniInput);
		checkCard(v, birthDateInput);
		const { hmac, person, census } = v;
		if (person) return person;
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
			payload: { personId: p.id, method: 'census', atStation: true, roundId, stationId },
			personal: true
		});
		return p;
	});
}

/**
 * Claims the voter's roll row for this station inside tx, after every check. The caller's transaction also holds
 * the ballot, if any (assisted).
 */
function markInTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	round: RoundRow,
	stationId: number,
	dniInput: unknown,
	kind: 'paper' | 'assisted',
	birthDateInput: unknown
) {
	requireOpen(tx, round);
	stationOf(tx, round.id, stationId);
	const v = findVoter(tx, municipalityId, dniInput);
	checkCard(v, birthDateInput);
	const facts = stationFacts(v);
	if (!facts) throw new UserError('ballot.voterUnknown', {}, 404);
	const row = rollRow(tx, round.id, v.hmac);
	if (row?.channel === 'web') throw new UserError('ballot.votedOnline', {}, 409);
	if (row?.channel) throw new UserError('ballot.alreadyMarked', {}, 409);
	const sections = eligibleSections(tx, round, facts);
	claimRoll(tx, {
		roundId: round.id,
		dniHmac: v.hmac,
		zoneId: facts.zoneId,
		channel: kind,
		stationId,
		userId: actor.userId
	});
	appendAudit(tx, {
		municipalityId,
		actorUserId: actor.userId,
		type: 'voting.rollMarked',
		payload: { roundId: round.id, stationId, personId: v.person?.id ?? null, kind },
		personal: true
	});
	return { person: v.person, sections };
}

/** Hands a paper ballot: the voter is marked on the roll (and can no longer vote online). Returns the paper's sections. */
export function markForPaper(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	birthDateInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const { person, sections } = markInTx(
			tx,
			actor,
			municipalityId,
			round,
			stationId,
			dniInput,
			'paper',
			birthDateInput
		);
		const zone = sections.find((s) => s.zoneId !== null)?.zoneId ?? null;
		const zoneName = zone === null ? null : (tx.select().from(zones).where(eq(zones.id, zone)).get()?.name ?? null);
		return { fullName: person?.fullName ?? '', zoneName, sectionCount: sections.length };
	});
}

/**
 * Assisted voting: the official enters the choices the voter dictates. The roll row is claimed and the ballot is
 * stored WITHOUT the voter (channel "assisted"), in one transaction. Returns the receipt code.
 */
export function castAssisted(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	read: (paper: BallotPaper) => SectionChoices[],
	locale: string,
	birthDateInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	const receipt = newReceiptCode();
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const { sections: eligible } = markInTx(
			tx,
			actor,
			municipalityId,
			round,
			stationId,
			dniInput,
			'assisted',
			birthDateInput
		);
		const paper = paperFor(tx, round, eligible, locale);
		const sections = checkChoices(paper, read(paper));
		insertBallot(tx, round, { channel: 'assisted', receipt, tag: null, stationId, batchId: null, sections });
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'ballot.accepted',
			payload: { roundId, channel: 'assisted' }
		});
		return { receipt };
	});
}

/**
 * The rightful owner is never locked out: during voting, an official who checked the DNI card in person voids the
 * web ballot held under that DNI (found through its tag), with a reason. The roll row becomes unvoted, so the person
 * then votes by any channel. Counted per station in reconciliation; audited without the DNI in clear.
 */
export function voidWebBallot(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	stationId: number,
	dniInput: unknown,
	reasonInput: unknown,
	birthDateInput: unknown
) {
	authorize(actor, 'voting.station', municipalityId);
	const reason = requireText(reasonInput, 'voidReason', 300, ML);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		requireOpen(tx, round);
		stationOf(tx, roundId, stationId);
		const v = findVoter(tx, municipalityId, dniInput);
		checkCard(v, birthDateInput);
		const row = rollRow(tx, roundId, v.hmac);
		if (row?.channel !== 'web') throw new UserError('ballot.noWebBallot', {}, 409);
		const key = roundKey(tx, roundId, false);
		if (!key) throw new UserError('ballot.replaceUnavailable', {}, 409);
		const tag = ballotTag(key, v.hmac);
		const n = tx
			.update(ballots)
			.set({ status: 'voided' })
			.where(and(eq(ballots.roundId, roundId), eq(ballots.tag, tag), eq(ballots.status, 'counted')))
			.run().changes;
		if (n !== 1) throw new UserError('ballot.replaceUnavailable', {}, 409);
		tx.update(receipts)
			.set({ status: 'superseded' })
			.where(and(eq(receipts.roundId, roundId), eq(receipts.tag, tag), eq(receipts.status, 'counted')))
			.run();
		tx.update(rollEntries)
			.set({ channel: null, day: null, stationId: null, markedByUserId: null })
			.where(eq(rollEntries.id, row.id))
			.run();
		tx.insert(webVoids).values({ roundId, stationId, byUserId: actor.userId, reason, day: limaToday() }).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'voting.webBallotVoided',
			payload: { roundId, stationId, personId: v.person?.id ?? null, reason },
			personal: true
		});
		return { voided: true };
	});
}
