import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { persons, rounds } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { startWorker } from '../platform/workers';
import { listZones } from '../municipalities';
import { censusEntriesOf } from './census-state';
import type { CensusWorkerInput, CensusWorkerMessage } from './census-format';

/** The largest census upload (plain or gzipped): a 1,000,000-row file is about 35 MB. */
export const MAX_CENSUS_UPLOAD = 64 * 1024 * 1024;

export interface CensusJob {
	id: string;
	municipalityId: number;
	state: 'running' | 'done' | 'failed';
	phase: 'starting' | 'staging' | 'merging' | 'verifying';
	/** Rows read (staging) or written as the next generation, unseen until the swap (merging), so far. */
	done: number;
	startedAt: number;
	finishedAt: number | null;
	report: {
		rows: number;
		imported: number;
		updated: number;
		/** the census rows after the import */
		total: number;
		verified: number;
		errors: { line: number; code: string }[];
		errorCount: number;
	} | null;
	error: string | null;
}

/**
 * Jobs of this process. An import is abandoned safely by a restart: before its swap nobody sees its rows (the next
 * import deletes them), after it only the deleting of superseded rows stops (the next import finishes it).
 */
const jobs = new Map<string, CensusJob>();

export function censusJob(municipalityId: number, id: string): CensusJob | null {
	const j = jobs.get(id);
	return j && j.municipalityId === municipalityId ? j : null;
}

export function runningCensusJob(municipalityId: number): CensusJob | null {
	for (const j of jobs.values()) if (j.municipalityId === municipalityId && j.state === 'running') return j;
	return null;
}

/** The worker: the bundle `npm run build` writes, or the TypeScript through tsx (tests, development). */
const workerFor = (input: CensusWorkerInput) =>
	startWorker('census-worker', 'src/lib/server/residents/census-worker.ts', input);

/**
 * The refusals that come before any byte of the upload is written: role, size (null: not known yet, the upload still
 * streaming in), a round voting, an import running.
 */
function mayImport(db: Db, actor: Actor | null, municipalityId: number, size: number | null): asserts actor is Actor {
	authorize(actor, 'census.import', municipalityId);
	if (size !== null && !size) throw new UserError('census.noFile');
	if (size !== null && size > MAX_CENSUS_UPLOAD)
		throw new UserError('census.tooLarge', { mb: MAX_CENSUS_UPLOAD / 1024 / 1024 });
	const voting = db
		.select({ id: rounds.id })
		.from(rounds)
		.where(and(eq(rounds.municipalityId, municipalityId), eq(rounds.phase, 'votacion')))
		.get();
	if (voting) throw new UserError('census.roundVoting', {}, 409);
	if (runningCensusJob(municipalityId)) throw new UserError('census.importRunning', {}, 409);
}

/** A new job id and its upload's path in the temporary folder beside the database (never backed up). */
function uploadPath(db: Db) {
	const id = randomBytes(9).toString('base64url');
	const file = join(dirname(resolve(db.$client.name)), 'census-imports', `${id}.upload`);
	mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
	return { id, file };
}

/**
 * Starts importing a census file in a worker thread and returns at once with the job (progress in `censusJob`).
 * Refused while a round of the municipality is voting (the census decides who may vote) or while another import
 * runs. The file is written to a temporary folder beside the database (never backed up) and deleted after.
 */
export function startCensusImport(db: Db, actor: Actor | null, municipalityId: number, bytes: Uint8Array): CensusJob {
	mayImport(db, actor, municipalityId, bytes.length);
	const { id, file } = uploadPath(db);
	writeFileSync(file, bytes, { mode: 0o600 });
	return launch(db, actor, municipalityId, id, file);
}

/**
 * For an upload the route streams to disk itself (http/multipart.ts): the refusals that need no byte of it, then
 * where to write it (the temporary folder beside the database, never backed up). Once written:
 * startCensusImportOfUpload.
 */
export function censusUploadTarget(db: Db, actor: Actor | null, municipalityId: number): CensusUpload {
	mayImport(db, actor, municipalityId, null);
	return uploadPath(db);
}

export interface CensusUpload {
	id: string;
	file: string;
}

/**
 * Starts importing an upload now on disk (censusUploadTarget) of `size` bytes; refused (and the file removed) if it is
 * too large or empty, or another import started while it arrived.
 */
export function startCensusImportOfUpload(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	upload: CensusUpload,
	size: number
): CensusJob {
	try {
		mayImport(db, actor, municipalityId, size);
	} catch (e) {
		rmSync(upload.file, { force: true });
		throw e;
	}
	return launch(db, actor, municipalityId, upload.id, upload.file);
}

function launch(db: Db, actor: Actor, municipalityId: number, id: string, file: string): CensusJob {
	const dbPath = resolve(db.$client.name);
	const importedAt = Date.now();
	const job: CensusJob = {
		id,
		municipalityId,
		state: 'running',
		phase: 'starting',
		done: 0,
		startedAt: importedAt,
		finishedAt: null,
		report: null,
		error: null
	};
	jobs.set(id, job);
	const zones = listZones(db, municipalityId).map((z) => ({ id: z.id, code: z.code, name: z.name }));
	const worker = workerFor({ dbPath, municipalityId, file, zones, importedAt });
	const actorUserId = actor.userId;
	let finished = false;
	// The job ends when the worker has exited (its tidying done, the upload deleted) and, after a swap, the residents
	// are verified: until then runningCensusJob refuses another import of the municipality.
	let exited = false;
	const fail = () => Object.assign(job, { state: 'failed', error: 'census.importFailed', finishedAt: Date.now() });
	worker.on('message', (m: CensusWorkerMessage) => {
		if (m.kind === 'progress') {
			job.phase = m.phase;
			job.done = m.done;
		} else if (m.kind === 'failed') {
			finished = true;
			Object.assign(job, { state: 'failed', error: m.code, finishedAt: Date.now() });
		} else {
			// the swap committed: every reader sees the new census; now verify the residents it matches
			finished = true;
			job.phase = 'verifying';
			afterImport(db, municipalityId, actorUserId, importedAt, m).then(
				(verified) => {
					job.report = { ...m, verified };
					if (exited) Object.assign(job, { state: 'done', finishedAt: Date.now() });
				},
				(e) => {
					fail();
					console.error('census import: verifying failed', e);
				}
			);
		}
	});
	worker.on('error', (e) => {
		console.error('census import worker', e);
		if (!finished) fail();
		finished = true;
	});
	worker.on('exit', () => {
		exited = true;
		rmSync(file, { force: true });
		if (!finished) fail();
		else if (job.report && job.state === 'running') Object.assign(job, { state: 'done', finishedAt: Date.now() });
	});
	return job;
}

/** Registered residents looked at per transaction while verifying (each slice a few milliseconds). */
export const VERIFY_SLICE = 500;

/**
 * On the server, once the import is swapped in: verifies every registered resident whose DNI and birth date this
 * import matched (one audited event each) and records the import. Registered residents are read in slices of
 * VERIFY_SLICE, each census row found by the (municipality, DNI, generation) index (censusEntriesOf), one short
 * transaction per slice with the event loop free in between: a join that let SQLite walk the million census rows held
 * the server 2.4 s (bench:census). Safe to abandon: a slice is whole, and a resident left unverified is verified by
 * the next import or at the counter.
 */
async function afterImport(
	db: Db,
	municipalityId: number,
	actorUserId: number,
	importedAt: number,
	m: Extract<CensusWorkerMessage, { kind: 'done' }>
): Promise<number> {
	let verified = 0;
	let after = 0;
	for (;;) {
		const slice = writeTx(db, (tx) => {
			const people = tx
				.select()
				.from(persons)
				.where(and(eq(persons.municipalityId, municipalityId), gt(persons.id, after)))
				.orderBy(asc(persons.id))
				.limit(VERIFY_SLICE)
				.all();
			if (!people.length) return null;
			const census = censusEntriesOf(
				tx,
				municipalityId,
				people.flatMap((p) => (p.dniHmac ? [p.dniHmac] : []))
			);
			for (const person of people) {
				const c = person.dniHmac ? census.get(person.dniHmac) : undefined;
				// only the rows of this import (a row kept from an earlier census verified its people then)
				if (!c || c.importedAt !== importedAt) continue;
				if (!person.verifiedAt && person.birthDate === c.birthDate) {
					tx.update(persons)
						.set({ verifiedAt: importedAt, verifiedMethod: 'census', verifiedByUserId: null, zoneId: c.zoneId })
						.where(and(eq(persons.id, person.id), isNull(persons.verifiedAt)))
						.run();
					appendAudit(tx, {
						municipalityId,
						actorUserId,
						type: 'resident.verified',
						payload: { personId: person.id, method: 'census' },
						personal: true
					});
					verified++;
				} else if (person.verifiedAt && c.zoneId && person.zoneId !== c.zoneId)
					tx.update(persons).set({ zoneId: c.zoneId }).where(eq(persons.id, person.id)).run();
			}
			return people.at(-1)!.id;
		});
		if (slice === null) break;
		after = slice;
		await new Promise((ok) => setImmediate(ok));
	}
	writeTx(db, (tx) =>
		appendAudit(tx, {
			municipalityId,
			actorUserId,
			type: 'census.imported',
			payload: {
				rows: m.rows,
				imported: m.imported,
				updated: m.updated,
				verified,
				rejected: m.errorCount,
				rejectedLines: m.errors.map((e) => e.line)
			}
		})
	);
	return verified;
}
