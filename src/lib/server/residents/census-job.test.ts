/**
 * Issue 13 point 5: the census import runs in a worker thread. While 20,000 rows are imported (gzipped), the
 * server's own thread keeps answering (timer lag and database reads measured meanwhile); the result is the same
 * as before; the uploaded file is deleted; an import is refused while a round is voting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { persons, rounds } from '../db/schema/index';
import { auditEventsOfType } from '../platform/audit';
import { UserError } from '../../domain/errors';
import { dniCheckCharacters } from '../../domain/dni';
import { importCensus } from './residents';
import { censusSize } from './census-state';
import {
	censusUploadTarget,
	startCensusImport,
	startCensusImportOfUpload,
	MAX_CENSUS_UPLOAD,
	VERIFY_SLICE,
	type CensusJob
} from './census-job';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';

process.env.MINKA_SECRET = 'test';

let dir: string;
let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let resident: Person;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'minka-census-'));
	db = openDatabase(join(dir, 't.db'));
	town = seedTown(db, '080106');
	official = seedPerson(db, town.municipalityId, { roles: ['official'] });
	resident = seedPerson(db, town.municipalityId, { verified: false, birthDate: '1990-08-15' });
});

const N = 20_000;
function csv(): string {
	const lines = ['dni;fecha_nacimiento;zona'];
	for (let i = 0; i < N; i++) lines.push(`${String(40_000_000 + i)};01/01/1980;${i % 2 ? 'Z1' : 'Sector Sur'}`);
	lines.push(`${resident.dni.slice(0, 8)};15/08/1990;Z1`, '1234;01/01/1970;Z1', '40000001;01/01/1980;Z1');
	return lines.join('\n') + '\n';
}

async function finished(job: CensusJob, during: () => void) {
	while (job.state === 'running') {
		during();
		await new Promise((ok) => setTimeout(ok, 10));
	}
}

describe('census import in a worker', () => {
	it('keeps the server answering while 20,000 gzipped rows are imported, and imports them all', async () => {
		const job = startCensusImport(db, official.actor, town.municipalityId, gzipSync(csv()));
		expect(job.state).toBe('running');
		let answered = 0;
		let worstLag = 0;
		let last = performance.now();
		await finished(job, () => {
			const now = performance.now();
			worstLag = Math.max(worstLag, now - last - 10);
			last = now;
			const t0 = performance.now();
			censusSize(db, town.municipalityId); // a second request's read, on the server's connection
			worstLag = Math.max(worstLag, performance.now() - t0);
			answered++;
		});
		expect(job.error).toBeNull();
		expect(job.state).toBe('done');
		expect(answered).toBeGreaterThan(10);
		expect(worstLag).toBeLessThan(250);
		expect(job.report).toMatchObject({ rows: N + 3, imported: N + 1, updated: 0, verified: 1, errorCount: 2 });
		expect(job.report!.errors).toEqual([
			{ line: N + 3, code: 'census.badDni' },
			{ line: N + 4, code: 'census.duplicate' }
		]);
		expect(censusSize(db, town.municipalityId)).toBe(N + 1);
		expect(db.select().from(persons).where(eq(persons.id, resident.personId)).get()!.verifiedMethod).toBe('census');
		expect(JSON.parse(auditEventsOfType(db, town.municipalityId, 'census.imported').at(-1)!.payload)).toMatchObject({
			imported: N + 1,
			verified: 1,
			rejectedLines: [N + 3, N + 4]
		});
		// the uploaded file is gone
		const tmp = join(dir, 'census-imports');
		expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);

		// a re-import updates instead of duplicating (the same rule as the synchronous import)
		const again = startCensusImport(db, official.actor, town.municipalityId, new TextEncoder().encode(csv()));
		await finished(again, () => {});
		expect(again.report).toMatchObject({ imported: 0, updated: N + 1 });
		expect(censusSize(db, town.municipalityId)).toBe(N + 1);
		const d = `${50_000_000}`;
		expect(
			importCensus(
				db,
				official.actor,
				town.municipalityId,
				`dni,fecha_nacimiento\n${d}-${dniCheckCharacters(d)[0]},1970-01-01\n`
			)
		).toMatchObject({ imported: 1 });
		// the remembered size follows a row added by another path (a new id)
		expect(censusSize(db, town.municipalityId)).toBe(N + 2);
	});

	it('verifies registered residents past the first slice, and the census total comes from the worker', async () => {
		// VERIFY_SLICE + 2 unverified residents registered after the first import, all in the next file: the last ones
		// are read in a second slice
		const people = Array.from({ length: VERIFY_SLICE + 2 }, () =>
			seedPerson(db, town.municipalityId, { verified: false, birthDate: '1975-03-03' })
		);
		const file = ['dni;fecha_nacimiento', ...people.map((p) => `${p.dni.slice(0, 8)};03/03/1975`)].join('\n');
		const job = startCensusImport(db, official.actor, town.municipalityId, new TextEncoder().encode(file));
		await finished(job, () => {});
		expect(job.report).toMatchObject({
			imported: VERIFY_SLICE + 2,
			verified: VERIFY_SLICE + 2,
			total: N + 4 + VERIFY_SLICE
		});
		const last = people.at(-1)!;
		expect(db.select().from(persons).where(eq(persons.id, last.personId)).get()!.verifiedMethod).toBe('census');
		expect(auditEventsOfType(db, town.municipalityId, 'resident.verified').length).toBeGreaterThanOrEqual(
			VERIFY_SLICE + 3
		);
		expect(censusSize(db, town.municipalityId)).toBe(N + 4 + VERIFY_SLICE);
	});

	it('imports an upload the route streamed to disk; a refused one never reaches the disk', async () => {
		const d = `${60_000_000}`;
		const upload = `dni;fecha_nacimiento\n${d};02/02/1972\n`;
		expect(() => censusUploadTarget(db, resident.actor, town.municipalityId)).toThrow('forbidden');
		const tmp = join(dir, 'census-imports');
		expect(readdirSync(tmp)).toEqual([]);
		// too large once it has arrived: refused, and the file removed
		const big = censusUploadTarget(db, official.actor, town.municipalityId);
		writeFileSync(big.file, upload);
		expect(() =>
			startCensusImportOfUpload(db, official.actor, town.municipalityId, big, MAX_CENSUS_UPLOAD + 1)
		).toThrow('census.tooLarge');
		expect(readdirSync(tmp)).toEqual([]);
		const target = censusUploadTarget(db, official.actor, town.municipalityId);
		writeFileSync(target.file, upload);
		const job = startCensusImportOfUpload(db, official.actor, town.municipalityId, target, upload.length);
		await finished(job, () => {});
		expect(job.report).toMatchObject({ rows: 1, imported: 1 });
		expect(readdirSync(tmp)).toEqual([]);
	});

	it('is refused while a round is voting', () => {
		seedVotingRound(db, {
			municipalityId: town.municipalityId,
			authorPersonId: official.personId,
			budgets: [[null, 1_000_00]],
			proposals: [[null, 'Agua', null, 1_000_00]]
		});
		expect(
			db
				.select()
				.from(rounds)
				.all()
				.some((r) => r.phase === 'votacion')
		).toBe(true);
		let code = '';
		try {
			startCensusImport(db, official.actor, town.municipalityId, new TextEncoder().encode('dni,fecha_nacimiento\n'));
		} catch (e) {
			code = (e as UserError).code;
		}
		expect(code).toBe('census.roundVoting');
	});
});
