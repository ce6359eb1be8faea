/**
 * Voting: web, assisted and paper ballots; the station roll; receipts; turnout; reconciliation.
 *
 * Secrecy rules kept here: ballot content (ballot_section) names no one; only web ballots carry the voter's person id
 * (for the one-counted-ballot constraint and replacement); the audit event `ballot.accepted` carries the round, the
 * channel and the ballot's sequence number, never the voter or the choices; nothing here logs choices; officials
 * get counts only. Receipts are stored as SHA-256 and answer "counted" or "superseded", never the content.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { randomBytes, createHash } from 'node:crypto';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import {
	checkEligibility,
	parseSectionForm,
	validateSection,
	type SectionChoices,
	type SectionSpec
} from '../../domain/ballot';
import { compareEntries, parsePaperLine, splitLines, type PaperSection } from '../../domain/paper';
import type { BallotRule, RoundRules } from '../../domain/round-rules';
import { groupWrite, writeTx, type Db } from '../db/client';
import {
	ballots,
	ballotSections,
	batchEntries,
	censusEntries,
	paperBatches,
	persons,
	proposals,
	rollMarks,
	roundBudgets,
	roundPhases,
	rounds,
	stations,
	zones,
	type BallotChannel
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import { requireText } from '../platform/validation';

/** Proposals a voter chooses from while voting is open. */
export const BALLOT_STATUSES = ['feasible', 'on_ballot'] as const;

const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;
/** Today's date (YYYY-MM-DD) in Peru. */
export function limaToday(now = Date.now()): string {
	return new Date(now + LIMA_OFFSET_MS).toISOString().slice(0, 10);
}

type RoundRow = typeof rounds.$inferSelect;

function loadRound(db: Db, municipalityId: number, roundId: number): RoundRow {
	const round = Number.isSafeInteger(roundId)
		? prepared(db, 'voting.round', () =>
				db
					.select()
					.from(rounds)
					.where(and(eq(rounds.id, sql.placeholder('id')), eq(rounds.municipalityId, sql.placeholder('m'))))
					.prepare()
			).get({ id: roundId, m: municipalityId })
		: undefined;
	if (!round) throw new UserError('ballot.roundNotFound', {}, 404);
	return round;
}

function votingWindow(db: Db, roundId: number) {
	return prepared(db, 'voting.window', () =>
		db
			.select({ startsOn: roundPhases.startsOn, endsOn: roundPhases.endsOn })
			.from(roundPhases)
			.where(and(eq(roundPhases.roundId, sql.placeholder('roundId')), eq(roundPhases.phase, 'votacion')))
			.prepare()
	).get({ roundId });
}

/** Voting is open while the round is in its voting phase and the timetable's last voting day has not passed. */
function requireOpen(db: Db, round: RoundRow, now = Date.now()) {
	if (round.phase !== 'votacion') throw new UserError('ballot.closed', {}, 409);
	const w = votingWindow(db, round.id);
	if (w && limaToday(now) > w.endsOn) throw new UserError('ballot.closed', {}, 409);
}

/** The day on which age is counted: the first voting day of the timetable, else the day the phase opened. */
function votingDate(db: Db, round: RoundRow): string {
	const w = votingWindow(db, round.id);
	if (w) return w.startsOn;
	return limaToday(round.phaseChangedAt ?? Date.now());
}

export interface BallotProjectView {
	id: number;
	seq: number;
	title: string;
	/** The title shown is a reviewed translation (the original is in the other language). */
	translated: boolean;
	summary: string;
	costCents: number;
}

export interface BallotSectionView extends SectionSpec {
	index: number;
	zoneId: number | null;
	zoneName: string | null;
	projects: BallotProjectView[];
}

export interface BallotPaper {
	round: { id: number; title: string; phase: string; rules: RoundRules };
	rule: BallotRule;
	sections: BallotSectionView[];
}

function summarise(text: string, max = 140): string {
	const t = text.replace(/\s+/g, ' ').trim();
	return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + '…';
}

/** The ballot paper for a set of budget sections: the feasible proposals of each, in public-number order. */
function paperFor(
	db: Db,
	round: RoundRow,
	sections: { zoneId: number | null; budgetCents: number }[],
	locale: string
): BallotPaper {
	const rows = prepared(db, 'voting.ballotProposals', () =>
		db
			.select()
			.from(proposals)
			.where(and(eq(proposals.roundId, sql.placeholder('roundId')), inArray(proposals.status, [...BALLOT_STATUSES])))
			.orderBy(asc(proposals.seq))
			.prepare()
	).all({ roundId: round.id });
	const zoneNames = new Map(
		prepared(db, 'voting.zoneNames', () =>
			db
				.select({ id: zones.id, name: zones.name })
				.from(zones)
				.where(eq(zones.municipalityId, sql.placeholder('m')))
				.prepare()
		)
			.all({ m: round.municipalityId })
			.map((z) => [z.id, z.name])
	);
	const view = sections.map((s, index) => ({
		index,
		zoneId: s.zoneId,
		zoneName: s.zoneId === null ? null : (zoneNames.get(s.zoneId) ?? null),
		budgetCents: s.budgetCents,
		projects: rows
			.filter((p) => p.zoneId === s.zoneId)
			.map((p) => {
				const translated = p.originalLocale !== locale && Boolean(p.translatedTitle);
				return {
					id: p.id,
					seq: p.seq,
					title: translated ? p.translatedTitle! : p.title,
					translated,
					summary: summarise(translated && p.translatedDescription ? p.translatedDescription : p.description),
					costCents: p.adjustedCostCents ?? p.estimatedCostCents
				};
			})
	}));
	const title = locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs;
	return {
		round: { id: round.id, title, phase: round.phase, rules: round.rules },
		rule: round.rules.ballot,
		sections: view
	};
}

function budgetsOf(db: Db, roundId: number) {
	return prepared(db, 'voting.budgets', () =>
		db
			.select({ zoneId: roundBudgets.zoneId, amountCents: roundBudgets.amountCents })
			.from(roundBudgets)
			.where(eq(roundBudgets.roundId, sql.placeholder('roundId')))
			.prepare()
	).all({ roundId });
}

/** Sections this person may vote in, or the precise reason they may not. */
function eligibleSections(db: Db, round: RoundRow, person: typeof persons.$inferSelect) {
	let budgets = budgetsOf(db, round.id);
	// A round without a split has one municipality-wide budget: its ceiling.
	if (!budgets.length) budgets = [{ zoneId: null, amountCents: round.budgetCents }];
	const e = checkEligibility(
		{ verified: Boolean(person.verifiedAt), birthDate: person.birthDate, zoneId: person.zoneId },
		{ minAge: round.rules.minAge, voteScope: round.rules.voteScope, votingDate: votingDate(db, round), budgets }
	);
	if (!e.ok) throw new UserError(e.error.code, e.error.params, 403);
	return e.sections;
}

function personOf(db: Db, municipalityId: number, personId: number) {
	const p = prepared(db, 'voting.person', () =>
		db
			.select()
			.from(persons)
			.where(and(eq(persons.id, sql.placeholder('id')), eq(persons.municipalityId, sql.placeholder('m'))))
			.prepare()
	).get({ id: personId, m: municipalityId });
	if (!p) throw new UserError('forbidden', {}, 403);
	return p;
}

export type VoterState =
	| { kind: 'none' }
	| { kind: 'voted'; castAt: number; channel: BallotChannel }
	| { kind: 'marked'; kind2: 'paper' | 'assisted' };

function voterState(db: Db, roundId: number, personId: number): VoterState {
	const mark = db
		.select({ kind: rollMarks.kind })
		.from(rollMarks)
		.where(and(eq(rollMarks.roundId, roundId), eq(rollMarks.personId, personId)))
		.get();
	if (mark) return { kind: 'marked', kind2: mark.kind };
	const b = db
		.select({ castAt: ballots.castAt, channel: ballots.channel })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.voterPersonId, personId), eq(ballots.status, 'counted')))
		.get();
	return b ? { kind: 'voted', castAt: b.castAt, channel: b.channel } : { kind: 'none' };
}

/**
 * What the logged-in resident sees on the ballot page. Throws a translated refusal when they may not vote
 * (not verified, too young, no zone, voting closed, already marked at a polling station).
 */
export function ballotForVoter(db: Db, actor: Actor | null, municipalityId: number, roundId: number, locale: string) {
	authorize(actor, 'ballot.cast', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	requireOpen(db, round);
	const person = personOf(db, municipalityId, actor.personId);
	const sections = eligibleSections(db, round, person);
	const state = voterState(db, roundId, person.id);
	if (state.kind === 'marked') throw new UserError('ballot.markedAtStation', {}, 409);
	return { paper: paperFor(db, round, sections, locale), state };
}

/** Reads and checks the whole ballot form: each section by the round's rule. Errors name the section. */
export function readBallotForm(paper: BallotPaper, get: (name: string) => string[]): SectionChoices[] {
	return paper.sections.map((s) => {
		const r = parseSectionForm(paper.rule, s, `s${s.index}`, get);
		if (!r.ok) throw new UserError(r.error.code, { ...r.error.params, section: s.index + 1 }, 400);
		return r.choices;
	});
}

export function newReceiptCode(): string {
	// 80 random bits in Crockford-like base32 without look-alikes, grouped for reading aloud: ABCD-EFGH-JKMN-PQRS.
	const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
	const bytes = randomBytes(16);
	let s = '';
	for (let i = 0; i < 16; i++) s += alphabet[bytes[i] % alphabet.length];
	return s.match(/.{4}/g)!.join('-');
}

export function normaliseReceipt(code: string): string {
	return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export function receiptHash(code: string): string {
	return createHash('sha256')
		.update('receipt:' + normaliseReceipt(code))
		.digest('hex');
}

function nextSeq(tx: Db, roundId: number): number {
	const last = prepared(tx, 'voting.lastSeq', () =>
		tx
			.select({ seq: ballots.seq })
			.from(ballots)
			.where(eq(ballots.roundId, sql.placeholder('roundId')))
			.orderBy(desc(ballots.seq))
			.limit(1)
			.prepare()
	).get({ roundId });
	return (last?.seq ?? 0) + 1;
}

function insertBallot(
	tx: Db,
	round: RoundRow,
	input: {
		voterPersonId: number | null;
		channel: BallotChannel;
		receipt: string | null;
		stationId: number | null;
		batchId: number | null;
		sections: { zoneId: number | null; choices: SectionChoices }[];
		now: number;
	}
) {
	const seq = nextSeq(tx, round.id);
	const ph = (name: string) => sql.placeholder(name);
	const b = prepared(tx, 'voting.insertBallot', () =>
		tx
			.insert(ballots)
			.values({
				municipalityId: ph('municipalityId'),
				roundId: ph('roundId'),
				seq: ph('seq'),
				voterPersonId: ph('voterPersonId'),
				channel: ph('channel'),
				status: 'counted',
				receiptHash: ph('receiptHash'),
				stationId: ph('stationId'),
				batchId: ph('batchId'),
				castAt: ph('castAt')
			})
			.returning({ id: ballots.id })
			.prepare()
	).get({
		municipalityId: round.municipalityId,
		roundId: round.id,
		seq,
		voterPersonId: input.voterPersonId,
		channel: input.channel,
		receiptHash: input.receipt ? receiptHash(input.receipt) : null,
		stationId: input.stationId,
		batchId: input.batchId,
		castAt: input.now
	})!;
	const insertSection = prepared(tx, 'voting.insertSection', () =>
		tx
			.insert(ballotSections)
			.values({ ballotId: ph('ballotId'), budgetZoneId: ph('zoneId'), choices: ph('choices') })
			.prepare()
	);
	for (const s of input.sections) insertSection.run({ ballotId: b.id, zoneId: s.zoneId, choices: s.choices });
	return { id: b.id, seq };
}

/** Checks the choices again against the sections, inside the transaction (the round may have changed since the page). */
function checkChoices(paper: BallotPaper, choices: SectionChoices[]) {
	if (choices.length !== paper.sections.length) throw new UserError('ballot.invalid', {}, 400);
	return paper.sections.map((s, i) => {
		const r = validateSection(paper.rule, s, choices[i]);
		if (!r.ok) throw new UserError(r.error.code, { ...r.error.params, section: s.index + 1 }, 400);
		return { zoneId: s.zoneId, choices: r.choices };
	});
}

/**
 * Casts (or replaces) the resident's web ballot in ONE immediate transaction: eligibility and the roll are
 * re-checked inside it, the previous counted ballot is superseded, the new one inserted with its sections, the
 * audit event appended. Returns only after the commit; the receipt code is returned once and never stored.
 */
export function castWebBallot(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale = 'es'
) {
	authorize(actor, 'ballot.cast', municipalityId);
	return writeTx(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices, locale));
}

/** The same cast for the web form under load: concurrent casts share one commit (group commit), each answered after it. */
export function castWebBallotGrouped(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale = 'es'
): Promise<{ receipt: string; replaced: boolean }> {
	authorize(actor, 'ballot.cast', municipalityId);
	return groupWrite(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices, locale));
}

function castInTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale: string
) {
	const receipt = newReceiptCode();
	const now = Date.now();
	{
		const round = loadRound(tx, municipalityId, roundId);
		requireOpen(tx, round, now);
		const person = personOf(tx, municipalityId, actor.personId);
		const paper = paperFor(tx, round, eligibleSections(tx, round, person), locale);
		const sections = checkChoices(paper, typeof choices === 'function' ? choices(paper) : choices);
		const mark = prepared(tx, 'voting.rollMark', () =>
			tx
				.select({ id: rollMarks.id })
				.from(rollMarks)
				.where(
					and(eq(rollMarks.roundId, sql.placeholder('roundId')), eq(rollMarks.personId, sql.placeholder('personId')))
				)
				.prepare()
		).get({ roundId, personId: person.id });
		if (mark) throw new UserError('ballot.markedAtStation', {}, 409);
		const replaced = prepared(tx, 'voting.supersede', () =>
			tx
				.update(ballots)
				.set({ status: 'superseded', supersededAt: sql`${sql.placeholder('now')}` })
				.where(
					and(
						eq(ballots.roundId, sql.placeholder('roundId')),
						eq(ballots.voterPersonId, sql.placeholder('personId')),
						eq(ballots.status, 'counted')
					)
				)
				.prepare()
		).run({ now, roundId, personId: person.id }).changes;
		const b = insertBallot(tx, round, {
			voterPersonId: person.id,
			channel: 'web',
			receipt,
			stationId: null,
			batchId: null,
			sections,
			now
		});
		// No actor, no voter, no choices: only that the round received its n-th ballot by this channel.
		appendAudit(tx, {
			municipalityId,
			actorUserId: null,
			type: 'ballot.accepted',
			payload: { roundId, channel: 'web', ballotSeq: b.seq }
		});
		return { receipt, replaced: replaced > 0 };
	}
}

export type ReceiptStatus = 'counted' | 'superseded';

/** Counted or superseded — never the content. */
export function checkReceipt(db: Db, municipalityId: number, roundId: number, code: unknown): ReceiptStatus {
	const c = typeof code === 'string' ? normaliseReceipt(code) : '';
	if (c.length !== 16) throw new UserError('ballot.receiptFormat');
	const row = db
		.select({ status: ballots.status })
		.from(ballots)
		.where(
			and(
				eq(ballots.receiptHash, receiptHash(c)),
				eq(ballots.roundId, roundId),
				eq(ballots.municipalityId, municipalityId)
			)
		)
		.get();
	if (!row) throw new UserError('ballot.receiptUnknown', {}, 404);
	return row.status;
}

/** Public facts about a round for the receipt page and links (no counts while voting is open). */
export function roundHeader(db: Db, municipalityId: number, roundId: number, locale: string) {
	const r = loadRound(db, municipalityId, roundId);
	return { id: r.id, title: locale === 'qu' && r.titleQu ? r.titleQu : r.titleEs, phase: r.phase };
}

/**
 * If an account is deleted, its counted ballot stays, anonymous: call inside the deleting transaction before the
 * person row goes.
 */
export function detachVoter(tx: Db, personId: number) {
	tx.update(ballots).set({ voterPersonId: null }).where(eq(ballots.voterPersonId, personId)).run();
}

// ---------------------------------------------------------------------------------------------------------------
// Officials: turnout (counts only)

export function turnout(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.turnout', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	const counted = and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted'));
	const byChannel = db
		.select({ channel: ballots.channel, n: count() })
		.from(ballots)
		.where(counted)
		.groupBy(ballots.channel)
		.all();
	const replaced = db
		.select({ n: count() })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'superseded')))
		.get()!.n;
	// By zone: a ballot belongs to the zone whose section it carries (its own budget); wide-only ballots apart.
	const zoneRows = db
		.select({ zoneId: ballotSections.budgetZoneId, channel: ballots.channel, n: count() })
		.from(ballotSections)
		.innerJoin(ballots, eq(ballotSections.ballotId, ballots.id))
		.where(and(counted, sql`${ballotSections.budgetZoneId} is not null`))
		.groupBy(ballotSections.budgetZoneId, ballots.channel)
		.all();
	const zoneList = db
		.select()
		.from(zones)
		.where(eq(zones.municipalityId, municipalityId))
		.orderBy(asc(zones.name))
		.all();
	const eligible = db
		.select({ zoneId: persons.zoneId, n: count() })
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), sql`${persons.verifiedAt} is not null`))
		.groupBy(persons.zoneId)
		.all();
	const channels = ['web', 'assisted', 'paper'] as const;
	const perZone = zoneList.map((z) => {
		const row = Object.fromEntries(
			channels.map((c) => [c, zoneRows.find((r) => r.zoneId === z.id && r.channel === c)?.n ?? 0])
		) as Record<BallotChannel, number>;
		return {
			zoneId: z.id,
			name: z.name,
			...row,
			total: row.web + row.assisted + row.paper,
			verified: eligible.find((e) => e.zoneId === z.id)?.n ?? 0
		};
	});
	const totals = Object.fromEntries(channels.map((c) => [c, byChannel.find((r) => r.channel === c)?.n ?? 0])) as Record<
		BallotChannel,
		number
	>;
	const total = totals.web + totals.assisted + totals.paper;
	const zoned = perZone.reduce((s, z) => s + z.total, 0);
	return {
		round: { id: round.id, title: round.titleEs, phase: round.phase },
		totals: { ...totals, total, replaced, wideOnly: total - zoned },
		verified: eligible.reduce((s, e) => s + e.n, 0),
		perZone
	};
}

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

function stationOf(db: Db, roundId: number, stationId: number) {
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

function findVoter(db: Db, municipalityId: number, dniInput: unknown) {
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
function markInTx(
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

// ---------------------------------------------------------------------------------------------------------------
// Officials: paper batches with double entry

/** The sections printed on a batch's ballot paper: the zone's section (if any), then the municipality-wide share. */
function batchPaper(
	db: Db,
	round: RoundRow,
	zoneId: number | null,
	locale: string
): { paper: BallotPaper; sections: PaperSection[] } {
	let budgets = budgetsOf(db, round.id);
	if (!budgets.length) budgets = [{ zoneId: null, amountCents: round.budgetCents }];
	const wide = budgets.find((b) => b.zoneId === null);
	const own = zoneId === null ? undefined : budgets.find((b) => b.zoneId === zoneId);
	const secs: { zoneId: number | null; budgetCents: number }[] = [];
	if (own) secs.push({ zoneId: own.zoneId, budgetCents: own.amountCents });
	const zoneBudgets = budgets.filter((b) => b.zoneId !== null);
	if (wide && (round.rules.voteScope === 'own_zone_and_wide' || zoneBudgets.length === 0))
		secs.push({ zoneId: null, budgetCents: wide.amountCents });
	if (!secs.length) throw new UserError('ballot.zoneNotInRound', {}, 400);
	const paper = paperFor(db, round, secs, locale);
	return {
		paper,
		sections: paper.sections.map((s) => ({ ...s, numbers: new Map(s.projects.map((p) => [p.seq, p.id])) }))
	};
}

export function createBatch(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: { stationId: unknown; zoneId: unknown; label: unknown; declaredCount: unknown }
) {
	authorize(actor, 'voting.station', municipalityId);
	const label = requireText(input.label, 'batchLabel', 60);
	const declared = Number(input.declaredCount);
	if (!Number.isSafeInteger(declared) || declared < 1 || declared > 5000)
		throw new UserError('ballot.batchCount', { max: 5000 });
	const zoneId =
		input.zoneId === '' || input.zoneId === null || input.zoneId === undefined ? null : Number(input.zoneId);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		if (round.phase !== 'votacion' && round.phase !== 'resultados') throw new UserError('ballot.closed', {}, 409);
		const station = stationOf(tx, roundId, Number(input.stationId));
		if (
			zoneId !== null &&
			!tx
				.select()
				.from(zones)
				.where(and(eq(zones.id, zoneId), eq(zones.municipalityId, municipalityId)))
				.get()
		)
			throw new UserError('zone.unknown');
		batchPaper(tx, round, zoneId, 'es');
		if (
			tx
				.select()
				.from(paperBatches)
				.where(
					and(eq(paperBatches.roundId, roundId), eq(paperBatches.stationId, station.id), eq(paperBatches.label, label))
				)
				.get()
		)
			throw new UserError('ballot.batchExists', { label }, 409);
		const b = tx
			.insert(paperBatches)
			.values({
				municipalityId,
				roundId,
				stationId: station.id,
				zoneId,
				label,
				declaredCount: declared,
				createdByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'paper.batchCreated',
			payload: { roundId, batchId: b.id, stationId: station.id, zoneId, label, declaredCount: declared }
		});
		return b;
	});
}

export function listBatches(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.station', municipalityId);
	loadRound(db, municipalityId, roundId);
	const rows = db
		.select({ batch: paperBatches, stationName: stations.name, zoneName: zones.name })
		.from(paperBatches)
		.innerJoin(stations, eq(paperBatches.stationId, stations.id))
		.leftJoin(zones, eq(paperBatches.zoneId, zones.id))
		.where(eq(paperBatches.roundId, roundId))
		.orderBy(asc(stations.name), asc(paperBatches.label))
		.all();
	const entries = db
		.select({ batchId: batchEntries.batchId, n: count() })
		.from(batchEntries)
		.innerJoin(paperBatches, eq(batchEntries.batchId, paperBatches.id))
		.where(eq(paperBatches.roundId, roundId))
		.groupBy(batchEntries.batchId)
		.all();
	return rows.map((r) => ({
		id: r.batch.id,
		label: r.batch.label,
		stationName: r.stationName,
		zoneName: r.zoneName,
		declaredCount: r.batch.declaredCount,
		status: r.batch.status,
		entries: entries.find((e) => e.batchId === r.batch.id)?.n ?? 0
	}));
}

function batchOf(db: Db, municipalityId: number, roundId: number, batchId: number) {
	const b = Number.isSafeInteger(batchId)
		? db
				.select()
				.from(paperBatches)
				.where(
					and(
						eq(paperBatches.id, batchId),
						eq(paperBatches.roundId, roundId),
						eq(paperBatches.municipalityId, municipalityId)
					)
				)
				.get()
		: undefined;
	if (!b) throw new UserError('ballot.batchUnknown', {}, 404);
	return b;
}

/** A batch for the keying page: its paper (numbers and titles), who keyed it, and the discrepancies once both did. */
export function batchDetail(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	locale: string
) {
	authorize(actor, 'voting.station', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	const batch = batchOf(db, municipalityId, roundId, batchId);
	const station = stationOf(db, roundId, batch.stationId);
	const entries = db
		.select()
		.from(batchEntries)
		.where(eq(batchEntries.batchId, batch.id))
		.orderBy(asc(batchEntries.entryNo))
		.all();
	const { paper } = batchPaper(db, round, batch.zoneId, locale);
	const mine = entries.find((e) => e.enteredByUserId === actor.userId) ?? null;
	const discrepancies = entries.length === 2 ? compareEntries(entries[0].lines, entries[1].lines) : [];
	return {
		batch: {
			id: batch.id,
			label: batch.label,
			declaredCount: batch.declaredCount,
			status: batch.status,
			zoneId: batch.zoneId,
			stationName: station.name
		},
		paper,
		entries: entries.map((e) => ({
			entryNo: e.entryNo,
			lineCount: e.lines.length,
			mine: e.enteredByUserId === actor.userId
		})),
		keyedByMe: Boolean(mine),
		discrepancies: batch.status === 'discrepancy' ? discrepancies : [],
		lengthMismatch: entries.length === 2 && entries[0].lines.length !== entries[1].lines.length
	};
}

/**
 * Counts an agreed batch: each line becomes an anonymous paper ballot (or is refused as void), in the same
 * transaction that accepts the batch. One audit event for the batch.
 */
function acceptBatch(tx: Db, actor: Actor, round: RoundRow, batch: typeof paperBatches.$inferSelect, lines: string[]) {
	const { sections } = batchPaper(tx, round, batch.zoneId, 'es');
	const parsed = lines.map((l) => parsePaperLine(round.rules.ballot, sections, l));
	const bad = parsed.findIndex((p) => p.kind === 'unreadable');
	if (bad >= 0) {
		const p = parsed[bad] as { error: { code: string; params: Record<string, string | number> } };
		throw new UserError('ballot.paperLine', { line: bad + 1, code: p.error.code, ...p.error.params }, 400);
	}
	const now = Date.now();
	let accepted = 0;
	let firstSeq = 0;
	let lastSeq = 0;
	for (const p of parsed) {
		if (p.kind !== 'valid') continue;
		const b = insertBallot(tx, round, {
			voterPersonId: null,
			channel: 'paper',
			receipt: null,
			stationId: batch.stationId,
			batchId: batch.id,
			sections: p.sections.map((choices, i) => ({ zoneId: sections[i].zoneId, choices })),
			now
		});
		firstSeq ||= b.seq;
		lastSeq = b.seq;
		accepted++;
	}
	tx.update(paperBatches)
		.set({ status: 'accepted', resolvedLines: lines, resolvedByUserId: actor.userId, acceptedAt: now })
		.where(eq(paperBatches.id, batch.id))
		.run();
	appendAudit(tx, {
		municipalityId: round.municipalityId,
		actorUserId: actor.userId,
		type: 'paper.batchAccepted',
		payload: {
			roundId: round.id,
			batchId: batch.id,
			channel: 'paper',
			keyed: lines.length,
			accepted,
			void: lines.length - accepted,
			firstBallotSeq: firstSeq || null,
			lastBallotSeq: lastSeq || null
		}
	});
	return { accepted, void: lines.length - accepted };
}

export type EntryOutcome =
	| { state: 'waiting' }
	| { state: 'accepted'; accepted: number; void: number }
	| { state: 'discrepancy'; count: number };

/** One official keys the whole batch. The second keying (by another official) is compared with the first. */
export function enterBatch(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	text: unknown
): EntryOutcome {
	authorize(actor, 'voting.station', municipalityId);
	const lines = splitLines(typeof text === 'string' ? text : '');
	if (!lines.length) throw new UserError('ballot.batchEmpty');
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const batch = batchOf(tx, municipalityId, roundId, batchId);
		if (batch.status !== 'keying') throw new UserError('ballot.batchClosed', {}, 409);
		const { sections } = batchPaper(tx, round, batch.zoneId, 'es');
		// Typos are caught at keying time, before the two keyings are compared.
		lines.forEach((l, i) => {
			const p = parsePaperLine(round.rules.ballot, sections, l);
			if (p.kind === 'unreadable')
				throw new UserError('ballot.paperLine', { line: i + 1, code: p.error.code, ...p.error.params }, 400);
		});
		const entries = tx
			.select()
			.from(batchEntries)
			.where(eq(batchEntries.batchId, batch.id))
			.orderBy(asc(batchEntries.entryNo))
			.all();
		if (entries.some((e) => e.enteredByUserId === actor.userId))
			throw new UserError('ballot.batchSameOfficial', {}, 409);
		const entryNo = entries.length + 1;
		tx.insert(batchEntries)
			.values({ batchId: batch.id, entryNo, enteredByUserId: actor.userId, lines, enteredAt: Date.now() })
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'paper.batchKeyed',
			payload: { roundId, batchId: batch.id, entryNo, lines: lines.length }
		});
		if (entryNo === 1) return { state: 'waiting' } as const;
		const diff = compareEntries(entries[0].lines, lines);
		if (!diff.length) return { state: 'accepted', ...acceptBatch(tx, actor, round, batch, lines) } as const;
		tx.update(paperBatches).set({ status: 'discrepancy' }).where(eq(paperBatches.id, batch.id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'paper.batchDiscrepancy',
			payload: { roundId, batchId: batch.id, lines: diff.map((d) => d.line) }
		});
		return { state: 'discrepancy', count: diff.length } as const;
	});
}

/**
 * Resolves every discrepancy after looking at the paper ballots: for each differing line, the first keying,
 * the second, or a corrected line. The agreed lines are then counted.
 */
export function resolveBatch(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	get: (name: string) => string | null
) {
	authorize(actor, 'voting.station', municipalityId);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const batch = batchOf(tx, municipalityId, roundId, batchId);
		if (batch.status !== 'discrepancy') throw new UserError('ballot.batchClosed', {}, 409);
		const entries = tx
			.select()
			.from(batchEntries)
			.where(eq(batchEntries.batchId, batch.id))
			.orderBy(asc(batchEntries.entryNo))
			.all();
		const [a, b] = [entries[0].lines, entries[1].lines];
		const diffs = new Map(compareEntries(a, b).map((d) => [d.line, d]));
		const out: string[] = [];
		const n = Math.max(a.length, b.length);
		for (let line = 1; line <= n; line++) {
			const d = diffs.get(line);
			if (!d) {
				out.push(a[line - 1]);
				continue;
			}
			const pick = get(`line${line}`);
			const custom = (get(`custom${line}`) ?? '').trim();
			if (pick === 'first' && d.first !== null) out.push(d.first);
			else if (pick === 'second' && d.second !== null) out.push(d.second);
			else if (pick === 'none')
				continue; // the line does not exist on paper: drop it
			else if (pick === 'custom' && custom) out.push(custom);
			else throw new UserError('ballot.resolveMissing', { line }, 400);
		}
		const result = acceptBatch(tx, actor, round, batch, out);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'paper.batchResolved',
			payload: { roundId, batchId: batch.id, resolvedLines: [...diffs.keys()] }
		});
		return result;
	});
}

// ---------------------------------------------------------------------------------------------------------------
// Officials: reconciliation per station

export function reconciliation(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.turnout', municipalityId);
	loadRound(db, municipalityId, roundId);
	const stationList = db.select().from(stations).where(eq(stations.roundId, roundId)).orderBy(asc(stations.name)).all();
	const marks = db
		.select({ stationId: rollMarks.stationId, kind: rollMarks.kind, n: count() })
		.from(rollMarks)
		.where(eq(rollMarks.roundId, roundId))
		.groupBy(rollMarks.stationId, rollMarks.kind)
		.all();
	const counted = db
		.select({ stationId: ballots.stationId, channel: ballots.channel, n: count() })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
		.groupBy(ballots.stationId, ballots.channel)
		.all();
	const batches = db.select().from(paperBatches).where(eq(paperBatches.roundId, roundId)).all();
	return stationList.map((s) => {
		const mine = batches.filter((b) => b.stationId === s.id);
		const acceptedBatches = mine.filter((b) => b.status === 'accepted');
		const keyed = acceptedBatches.reduce((sum, b) => sum + (b.resolvedLines?.length ?? 0), 0);
		const markedPaper = marks.find((m) => m.stationId === s.id && m.kind === 'paper')?.n ?? 0;
		const markedAssisted = marks.find((m) => m.stationId === s.id && m.kind === 'assisted')?.n ?? 0;
		const paperAccepted = counted.find((c) => c.stationId === s.id && c.channel === 'paper')?.n ?? 0;
		const assisted = counted.find((c) => c.stationId === s.id && c.channel === 'assisted')?.n ?? 0;
		const declared = mine.reduce((sum, b) => sum + b.declaredCount, 0);
		const pending = mine.length - acceptedBatches.length;
		return {
			stationId: s.id,
			name: s.name,
			markedPaper,
			markedAssisted,
			declared,
			keyed,
			paperAccepted,
			paperVoid: keyed - paperAccepted,
			assisted,
			pendingBatches: pending,
			// The counts agree: every paper handed out was keyed (none pending) and every assisted voter has a ballot.
			agrees: pending === 0 && markedPaper === keyed && declared === keyed && markedAssisted === assisted
		};
	});
}

/** For the results module: counted ballots of a round, content only (no voter, no receipt), in a stable order. */
export function countedSections(db: Db, roundId: number) {
	return db
		.select({
			ballotId: ballots.id,
			publicId: ballots.publicId,
			budgetZoneId: ballotSections.budgetZoneId,
			choices: ballotSections.choices
		})
		.from(ballotSections)
		.innerJoin(ballots, eq(ballotSections.ballotId, ballots.id))
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
		.all();
}

/** Assigns random public ids to the round's counted ballots (at results time): exports use these, never ids or receipts. */
export function assignPublicIds(tx: Db, roundId: number) {
	const rows = tx
		.select({ id: ballots.id })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted'), isNull(ballots.publicId)))
		.all();
	for (const r of rows)
		tx.update(ballots)
			.set({ publicId: randomBytes(9).toString('base64url') })
			.where(eq(ballots.id, r.id))
			.run();
	return rows.length;
}
