import Papa from 'papaparse';
import { and, asc, eq, inArray, isNotNull, isNull, like, sql } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { parseDniDigits } from '../../domain/dni';
import { countRows, writeTx, type Db } from '../db/client';
import {
	committeeMembers,
	observations,
	participantAgents,
	persons,
	proposals,
	roleGrants,
	sessions,
	users,
	workshopAttendance,
	zones
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { dniHmac } from '../platform/secret';
import { normaliseDate, requireDni } from '../platform/validation';
import { listActiveZones } from '../municipalities';
import { CENSUS_HEADERS } from './census-format';
import { censusEntryOf, putCensusEntry } from './census-state';
import { runningCensusJob } from './census-job';

export const MAX_CENSUS_BYTES = 20 * 1024 * 1024;

export interface CensusRow {
	line: number;
	dniMasked: string;
	birthDate: string | null;
	zoneLabel: string;
	zoneId: number | null;
	/** Key under errors.census.* when the row cannot be imported. */
	error: string | null;
}

const HEADERS = CENSUS_HEADERS;

function pick(row: Record<string, string>, names: readonly string[]): string {
	for (const [k, v] of Object.entries(row)) if (names.includes(k.trim().toLowerCase())) return (v ?? '').trim();
	return '';
}

/** Parses and checks a census CSV (UTF-8, `,` or `;`). Nothing is written. DNIs are masked in the preview. */
export function parseCensus(db: Db, municipalityId: number, text: string): CensusRow[] {
	const clean = text.replace(/^\uFEFF/, '');
	const parsed = Papa.parse<Record<string, string>>(clean, {
		header: true,
		skipEmptyLines: 'greedy',
		delimitersToGuess: [',', ';']
	});
	const fields = (parsed.meta.fields ?? []).map((f) => f.trim().toLowerCase());
	if (!fields.some((f) => HEADERS.dni.includes(f)) || !fields.some((f) => HEADERS.birthDate.includes(f)))
		throw new UserError('census.headers');
	const zoneList = listActiveZones(db, municipalityId); // a retired zone is no longer offered
	const seen = new Set<string>();
	return parsed.data.map((row, i) => {
		const line = i + 2; // header is line 1
		const rawDni = pick(row, HEADERS.dni);
		const digits = parseDniDigits(rawDni);
		const birthDate = normaliseDate(pick(row, HEADERS.birthDate));
		const zoneLabel = pick(row, HEADERS.zone);
		const zone = zoneLabel
			? zoneList.find(
					(z) => z.code.toLowerCase() === zoneLabel.toLowerCase() || z.name.toLowerCase() === zoneLabel.toLowerCase()
				)
			: undefined;
		let error: string | null = null;
		if (!digits) error = 'census.badDni';
		else if (!birthDate) error = 'census.badDate';
		else if (zoneLabel && !zone) error = 'census.unknownZone';
		else if (seen.has(digits)) error = 'census.duplicate';
		if (digits) seen.add(digits);
		return {
			line,
			dniMasked: digits ? `****${digits.slice(4)}` : rawDni ? '?' : '',
			birthDate,
			zoneLabel,
			zoneId: zone?.id ?? null,
			error
		};
	});
}

export interface CensusImportReport {
	imported: number;
	updated: number;
	verified: number;
	errors: { line: number; code: string }[];
}

/**
 * Imports the valid rows (rows with errors are reported and skipped; nothing else is lost), then verifies every
 * registered resident whose DNI and birth date match. The file itself is never stored: only HMAC'd rows. One
 * transaction writing straight into the visible census (putCensusEntry), so for small files only; the census page
 * imports through the staged worker (census-job.ts).
 */
export function importCensus(db: Db, actor: Actor | null, municipalityId: number, text: string): CensusImportReport {
	authorize(actor, 'census.import', municipalityId);
	if (text.length > MAX_CENSUS_BYTES) throw new UserError('census.tooLarge');
	// a staged import counts the DNIs new to the census when it stages them: none may be added meanwhile
	if (runningCensusJob(municipalityId)) throw new UserError('census.importRunning', {}, 409);
	const rows = parseCensus(db, municipalityId, text);
	const clean = text.replace(/^\uFEFF/, '');
	const parsed = Papa.parse<Record<string, string>>(clean, {
		header: true,
		skipEmptyLines: 'greedy',
		delimitersToGuess: [',', ';']
	});
	const now = Date.now();
	return writeTx(db, (tx) => {
		let imported = 0;
		let updated = 0;
		let verified = 0;
		rows.forEach((row, i) => {
			if (row.error) return;
			const hmac = dniHmac(parseDniDigits(pick(parsed.data[i], HEADERS.dni))!);
			const put = putCensusEntry(tx, municipalityId, {
				dniHmac: hmac,
				birthDate: row.birthDate!,
				zoneId: row.zoneId,
				importedAt: now
			});
			if (put === 'updated') updated++;
			else imported++;
			const person = tx
				.select()
				.from(persons)
				.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
				.get();
			if (person && !person.verifiedAt && person.birthDate === row.birthDate) {
				tx.update(persons)
					.set({ verifiedAt: now, verifiedMethod: 'census', verifiedByUserId: null, zoneId: row.zoneId })
					.where(eq(persons.id, person.id))
					.run();
				appendAudit(tx, {
					municipalityId,
					actorUserId: actor.userId,
					type: 'resident.verified',
					payload: { personId: person.id, method: 'census' },
					personal: true
				});
				verified++;
			} else if (person && person.verifiedAt && person.zoneId !== row.zoneId && row.zoneId) {
				tx.update(persons).set({ zoneId: row.zoneId }).where(eq(persons.id, person.id)).run();
			}
		});
		const errors = rows.filter((r) => r.error).map((r) => ({ line: r.line, code: r.error! }));
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'census.imported',
			payload: { rows: rows.length, imported, updated, verified, rejectedLines: errors.map((e) => e.line) }
		});
		return { imported, updated, verified, errors };
	});
}

/** Residents list for officials: name, verification, zone. Never the DNI. */
export function listResidents(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	opts: { q?: string; page?: number } = {}
) {
	authorize(actor, 'residents.view', municipalityId);
	const pageSize = 25;
	const page = Math.max(1, opts.page ?? 1);
	const where = and(
		eq(persons.municipalityId, municipalityId),
		opts.q ? like(persons.fullName, `%${opts.q.replace(/[%_]/g, '')}%`) : undefined
	);
	const rows = db
		.select({
			personId: persons.id,
			fullName: persons.fullName,
			verifiedAt: persons.verifiedAt,
			verifiedMethod: persons.verifiedMethod,
			zoneName: zones.name,
			hasAccount: sql<number>`exists(select 1 from ${users} where ${users.personId} = ${persons.id})`,
			claimPending: sql<number>`${persons.pendingDniHmac} is not null`
		})
		.from(persons)
		.leftJoin(zones, eq(persons.zoneId, zones.id))
		.where(where)
		.orderBy(asc(persons.fullName))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	const total = countRows(db, persons, where);
	return { rows, total, page, pageSize };
}

/** Who holds a DNI, and who claims it: for the official checking a DNI card in person. */
export function lookUpDni(db: Db, actor: Actor | null, municipalityId: number, dniInput: unknown) {
	authorize(actor, 'residents.verify', municipalityId);
	const hmac = dniHmac(requireDni(dniInput));
	const select = {
		personId: persons.id,
		fullName: persons.fullName,
		birthDate: persons.birthDate,
		verifiedAt: persons.verifiedAt,
		zoneId: persons.zoneId,
		/** When the record (for an account: the sign-up) was made: tells two accounts with one name apart. */
		createdAt: persons.createdAt
	};
	const holder =
		db
			.select(select)
			.from(persons)
			.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
			.get() ?? null;
	const claimants = db
		.select(select)
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), eq(persons.pendingDniHmac, hmac)))
		.all();
	const census = censusEntryOf(db, municipalityId, hmac);
	return { holder, claimants, inCensus: Boolean(census), censusZoneId: census?.zoneId ?? null };
}

/** The official has seen the DNI card of the person holding it: verify them and place them in a zone. */
export function verifyInPerson(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	dniInput: unknown,
	zoneIdInput: unknown
) {
	authorize(actor, 'residents.verify', municipalityId);
	const hmac = dniHmac(requireDni(dniInput));
	const zoneId = zoneIdInput ? Number(zoneIdInput) : null;
	writeTx(db, (tx) => {
		const person = tx
			.select()
			.from(persons)
			.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
			.get();
		if (!person) throw new UserError('resident.notFound', {}, 404);
		if (
			zoneId !== null &&
			!tx
				.select()
				.from(zones)
				.where(and(eq(zones.id, zoneId), eq(zones.municipalityId, municipalityId)))
				.get()
		)
			throw new UserError('zone.unknown');
		tx.update(persons)
			.set({
				verifiedAt: Date.now(),
				verifiedMethod: 'in_person',
				verifiedByUserId: actor.userId,
				zoneId: zoneId ?? person.zoneId
			})
			.where(eq(persons.id, person.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'resident.verified',
			payload: { personId: person.id, method: 'in_person' },
			personal: true
		});
	});
}

/**
 * Someone else's account holds this DNI. After checking the card in person, the official moves it (and the
 * verification) to the rightful claimant; the other account keeps existing, unverified and without the DNI.
 */
export function moveVerification(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	dniInput: unknown,
	toPersonIdInput: unknown,
	zoneIdInput: unknown
) {
	authorize(actor, 'residents.moveVerification', municipalityId);
	const hmac = dniHmac(requireDni(dniInput));
	const toPersonId = Number(toPersonIdInput);
	const zoneId = zoneIdInput ? Number(zoneIdInput) : null;
	writeTx(db, (tx) => {
		const from = tx
			.select()
			.from(persons)
			.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
			.get();
		const to = tx
			.select()
			.from(persons)
			.where(
				and(eq(persons.id, toPersonId), eq(persons.municipalityId, municipalityId), eq(persons.pendingDniHmac, hmac))
			)
			.get();
		if (!from || !to) throw new UserError('resident.notFound', {}, 404);
		const now = Date.now();
		tx.update(persons)
			.set({ dniHmac: null, verifiedAt: null, verifiedMethod: null, verifiedByUserId: null, zoneId: null })
			.where(eq(persons.id, from.id))
			.run();
		tx.update(persons)
			.set({
				dniHmac: hmac,
				pendingDniHmac: null,
				verifiedAt: now,
				verifiedMethod: 'in_person',
				verifiedByUserId: actor.userId,
				zoneId: zoneId ?? from.zoneId
			})
			.where(eq(persons.id, to.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'resident.unverified',
			payload: { personId: from.id, reason: 'dniMoved' },
			personal: true
		});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'resident.verificationMoved',
			payload: { fromPersonId: from.id, toPersonId: to.id },
			personal: true
		});
	});
}

/**
 * The office merges duplicate accounts of one DNI (issue 11 point 6) after checking the card in person: every other
 * account holding or claiming the DNI moves its proposals, observations, roles, privacy consent, agents' register
 * entries, Comité de Vigilancia seats and workshop check-ins to the kept one, and is disabled (its sessions end; it
 * keeps nothing of the DNI). The kept account holds the DNI, verified in person. Votes are not touched: the round's
 * roll is keyed by the DNI, so a merge can never add a counted ballot. Historical records of who did what (an official's acts, amendments) stay with the disabled account.
 */
export function mergeAccounts(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	dniInput: unknown,
	keepPersonIdInput: unknown,
	zoneIdInput: unknown
) {
	authorize(actor, 'residents.moveVerification', municipalityId);
	const hmac = dniHmac(requireDni(dniInput));
	const keepPersonId = Number(keepPersonIdInput);
	const zoneId = zoneIdInput ? Number(zoneIdInput) : null;
	return writeTx(db, (tx) => {
		const holders = tx
			.select({ person: persons, user: users })
			.from(persons)
			.innerJoin(users, eq(users.personId, persons.id))
			.where(
				and(
					eq(persons.municipalityId, municipalityId),
					sql`(${persons.dniHmac} = ${hmac} or ${persons.pendingDniHmac} = ${hmac})`,
					isNull(users.disabledAt)
				)
			)
			.all();
		const keep = holders.find((h) => h.person.id === keepPersonId);
		const drop = holders.filter((h) => h.person.id !== keepPersonId);
		if (!keep || drop.length === 0) throw new UserError('resident.nothingToMerge', {}, 404);
		if (
			zoneId !== null &&
			!tx
				.select()
				.from(zones)
				.where(and(eq(zones.id, zoneId), eq(zones.municipalityId, municipalityId)))
				.get()
		)
			throw new UserError('zone.unknown');
		const now = Date.now();
		let consent = keep.user;
		const moved = { agents: 0, committee: 0, checkIns: 0, duplicateCheckIns: 0 };
		for (const d of drop) {
			// The agents' register holds one entry per person and round. Where both accounts are registered in the same
			// round, the other account's entry must have been withdrawn (it then stays with it, as history); two
			// active entries are a duplicate in a legal register that the office resolves first, not the merge.
			const keptRounds = new Set(
				tx
					.select({ roundId: participantAgents.roundId })
					.from(participantAgents)
					.where(eq(participantAgents.personId, keep.person.id))
					.all()
					.map((a) => a.roundId)
			);
			const dropAgents = tx.select().from(participantAgents).where(eq(participantAgents.personId, d.person.id)).all();
			if (dropAgents.some((a) => keptRounds.has(a.roundId) && a.withdrawnAt === null))
				throw new UserError('resident.mergeAgentTwice', {}, 409);
			const movable = dropAgents.filter((a) => !keptRounds.has(a.roundId)).map((a) => a.id);
			if (movable.length) {
				moved.agents += tx
					.update(participantAgents)
					.set({ personId: keep.person.id })
					.where(inArray(participantAgents.id, movable))
					.run().changes;
				// Committee seats follow their agent entry.
				moved.committee += tx
					.update(committeeMembers)
					.set({ personId: keep.person.id })
					.where(inArray(committeeMembers.agentId, movable))
					.run().changes;
			}
			// Workshop check-ins: one presence per person and workshop. Where both accounts checked in at the same
			// workshop, the person was there once: the kept account's check-in stays (with the agent entry, if only the
			// other had it) and the duplicate goes.
			const keptCheckIns = new Map(
				tx
					.select()
					.from(workshopAttendance)
					.where(eq(workshopAttendance.personId, keep.person.id))
					.all()
					.map((w) => [w.workshopId, w])
			);
			const duplicates: number[] = [];
			for (const w of tx.select().from(workshopAttendance).where(eq(workshopAttendance.personId, d.person.id)).all()) {
				const mine = keptCheckIns.get(w.workshopId);
				if (!mine) continue;
				duplicates.push(w.id);
				if (mine.agentId === null && w.agentId !== null)
					tx.update(workshopAttendance).set({ agentId: w.agentId }).where(eq(workshopAttendance.id, mine.id)).run();
			}
			if (duplicates.length) tx.delete(workshopAttendance).where(inArray(workshopAttendance.id, duplicates)).run();
			moved.duplicateCheckIns += duplicates.length;
			moved.checkIns += tx
				.update(workshopAttendance)
				.set({ personId: keep.person.id })
				.where(eq(workshopAttendance.personId, d.person.id))
				.run().changes;
			tx.update(proposals)
				.set({ authorPersonId: keep.person.id })
				.where(eq(proposals.authorPersonId, d.person.id))
				.run();
			tx.update(observations)
				.set({ filedByUserId: keep.user.id })
				.where(eq(observations.filedByUserId, d.user.id))
				.run();
			tx.update(roleGrants).set({ userId: keep.user.id }).where(eq(roleGrants.userId, d.user.id)).run();
			if (d.user.privacyConsentAt > consent.privacyConsentAt) consent = d.user;
			tx.update(users).set({ disabledAt: now }).where(eq(users.id, d.user.id)).run();
			tx.delete(sessions).where(eq(sessions.userId, d.user.id)).run();
			tx.update(persons)
				.set({
					dniHmac: null,
					pendingDniHmac: null,
					verifiedAt: null,
					verifiedMethod: null,
					verifiedByUserId: null
				})
				.where(eq(persons.id, d.person.id))
				.run();
		}
		tx.update(users)
			.set({ privacyConsentAt: consent.privacyConsentAt, privacyNoticeVersion: consent.privacyNoticeVersion })
			.where(eq(users.id, keep.user.id))
			.run();
		const zoneFrom = drop.find((d) => d.person.zoneId !== null)?.person.zoneId ?? null;
		tx.update(persons)
			.set({
				dniHmac: hmac,
				pendingDniHmac: null,
				verifiedAt: now,
				verifiedMethod: 'in_person',
				verifiedByUserId: actor.userId,
				zoneId: zoneId ?? keep.person.zoneId ?? zoneFrom
			})
			.where(eq(persons.id, keep.person.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'resident.accountsMerged',
			payload: { keptPersonId: keep.person.id, mergedPersonIds: drop.map((d) => d.person.id), ...moved },
			personal: true
		});
		return { kept: keep.person.id, merged: drop.length };
	});
}

export function verifiedResidentCount(db: Db, municipalityId: number) {
	return countRows(db, persons, and(eq(persons.municipalityId, municipalityId), isNotNull(persons.verifiedAt)));
}
