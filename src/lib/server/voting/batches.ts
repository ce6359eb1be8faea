/** Paper ballots: batches keyed twice by two officials, discrepancies resolved, agreed batches counted. */
import { and, asc, count, countDistinct, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { compareEntries, parsePaperLine, splitLines, type PaperSection } from '../../domain/paper';
import { MIN_REASON_LENGTH } from '../../domain/results-guards';
import { writeTx, type Db } from '../db/client';
import {
	batchEntries,
	persons,
	roleGrants,
	rollEntries,
	paperBatches,
	resultSnapshots,
	type ResolvedAs,
	stations,
	users,
	zones
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { committeeSeat } from '../committee';
import { limaToday } from '../../domain/clock';
import { requireText } from '../platform/validation';
import { type RoundRow, loadRound, type BallotPaper, paperFor, budgetsOf } from './paper';
import { insertBallot } from './ballots';
import { stationOf } from './station';

// ---------------------------------------------------------------------------------------------------------------
// Officials: paper batches with double entry

/** The roles that key and resolve paper batches (policy 'voting.station'). */
const STATION_ROLES = ['admin', 'official'] as const;

/**
 * Four eyes need three people: with fewer than this many staff persons (distinct by DNI) able to key, a keying
 * difference is resolved by one keyer and confirmed line by line by the other.
 */
export const FOUR_EYES_STAFF = 3;

/**
 * Distinct DNIs holding a station role in the municipality now. An account without a DNI on record may not key or
 * resolve (requireActingDni), so it is not a pair of eyes (a deleted or merged-away account has none either).
 */
export function stationStaffPersons(db: Db, municipalityId: number): number {
	return (
		db
			.select({ n: countDistinct(persons.dniHmac) })
			.from(roleGrants)
			.innerJoin(users, eq(roleGrants.userId, users.id))
			.innerJoin(persons, eq(users.personId, persons.id))
			.where(
				and(
					eq(roleGrants.municipalityId, municipalityId),
					inArray(roleGrants.role, [...STATION_ROLES]),
					isNull(roleGrants.revokedAt)
				)
			)
			.get()?.n ?? 0
	);
}

/** The acting person's DNI HMAC as their account holds it now; null when it has none on record. */
function actingDni(db: Db, actor: Actor): string | null {
	return db.select({ h: persons.dniHmac }).from(persons).where(eq(persons.id, actor.personId)).get()?.h ?? null;
}

/**
 * Four eyes count persons by DNI, so whoever keys or resolves a batch must have one on record (staff accounts are
 * made with a DNI; one loses it when the office moves it to its rightful holder or a census match takes it).
 */
function requireActingDni(db: Db, actor: Actor): string {
	const h = actingDni(db, actor);
	if (!h) throw new UserError('ballot.keyerNoDni', {}, 403);
	return h;
}

/** The person behind each user id (two accounts of one DNI are one person). */
function personOf(db: Db, userIds: number[]): Map<number, number> {
	if (!userIds.length) return new Map();
	return new Map(
		db
			.select({ id: users.id, personId: users.personId })
			.from(users)
			.where(inArray(users.id, userIds))
			.all()
			.map((u) => [u.id, u.personId])
	);
}

/**
 * A batch's keyings in order, the one this actor keyed, and whether the pending resolution is theirs. Four eyes count
 * persons by DNI, not accounts: the actor keyed a version if they keyed it as this account, as this person, or as
 * anyone holding the DNI the actor holds now (`dni`, recorded with each keying: an account deleted and made again, a
 * DNI taken by a census match or moved by the office, merged accounts).
 */
function keyingsOf(db: Db, batch: typeof paperBatches.$inferSelect, actor: Actor, dni: string | null) {
	const entries = db
		.select()
		.from(batchEntries)
		.where(eq(batchEntries.batchId, batch.id))
		.orderBy(asc(batchEntries.entryNo))
		.all();
	const pending = batch.pendingResolution ?? null;
	const people = personOf(db, [...entries.map((e) => e.enteredByUserId), ...(pending ? [pending.byUserId] : [])]);
	const isMe = (userId: number) => userId === actor.userId || people.get(userId) === actor.personId;
	const mine = entries.find((e) => isMe(e.enteredByUserId) || (dni !== null && e.keyerDniHmac === dni)) ?? null;
	// The proposer is one of the keyers: their keying (older proposals name only the account).
	const proposerEntry = pending
		? (pending.entryNo ??
			entries.find(
				(e) => e.enteredByUserId === pending.byUserId || people.get(e.enteredByUserId) === people.get(pending.byUserId)
			)?.entryNo ??
			null)
		: null;
	const pendingMine = pending !== null && (isMe(pending.byUserId) || (mine !== null && mine.entryNo === proposerEntry));
	return { entries, mine, pendingMine };
}

/** Names of users (officials act in office: who keyed and who resolved a batch is public). */
function namesOf(db: Db, userIds: (number | null)[]): Map<number, string> {
	const ids = [...new Set(userIds.filter((x): x is number => x !== null))];
	if (!ids.length) return new Map();
	return new Map(
		db
			.select({ id: users.id, name: persons.fullName })
			.from(users)
			.innerJoin(persons, eq(users.personId, persons.id))
			.where(inArray(users.id, ids))
			.all()
			.map((u) => [u.id, u.name])
	);
}

/** The sections printed on a batch's ballot paper: the zone's section (if any), then the municipality-wide share. */
export function batchPaper(
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
		refuseAfterPublication(tx, roundId);
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

export function batchOf(db: Db, municipalityId: number, roundId: number, batchId: number) {
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
	const dni = actingDni(db, actor);
	const { entries, mine, pendingMine } = keyingsOf(db, batch, actor, dni);
	const { paper } = batchPaper(db, round, batch.zoneId, locale);
	const discrepancies = entries.length === 2 ? compareEntries(entries[0].lines, entries[1].lines) : [];
	const fewStaff = stationStaffPersons(db, municipalityId) < FOUR_EYES_STAFF;
	const pending = batch.pendingResolution ?? null;
	const names = namesOf(db, [...entries.map((e) => e.enteredByUserId), pending?.byUserId ?? null]);
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
		keyerNames: entries.map((e) => names.get(e.enteredByUserId) ?? ''),
		/** Who may resolve: 'other' (a person who keyed neither version), 'keyers' (few staff: both keyers). */
		resolution: fewStaff ? ('keyers' as const) : ('other' as const),
		/** The actor's account has no DNI on record: four eyes count DNIs, so it neither keys nor resolves. */
		noDni: dni === null,
		/** A keyer may resolve only where the municipality has fewer than three staff persons. */
		canResolve: dni !== null && batch.status === 'discrepancy' && (!mine || fewStaff) && !pendingMine,
		pending: pending ? { byName: names.get(pending.byUserId) ?? '', picks: pending.picks, mine: pendingMine } : null,
		discrepancies: batch.status === 'discrepancy' ? discrepancies : [],
		/** the round's computed result version: accepting this batch now needs a public reason */
		afterResults: resultVersion(db, roundId),
		lengthMismatch: entries.length === 2 && entries[0].lines.length !== entries[1].lines.length
	};
}

/** Audit event of a batch accepted after the round's first compute (its reason is public; results lists it). */
export const LATE_BATCH = 'paper.batchAfterResults';

/** The round's latest computed result version, or null before the first compute. */
export function resultVersion(db: Db, roundId: number): number | null {
	return (
		db
			.select({ version: resultSnapshots.version })
			.from(resultSnapshots)
			.where(eq(resultSnapshots.roundId, roundId))
			.orderBy(desc(resultSnapshots.version))
			.limit(1)
			.get()?.version ?? null
	);
}

/**
 * Once a result of the round is published the roll is reduced to counts (roll.ts) and the keyers' DNIs forgotten
 * (forgetBatchKeyers): no batch can count any more, so none is opened, keyed or resolved — a keying would only leave
 * a keyer's DNI HMAC behind for nothing, and the official would learn at the second keying that it was in vain.
 */
function refuseAfterPublication(tx: Db, roundId: number) {
	const published = tx
		.select({ id: resultSnapshots.id })
		.from(resultSnapshots)
		.where(and(eq(resultSnapshots.roundId, roundId), isNotNull(resultSnapshots.publishedAt)))
		.get();
	if (published) throw new UserError('ballot.afterPublication', {}, 409);
}

/**
 * Counts an agreed batch: each line becomes an anonymous paper ballot (or is refused as void), in the same
 * transaction that accepts the batch. One audit event for the batch.
 */
export function acceptBatch(
	tx: Db,
	actor: Actor,
	round: RoundRow,
	batch: typeof paperBatches.$inferSelect,
	lines: string[],
	who: { resolvedByUserId: number | null; confirmedByUserId?: number | null; resolvedAs?: ResolvedAs | null } = {
		resolvedByUserId: null
	},
	lateReason?: string | null
) {
	if (lines.length > batch.declaredCount)
		throw new UserError('ballot.batchOverDeclared', { declared: batch.declaredCount, keyed: lines.length }, 409);
	// After the first compute a batch changes a result already seen: it needs a public reason (the next compute
	// makes a new version that shows it).
	const after = resultVersion(tx, round.id);
	const reason = (lateReason ?? '').trim();
	if (after !== null && reason.length < MIN_REASON_LENGTH)
		throw new UserError('ballot.lateBatchReason', { version: after, min: MIN_REASON_LENGTH }, 409);
	const { sections } = batchPaper(tx, round, batch.zoneId, 'es');
	const parsed = lines.map((l) => parsePaperLine(round.rules.ballot, sections, l));
	const bad = parsed.findIndex((p) => p.kind === 'unreadable');
	if (bad >= 0) {
		const p = parsed[bad] as { error: { code: string; params: Record<string, string | number> } };
		throw new UserError('ballot.paperLine', { line: bad + 1, code: p.error.code, ...p.error.params }, 400);
	}
	// Never more paper ballots than papers handed out: the station's keyed lines over all its accepted batches,
	// this one included, stay within its paper claims on the roll.
	const claims = tx
		.select({ n: count() })
		.from(rollEntries)
		.where(
			and(
				eq(rollEntries.roundId, round.id),
				eq(rollEntries.stationId, batch.stationId),
				eq(rollEntries.channel, 'paper')
			)
		)
		.get()!.n;
	const keyedBefore = tx
		.select({ lines: paperBatches.resolvedLines })
		.from(paperBatches)
		.where(and(eq(paperBatches.stationId, batch.stationId), eq(paperBatches.status, 'accepted')))
		.all()
		.reduce((sum, b) => sum + (b.lines?.length ?? 0), 0);
	if (keyedBefore + lines.length > claims)
		throw new UserError('ballot.batchOverRoll', { claims, keyed: keyedBefore + lines.length }, 409);
	const now = Date.now();
	let accepted = 0;
	for (const p of parsed) {
		if (p.kind !== 'valid') continue;
		insertBallot(tx, round, {
			channel: 'paper',
			receipt: null,
			tag: null,
			stationId: batch.stationId,
			batchId: batch.id,
			sections: p.sections.map((choices, i) => ({ zoneId: sections[i].zoneId, choices }))
		});
		accepted++;
	}
	tx.update(paperBatches)
		.set({
			status: 'accepted',
			resolvedLines: lines,
			resolvedByUserId: who.resolvedByUserId,
			resolutionConfirmedByUserId: who.confirmedByUserId ?? null,
			resolvedAs: who.resolvedByUserId === null ? null : (who.resolvedAs ?? 'staff'),
			pendingResolution: null,
			acceptedAt: now
		})
		.where(eq(paperBatches.id, batch.id))
		.run();
	// The batch is closed: its keyers' DNIs are no longer needed to tell the pairs of eyes apart.
	tx.update(batchEntries).set({ keyerDniHmac: null }).where(eq(batchEntries.batchId, batch.id)).run();
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
			void: lines.length - accepted
		}
	});
	if (after !== null)
		appendAudit(tx, {
			municipalityId: round.municipalityId,
			actorUserId: actor.userId,
			type: LATE_BATCH,
			payload: {
				roundId: round.id,
				batchId: batch.id,
				label: batch.label,
				station: stationOf(tx, round.id, batch.stationId).name,
				afterVersion: after,
				reason
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
	text: unknown,
	/** required once the round has a computed result (see acceptBatch) */
	lateReason?: string | null
): EntryOutcome {
	authorize(actor, 'voting.station', municipalityId);
	const lines = splitLines(typeof text === 'string' ? text : '');
	if (!lines.length) throw new UserError('ballot.batchEmpty');
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const batch = batchOf(tx, municipalityId, roundId, batchId);
		if (batch.status !== 'keying') throw new UserError('ballot.batchClosed', {}, 409);
		refuseAfterPublication(tx, roundId);
		// A batch holds the papers counted by hand into its envelope, never more.
		if (lines.length > batch.declaredCount)
			throw new UserError('ballot.batchOverDeclared', { declared: batch.declaredCount, keyed: lines.length }, 409);
		const { sections } = batchPaper(tx, round, batch.zoneId, 'es');
		// Typos are caught at keying time, before the two keyings are compared.
		lines.forEach((l, i) => {
			const p = parsePaperLine(round.rules.ballot, sections, l);
			if (p.kind === 'unreadable')
				throw new UserError('ballot.paperLine', { line: i + 1, code: p.error.code, ...p.error.params }, 400);
		});
		// The two keyings come from two persons (distinct by DNI, not just two accounts); the keyer's DNI is recorded
		// with the keying, so no later change of accounts makes them someone else.
		const dni = requireActingDni(tx, actor);
		const { entries, mine } = keyingsOf(tx, batch, actor, dni);
		if (mine) throw new UserError('ballot.batchSameOfficial', {}, 409);
		const entryNo = entries.length + 1;
		tx.insert(batchEntries)
			.values({
				batchId: batch.id,
				entryNo,
				enteredByUserId: actor.userId,
				lines,
				enteredAt: Date.now(),
				keyerDniHmac: dni
			})
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'paper.batchKeyed',
			payload: { roundId, batchId: batch.id, entryNo, lines: lines.length }
		});
		if (entryNo === 1) return { state: 'waiting' } as const;
		const diff = compareEntries(entries[0].lines, lines);
		if (!diff.length)
			return {
				state: 'accepted',
				...acceptBatch(tx, actor, round, batch, lines, { resolvedByUserId: null }, lateReason)
			} as const;
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

export type ResolveOutcome =
	{ state: 'accepted'; accepted: number; void: number } | { state: 'proposed' } | { state: 'replaced' };

type Picks = { line: number; pick: string; value: string | null }[];

/** The batch's lines once each difference is chosen (first, second, none or a corrected line) from the form. */
function resolvedLines(
	entries: (typeof batchEntries.$inferSelect)[],
	get: (name: string) => string | null
): { out: string[]; picks: Picks } {
	const [a, b] = [entries[0].lines, entries[1].lines];
	const diffs = new Map(compareEntries(a, b).map((d) => [d.line, d]));
	const out: string[] = [];
	const picks: Picks = [];
	const n = Math.max(a.length, b.length);
	for (let line = 1; line <= n; line++) {
		const d = diffs.get(line);
		if (!d) {
			out.push(a[line - 1]);
			continue;
		}
		const pick = get(`line${line}`);
		const custom = (get(`custom${line}`) ?? '').trim();
		let value: string | null;
		if (pick === 'first' && d.first !== null) value = d.first;
		else if (pick === 'second' && d.second !== null) value = d.second;
		else if (pick === 'none')
			value = null; // the line does not exist on paper: drop it
		else if (pick === 'custom' && custom) value = custom;
		else throw new UserError('ballot.resolveMissing', { line }, 400);
		picks.push({ line, pick: pick!, value });
		if (value !== null) out.push(value);
	}
	return { out, picks };
}

/**
 * Resolves every discrepancy after looking at the paper ballots: for each differing line, the first keying, the
 * second, or a corrected line. Four eyes: the resolver is a person (distinct by DNI) who keyed neither version. Where
 * the municipality has fewer than three staff persons, a keyer may resolve, but the batch counts only once the other
 * keyer has confirmed every resolved line (by choosing the same). Each resolution is audited with who did it.
 */
export function resolveBatch(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	get: (name: string) => string | null
): ResolveOutcome {
	authorize(actor, 'voting.station', municipalityId);
	return writeTx(db, (tx) => {
		const round = loadRound(tx, municipalityId, roundId);
		const batch = batchOf(tx, municipalityId, roundId, batchId);
		if (batch.status !== 'discrepancy') throw new UserError('ballot.batchClosed', {}, 409);
		refuseAfterPublication(tx, roundId);
		const { entries, mine, pendingMine } = keyingsOf(tx, batch, actor, requireActingDni(tx, actor));
		const { out, picks } = resolvedLines(entries, get);
		const keyerUserIds = entries.map((e) => e.enteredByUserId);
		const audit = (type: string, extra: Record<string, unknown>) =>
			appendAudit(tx, {
				municipalityId,
				actorUserId: actor.userId,
				type,
				payload: { roundId, batchId: batch.id, keyedBy: keyerUserIds, lines: picks, ...extra }
			});
		if (!mine) {
			const result = acceptBatch(tx, actor, round, batch, out, { resolvedByUserId: actor.userId }, get('lateReason'));
			audit('paper.batchResolved', { resolvedBy: actor.userId, confirmedBy: null });
			return { state: 'accepted', ...result };
		}
		if (stationStaffPersons(tx, municipalityId) >= FOUR_EYES_STAFF)
			throw new UserError('ballot.resolverKeyed', {}, 403);
		// Few staff: one keyer proposes, the other confirms each resolved line by choosing the same.
		const pending = batch.pendingResolution;
		if (pendingMine) throw new UserError('ballot.resolveAwaitingOther', {}, 409);
		if (pending && JSON.stringify(pending.lines) === JSON.stringify(out)) {
			const result = acceptBatch(
				tx,
				actor,
				round,
				batch,
				out,
				{ resolvedByUserId: pending.byUserId, confirmedByUserId: actor.userId },
				get('lateReason')
			);
			audit('paper.batchResolved', { resolvedBy: pending.byUserId, confirmedBy: actor.userId });
			return { state: 'accepted', ...result };
		}
		tx.update(paperBatches)
			.set({ pendingResolution: { lines: out, picks, byUserId: actor.userId, entryNo: mine.entryNo, at: Date.now() } })
			.where(eq(paperBatches.id, batch.id))
			.run();
		audit('paper.batchResolutionProposed', { proposedBy: actor.userId, replaces: pending?.byUserId ?? null });
		return { state: pending ? 'replaced' : 'proposed' };
	});
}

/**
 * At publication the keyers' DNI HMACs of the round's batches still open are forgotten (accepted batches forgot them
 * when accepted): no batch can count any more, since the roll is reduced to counts in the same transaction and
 * acceptBatch checks each station's keyed lines against it. Call inside the publishing transaction.
 */
export function forgetBatchKeyers(tx: Db, roundId: number): number {
	return tx
		.update(batchEntries)
		.set({ keyerDniHmac: null })
		.where(
			and(
				isNotNull(batchEntries.keyerDniHmac),
				inArray(
					batchEntries.batchId,
					tx.select({ id: paperBatches.id }).from(paperBatches).where(eq(paperBatches.roundId, roundId))
				)
			)
		)
		.run().changes;
}

// ---------------------------------------------------------------------------------------------------------------
// Few staff: a Comité de Vigilancia member resolves

/**
 * The actor's seat on the round's Comité de Vigilancia with a term covering today, and whether the municipality has
 * too few staff persons for four eyes (the only case a member resolves; otherwise a staff person who keyed neither
 * version does).
 */
function committeeStanding(db: Db, actor: Actor | null, municipalityId: number, roundId: number, today: string) {
	const seat = actor && actor.municipalityId === municipalityId ? committeeSeat(db, actor, roundId, today) : undefined;
	return { seat, fewStaff: stationStaffPersons(db, municipalityId) < FOUR_EYES_STAFF };
}

/**
 * Batches with keying differences this actor may resolve as the committee (the round page and the public batch list
 * point a member to them; the commands check again).
 */
export function batchesForCommittee(db: Db, actor: Actor | null, municipalityId: number, roundId: number): number[] {
	if (!committeeMayResolve(db, actor, municipalityId, roundId)) return [];
	return db
		.select({ id: paperBatches.id })
		.from(paperBatches)
		.where(
			and(
				eq(paperBatches.roundId, roundId),
				eq(paperBatches.municipalityId, municipalityId),
				eq(paperBatches.status, 'discrepancy')
			)
		)
		.all()
		.map((b) => b.id);
}

/** Whether this actor sits on the round's committee in term in a municipality with too few staff for four eyes. */
export function committeeMayResolve(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	today = limaToday()
): boolean {
	// asked on every visit of the round page: the seat (usually none) before counting staff
	if (!actor || actor.municipalityId !== municipalityId || !committeeSeat(db, actor, roundId, today)) return false;
	return stationStaffPersons(db, municipalityId) < FOUR_EYES_STAFF;
}

/**
 * The committee member's checks, in one place for the page and the command: a seat in term (policy), a batch with
 * differences, fewer than three staff persons, and not a keyer of either version (a person, by DNI).
 */
function committeeResolver(
	tx: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	today: string
) {
	const { seat, fewStaff } = committeeStanding(tx, actor, municipalityId, roundId, today);
	authorize(actor, 'voting.resolveAsCommittee', municipalityId, { committeeInTerm: Boolean(seat) });
	const round = loadRound(tx, municipalityId, roundId);
	const batch = batchOf(tx, municipalityId, roundId, batchId);
	const dni = actingDni(tx, actor);
	const { entries, mine } = keyingsOf(tx, batch, actor, dni);
	return { seat: seat!, fewStaff, round, batch, entries, keyed: mine !== null, noDni: dni === null };
}

/** The batch as a Comité de Vigilancia member resolving it sees it: both versions of each differing line. */
export function committeeBatchDetail(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	today = limaToday()
) {
	const { fewStaff, batch, entries, keyed, noDni } = committeeResolver(
		db,
		actor,
		municipalityId,
		roundId,
		batchId,
		today
	);
	const names = namesOf(db, [...entries.map((e) => e.enteredByUserId), batch.pendingResolution?.byUserId ?? null]);
	const station = stationOf(db, roundId, batch.stationId);
	return {
		batch: {
			id: batch.id,
			label: batch.label,
			declaredCount: batch.declaredCount,
			status: batch.status,
			stationName: station.name
		},
		keyerNames: entries.map((e) => names.get(e.enteredByUserId) ?? ''),
		fewStaff,
		keyedByMe: keyed,
		/** the member's account has no DNI on record: four eyes count DNIs, so it does not resolve */
		noDni,
		canResolve: batch.status === 'discrepancy' && fewStaff && !keyed && !noDni,
		pending: batch.pendingResolution
			? { byName: names.get(batch.pendingResolution.byUserId) ?? '', picks: batch.pendingResolution.picks }
			: null,
		discrepancies:
			batch.status === 'discrepancy' && entries.length === 2 ? compareEntries(entries[0].lines, entries[1].lines) : [],
		afterResults: resultVersion(db, roundId),
		lengthMismatch: entries.length === 2 && entries[0].lines.length !== entries[1].lines.length
	};
}

/**
 * Where the municipality has fewer than three staff persons, a member of the round's Comité de Vigilancia whose term
 * covers today, and who keyed neither version, resolves the differences on their own: the batch counts, the member is
 * its public resolver (as the committee), and the resolution is audited like any other. A keyer's pending proposal is
 * set aside (named in the audit event).
 */
export function resolveBatchAsCommittee(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	batchId: number,
	get: (name: string) => string | null,
	today = limaToday()
): ResolveOutcome {
	return writeTx(db, (tx) => {
		const { seat, fewStaff, round, batch, entries, keyed, noDni } = committeeResolver(
			tx,
			actor,
			municipalityId,
			roundId,
			batchId,
			today
		);
		if (batch.status !== 'discrepancy') throw new UserError('ballot.batchClosed', {}, 409);
		refuseAfterPublication(tx, roundId);
		if (keyed) throw new UserError('ballot.resolverKeyed', {}, 403);
		if (noDni) throw new UserError('ballot.keyerNoDni', {}, 403);
		// With three staff persons one of them, not the committee, is the third pair of eyes.
		if (!fewStaff) throw new UserError('ballot.committeeNotNeeded', {}, 403);
		const { out, picks } = resolvedLines(entries, get);
		const result = acceptBatch(
			tx,
			actor!,
			round,
			batch,
			out,
			{ resolvedByUserId: actor!.userId, resolvedAs: 'committee' },
			get('lateReason')
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor!.userId,
			type: 'paper.batchResolved',
			payload: {
				roundId,
				batchId: batch.id,
				keyedBy: entries.map((e) => e.enteredByUserId),
				lines: picks,
				resolvedBy: actor!.userId,
				confirmedBy: null,
				as: 'committee',
				committeeMemberId: seat.id,
				setAside: batch.pendingResolution?.byUserId ?? null
			}
		});
		return { state: 'accepted', ...result };
	});
}

/** The public record of paper batches: who keyed each version, who resolved the differences and who confirmed. */
export function publicBatches(db: Db, municipalityId: number, roundId: number) {
	loadRound(db, municipalityId, roundId);
	const rows = db
		.select({ batch: paperBatches, stationName: stations.name })
		.from(paperBatches)
		.innerJoin(stations, eq(paperBatches.stationId, stations.id))
		.where(and(eq(paperBatches.roundId, roundId), eq(paperBatches.municipalityId, municipalityId)))
		.orderBy(asc(stations.name), asc(paperBatches.label))
		.all();
	const ids = rows.map((r) => r.batch.id);
	const entries = ids.length
		? db.select().from(batchEntries).where(inArray(batchEntries.batchId, ids)).orderBy(asc(batchEntries.entryNo)).all()
		: [];
	const names = namesOf(db, [
		...entries.map((e) => e.enteredByUserId),
		...rows.flatMap((r) => [r.batch.resolvedByUserId, r.batch.resolutionConfirmedByUserId])
	]);
	return rows.map((r) => ({
		id: r.batch.id,
		label: r.batch.label,
		stationName: r.stationName,
		declaredCount: r.batch.declaredCount,
		status: r.batch.status,
		counted: r.batch.resolvedLines?.length ?? null,
		keyedBy: entries.filter((e) => e.batchId === r.batch.id).map((e) => names.get(e.enteredByUserId) ?? ''),
		resolvedBy: r.batch.resolvedByUserId ? (names.get(r.batch.resolvedByUserId) ?? '') : null,
		/** the resolver acted as a member of the Comité de Vigilancia (few staff), not as staff */
		resolvedAsCommittee: r.batch.resolvedAs === 'committee',
		confirmedBy: r.batch.resolutionConfirmedByUserId ? (names.get(r.batch.resolutionConfirmedByUserId) ?? '') : null
	}));
}
