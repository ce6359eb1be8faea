import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { censusEntries, persons, rounds } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { startWorker } from '../platform/workers';
import { listZones } from '../municipalities';
import type { CensusWorkerInput, CensusWorkerMessage } from './census-format';

/** The largest census upload (plain or gzipped): a 1,000,000-row file is about 35 MB. */
export const MAX_CENSUS_UPLOAD = 64 * 1024 * 1024;

export interface CensusJob {
	id: string;
	municipalityId: number;
	state: 'running' | 'done' | 'failed';
	phase: 'starting' | 'staging' | 'merging' | 'verifying';
	/** Rows read (staging) or merged (merging) so far. */
	done: number;
	startedAt: number;
	finishedAt: number | null;
	report: {
		rows: number;
		imported: number;
		updated: number;
		verified: number;
		errors: { line: number; code: string }[];
		errorCount: number;
	} | null;
	error: string | null;
}

/** Jobs of this process (an import is abandoned safely by a restart: its merged batches stay, the rest is re-imported). */
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
 * Starts importing a census file in a worker thread and returns at once with the job (progress in `censusJob`).
 * Refused while a round of the municipality is voting (the census decides who may vote) or while another import
 * runs. The file is written to a temporary folder beside the database (never backed up) and deleted after.
 */
export function startCensusImport(db: Db, actor: Actor | null, municipalityId: number, bytes: Uint8Array): CensusJob {
	authorize(actor, 'census.import', municipalityId);
	if (!bytes.length) throw new UserError('census.noFile');
	if (bytes.length > MAX_CENSUS_UPLOAD) throw new UserError('census.tooLarge', { mb: MAX_CENSUS_UPLOAD / 1024 / 1024 });
	const voting = db
		.select({ id: rounds.id })
		.from(rounds)
		.where(and(eq(rounds.municipalityId, municipalityId), eq(rounds.phase, 'votacion')))
		.get();
	if (voting) throw new UserError('census.roundVoting', {}, 409);
	if (runningCensusJob(municipalityId)) throw new UserError('census.importRunning', {}, 409);
	const dbPath = resolve(db.$client.name);
	const id = randomBytes(9).toString('base64url');
	const file = join(dirname(dbPath), 'census-imports', `${id}.upload`);
	mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
	writeFileSync(file, bytes, { mode: 0o600 });
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
	worker.on('message', (m: CensusWorkerMessage) => {
		if (m.kind === 'progress') {
			job.phase = m.phase;
			job.done = m.done;
		} else if (m.kind === 'failed') {
			finished = true;
			Object.assign(job, { state: 'failed', error: m.code, finishedAt: Date.now() });
		} else {
			finished = true;
			job.phase = 'verifying';
			try {
				const verified = afterImport(db, municipalityId, actorUserId, importedAt, m);
				job.report = { ...m, verified };
				job.state = 'done';
			} catch (e) {
				job.state = 'failed';
				job.error = 'census.importFailed';
				console.error('census import: verifying failed', e);
			}
			job.finishedAt = Date.now();
		}
	});
	worker.on('error', (e) => {
		console.error('census import worker', e);
		if (!finished) Object.assign(job, { state: 'failed', error: 'census.importFailed', finishedAt: Date.now() });
		finished = true;
	});
	worker.on('exit', () => {
		rmSync(file, { force: true });
		if (!finished) Object.assign(job, { state: 'failed', error: 'census.importFailed', finishedAt: Date.now() });
	});
	return job;
}

/**
 * On the server, once the rows are in: verifies every registered resident whose DNI and birth date this import
 * matched (one audited event each) and records the import. Short: it touches registered residents only.
 */
function afterImport(
	db: Db,
	municipalityId: number,
	actorUserId: number,
	importedAt: number,
	m: Extract<CensusWorkerMessage, { kind: 'done' }>
): number {
	return writeTx(db, (tx) => {
		const matches = tx
			.select({ person: persons, census: censusEntries })
			.from(persons)
			.innerJoin(
				censusEntries,
				and(eq(censusEntries.municipalityId, municipalityId), eq(censusEntries.dniHmac, persons.dniHmac))
			)
			.where(and(eq(persons.municipalityId, municipalityId), eq(censusEntries.importedAt, importedAt)))
			.all();
		let verified = 0;
		for (const { person, census } of matches) {
			if (!person.verifiedAt && person.birthDate === census.birthDate) {
				tx.update(persons)
					.set({ verifiedAt: importedAt, verifiedMethod: 'census', verifiedByUserId: null, zoneId: census.zoneId })
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
			} else if (person.verifiedAt && census.zoneId && person.zoneId !== census.zoneId)
				tx.update(persons).set({ zoneId: census.zoneId }).where(eq(persons.id, person.id)).run();
		}
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
		});
		return verified;
	});
}
