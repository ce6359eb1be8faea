/**
 * Issue 13 point 5, "rows staged in batches, then one short swap; safe to abandon": an import's rows are written as
 * the census's next generation, unseen by every reader (the sign-up check, the station's roll, the official's DNI
 * look-up, the census size) until one single-row transaction swaps them in; an import abandoned before the swap
 * leaves the census exactly as it was, and the next import deletes its rows first. The staging half is run here
 * directly, on its own connection as the worker does (census-stage.ts), so the moment between staging and swap is
 * held as long as the test needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { censusEntries, persons } from '../db/schema/index';
import { dniCheckCharacters } from '../../domain/dni';
import { dniHmac } from '../platform/secret';
import { signUpResident } from '../accounts';
import { createStation, lookUpRoll } from '../voting';
import { censusSize, censusEntryOf } from './census-state';
import { readCensusFile, stageCensus, swapCensus, tidyCensus } from './census-stage';
import { startCensusImport, type CensusJob } from './census-job';
import { lookUpDni } from './residents';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';

process.env.MINKA_SECRET = 'test';

let path: string;
let db: Db;

beforeAll(() => {
	path = join(mkdtempSync(join(tmpdir(), 'minka-census-gen-')), 't.db');
	db = openDatabase(path);
});

let next = 31_000_000;
/** A fresh DNI: its 8 digits (as a census file has them) and the card's form with the check character. */
function dni() {
	const digits = String(next++);
	return { digits, card: `${digits}-${dniCheckCharacters(digits)[0]}` };
}
type Dni = ReturnType<typeof dni>;

const OLD = '1970-01-01';
const NEW = '1980-05-05';
const csv = (rows: [Dni, string, string][]) =>
	['dni;fecha_nacimiento;zona', ...rows.map(([d, date, zone]) => `${d.digits};${date};${zone}`)].join('\n') + '\n';

/** The worker's own connection (a second one on the same file). */
const workerConnection = () => {
	const c = new Database(path, { fileMustExist: true });
	c.pragma('busy_timeout = 5000');
	c.pragma('foreign_keys = ON');
	return c;
};

interface Town {
	municipalityId: number;
	official: Person;
	zones: { id: number; code: string; name: string }[];
}

function town(ubigeo: string): Town {
	const t = seedTown(db, ubigeo);
	return {
		municipalityId: t.municipalityId,
		official: seedPerson(db, t.municipalityId, { roles: ['official'], zoneId: t.zones[0] }),
		zones: [
			{ id: t.zones[0], code: 'Z1', name: 'Sector Norte' },
			{ id: t.zones[1], code: 'Z2', name: 'Sector Sur' }
		]
	};
}

/** Stages a file as the worker does, on its own connection, and returns what the swap needs; nothing is swapped. */
function stage(t: Town, text: string, conn = workerConnection()) {
	const file = readCensusFile(text, t.zones)!;
	expect(file.errorCount).toBe(0);
	return { conn, staged: stageCensus(conn, t.municipalityId, file.good, Date.now()) };
}

/** A whole import as the worker runs it (stage, swap, tidy), without the thread. */
function importWhole(t: Town, text: string) {
	const { conn, staged } = stage(t, text);
	swapCensus(conn, staged);
	tidyCensus(conn, t.municipalityId);
	conn.close();
}

async function finished(job: CensusJob) {
	while (job.state === 'running') await new Promise((ok) => setTimeout(ok, 10));
	expect(job.error).toBeNull();
}

/** Every reader of the census, asked about one DNI. */
function readers(t: Town, roll: (card: string, birthDate: string) => unknown) {
	return {
		/** the station's roll: what it answers (the census zone) or its refusal (a card date the census does not hold) */
		roll: (d: Dni, birthDate: string) => {
			try {
				return roll(d.card, birthDate);
			} catch (e) {
				return (e as { code?: string }).code ?? String(e);
			}
		},
		/** the resident's registration: verified at once against the census, or refused on its birth date */
		signUp: (d: Dni, birthDate: string) =>
			signUpResident(db, t.municipalityId, {
				fullName: `Vecina ${d.digits}`,
				dni: d.card,
				birthDate,
				password: 'una clave larga 123',
				passwordConfirm: 'una clave larga 123',
				consent: 'on',
				locale: 'es'
			}).then(
				(r) => (r.verified ? 'verified' : 'not in census'),
				(e: { code?: string }) => e.code ?? String(e)
			),
		/** the official's look-up of a DNI card */
		official: (d: Dni) => lookUpDni(db, t.official.actor, t.municipalityId, d.card).inCensus,
		size: () => censusSize(db, t.municipalityId)
	};
}

/** A town with a voting round and a station, so that the station's roll can be asked. */
function stationReaders(t: Town) {
	const roundId = seedVotingRound(db, {
		municipalityId: t.municipalityId,
		authorPersonId: t.official.personId,
		budgets: [[null, 1_000_00]],
		proposals: [[null, 'Agua', null, 1_000_00]]
	}).roundId;
	const station = createStation(db, t.official.actor, t.municipalityId, roundId, 'Mesa 1');
	return readers(t, (card, birthDate) =>
		lookUpRoll(db, t.official.actor, t.municipalityId, roundId, station.id, card, birthDate, 'es')
	);
}

describe('the census import is staged unseen and swapped in at once', () => {
	it('while an import is staged but not swapped, every reader answers from the census before it', async () => {
		const t = town('080201');
		// U: updated by the staged file (one asked by the sign-up, one by the station); K: kept; N: new
		const [u1, u2, k, n1, n2] = [dni(), dni(), dni(), dni(), dni()];
		importWhole(
			t,
			csv([
				[u1, OLD, 'Z1'],
				[u2, OLD, 'Z1'],
				[k, OLD, 'Z1']
			])
		);
		const r = stationReaders(t);
		expect(r.size()).toBe(3);

		const { conn, staged } = stage(
			t,
			csv([
				[u1, NEW, 'Z2'],
				[u2, NEW, 'Z2'],
				[n1, NEW, 'Z2'],
				[n2, NEW, 'Z2']
			])
		);
		expect(staged).toMatchObject({ imported: 2, updated: 2 });
		// the staged rows are in the file, as the next generation
		expect(
			db.select().from(censusEntries).where(eq(censusEntries.municipalityId, t.municipalityId)).all()
		).toHaveLength(7);

		expect(r.size()).toBe(3);
		expect(r.roll(u2, OLD)).toEqual({ kind: 'censusOnly', zoneName: 'Sector Norte' });
		expect(r.roll(u2, NEW)).toBe('ballot.cardMismatch');
		expect(r.roll(n2, NEW)).toEqual({ kind: 'unknown' });
		expect(r.official(n2)).toBe(false);
		expect(r.official(u2)).toBe(true);
		expect(await r.signUp(u1, OLD)).toBe('verified');
		expect(await r.signUp(n1, NEW)).toBe('not in census');
		expect(censusEntryOf(db, t.municipalityId, dniHmac(u2.digits))).toMatchObject({
			birthDate: OLD,
			zoneId: t.zones[0].id
		});
		conn.close();
	});

	it('an import abandoned after staging leaves the census unchanged; the next import deletes its rows and succeeds', async () => {
		const t = town('080202');
		const [u, k, n, p] = [dni(), dni(), dni(), dni()];
		importWhole(
			t,
			csv([
				[u, OLD, 'Z1'],
				[k, OLD, 'Z1']
			])
		);
		const r = readers(t, () => null);
		// a registered resident whose DNI only the abandoned file holds
		const person = await signUpResident(db, t.municipalityId, {
			fullName: 'Vecina registrada',
			dni: p.card,
			birthDate: NEW,
			password: 'una clave larga 123',
			passwordConfirm: 'una clave larga 123',
			consent: 'on',
			locale: 'es'
		});
		expect(person.verified).toBe(false);

		// staged, then the process dies: the connection goes away without a swap
		const { conn } = stage(
			t,
			csv([
				[u, NEW, 'Z2'],
				[n, NEW, 'Z2'],
				[p, NEW, 'Z2']
			])
		);
		conn.close();
		expect(r.size()).toBe(2);
		expect(censusEntryOf(db, t.municipalityId, dniHmac(u.digits))).toMatchObject({ birthDate: OLD });
		expect(r.official(n)).toBe(false);
		expect(r.official(p)).toBe(false);
		expect(await r.signUp(u, OLD)).toBe('verified');

		// the next import, through the worker thread as the census page starts it: k updated, nothing else
		const job = startCensusImport(
			db,
			t.official.actor,
			t.municipalityId,
			new TextEncoder().encode(csv([[k, NEW, 'Z2']]))
		);
		await finished(job);
		expect(job.report).toMatchObject({ rows: 1, imported: 0, updated: 1, total: 2, verified: 0 });
		expect(r.size()).toBe(2);
		expect(censusEntryOf(db, t.municipalityId, dniHmac(k.digits))).toMatchObject({
			birthDate: NEW,
			zoneId: t.zones[1].id
		});
		// the abandoned rows were deleted, not swapped in with the new generation
		expect(censusEntryOf(db, t.municipalityId, dniHmac(u.digits))).toMatchObject({
			birthDate: OLD,
			zoneId: t.zones[0].id
		});
		expect(r.official(n)).toBe(false);
		expect(r.official(p)).toBe(false);
		const registered = db
			.select()
			.from(persons)
			.where(eq(persons.dniHmac, dniHmac(p.digits)))
			.get()!;
		expect(registered.fullName).toBe('Vecina registrada');
		expect(registered.verifiedAt).toBeNull();
		// one row per DNI is left: the abandoned rows and the row k's new one superseded are gone
		expect(
			db.select().from(censusEntries).where(eq(censusEntries.municipalityId, t.municipalityId)).all()
		).toHaveLength(2);
	});

	it('after the swap an updated DNI answers with its new birth date and zone, a DNI not in the file keeps its row, a new one appears', async () => {
		const t = town('080203');
		const [u1, u2, k, n1, n2] = [dni(), dni(), dni(), dni(), dni()];
		importWhole(
			t,
			csv([
				[u1, OLD, 'Z1'],
				[u2, OLD, 'Z1'],
				[k, OLD, 'Z1']
			])
		);
		const r = stationReaders(t);
		const { conn, staged } = stage(
			t,
			csv([
				[u1, NEW, 'Z2'],
				[u2, NEW, 'Z2'],
				[n1, NEW, 'Z2'],
				[n2, NEW, 'Z2']
			])
		);
		expect(swapCensus(conn, staged)).toBe(5);

		const after = async (label: string) => {
			expect(r.size(), label).toBe(5);
			expect(r.roll(u2, NEW), label).toEqual({ kind: 'censusOnly', zoneName: 'Sector Sur' });
			expect(r.roll(u2, OLD), label).toBe('ballot.cardMismatch');
			expect(r.roll(k, OLD), label).toEqual({ kind: 'censusOnly', zoneName: 'Sector Norte' });
			expect(r.roll(n2, NEW), label).toEqual({ kind: 'censusOnly', zoneName: 'Sector Sur' });
			expect(r.official(n2), label).toBe(true);
		};
		// at once, while the rows the swap superseded are still there
		await after('swapped, not tidied');
		expect(await r.signUp(u1, NEW)).toBe('verified');
		// then deleted in slices: the census reads the same
		expect(tidyCensus(conn, t.municipalityId)).toBe(2);
		await after('tidied');
		expect(await r.signUp(n1, NEW)).toBe('verified');
		// and while the next import is staged, the census is still this one
		const { conn: nextConn } = stage(t, csv([[u2, '1990-09-09', 'Z1']]), conn);
		await after('next import staged');
		nextConn.close();
	});
});
