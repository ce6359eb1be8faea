import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { attempt, drainBody, isMultipart, readMultipart, requireActor } from '$lib/server/http';
import {
	censusJob,
	censusSize,
	censusUploadTarget,
	MAX_CENSUS_UPLOAD,
	parseCensus,
	startCensusImport,
	startCensusImportOfUpload,
	type CensusJob
} from '$lib/server/residents';
import { UserError } from '$lib/domain/errors';

const CARRY_LIMIT = 1024 * 1024;
/** Preview parses on the server's main thread: only files this small (larger ones are imported directly). */
const PREVIEW_LIMIT = 2 * 1024 * 1024;
/** The text carried from the preview to the import (at most CARRY_LIMIT characters, up to 4 bytes each). */
const FIELD_LIMIT = 4 * CARRY_LIMIT;

/**
 * The form's file (or the text carried from the preview), read as the body arrives (http/multipart.ts): a file
 * larger than `max` is cut and reported. Forms posted without a file input (the preview's "import" button without
 * JavaScript) come URL-encoded and small.
 */
async function smallUpload(event: RequestEvent, max: number): Promise<{ bytes: Uint8Array | null; tooLarge: boolean }> {
	let file: Uint8Array | null = null;
	let carried: unknown;
	let tooLarge = false;
	if (isMultipart(event.request)) {
		const form = await readMultipart(event.request, {
			file: { field: 'file', to: 'memory', maxBytes: max },
			maxFieldBytes: FIELD_LIMIT
		});
		file = form.file?.bytes ?? null;
		tooLarge = Boolean(form.file?.truncated);
		carried = form.fields.csv;
	} else carried = (await event.request.formData()).get('csv');
	const bytes = file ?? (typeof carried === 'string' && carried ? new TextEncoder().encode(carried) : null);
	return { bytes, tooLarge: tooLarge || (bytes?.length ?? 0) > max };
}

const isGzip = (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b;

/** Waits a moment for a small import to finish, so its report shows at once; a large one shows its progress. */
function settled(job: CensusJob, ms: number): Promise<void> {
	return new Promise((ok) => {
		const started = Date.now();
		const tick = () => (job.state !== 'running' || Date.now() - started > ms ? ok() : setTimeout(tick, 25));
		tick();
	});
}

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'census.import');
	const id = event.url.searchParams.get('job');
	const job = id ? censusJob(actor.municipalityId, id) : null;
	return {
		// the census in force (remembered, not counted): while an import stages, still the census before it
		size: censusSize(event.locals.db, actor.municipalityId),
		job: job && {
			id: job.id,
			state: job.state,
			phase: job.phase,
			done: job.done,
			seconds: Math.round(((job.finishedAt ?? Date.now()) - job.startedAt) / 1000),
			report: job.report,
			error: job.error
		},
		jobMissing: Boolean(id && !job)
	};
};

export const actions: Actions = {
	preview: async (event) => {
		const actor = requireActor(event, 'census.import');
		const { bytes, tooLarge } = await smallUpload(event, PREVIEW_LIMIT);
		if (!bytes) return fail(400, { error: { code: 'census.noFile', params: {} } });
		if (tooLarge || isGzip(bytes)) return fail(400, { error: { code: 'census.previewTooLarge', params: {} } });
		const text = new TextDecoder('utf-8').decode(bytes);
		return attempt(() => {
			const rows = parseCensus(event.locals.db, actor.municipalityId, text);
			return {
				preview: rows.slice(0, 200),
				rowCount: rows.length,
				errorCount: rows.filter((r) => r.error).length,
				csv: text.length <= CARRY_LIMIT ? text : null
			};
		});
	},
	import: async (event) => {
		const actor = requireActor(event, 'census.import');
		const db = event.locals.db;
		const started = await attempt(async () => {
			if (!isMultipart(event.request)) {
				// the text carried from the preview, URL-encoded (no JavaScript): small
				const { bytes } = await smallUpload(event, MAX_CENSUS_UPLOAD);
				if (!bytes) throw new UserError('census.noFile');
				return { job: startCensusImport(db, actor, actor.municipalityId, bytes) };
			}
			// The chosen file goes to disk as it arrives, after the refusals that need none of it (role, a round
			// voting, an import running); never held whole in memory.
			let target;
			try {
				target = censusUploadTarget(db, actor, actor.municipalityId);
			} catch (e) {
				await drainBody(event.request);
				throw e;
			}
			const form = await readMultipart(event.request, {
				file: { field: 'file', to: target.file, maxBytes: MAX_CENSUS_UPLOAD },
				maxFieldBytes: FIELD_LIMIT
			});
			if (form.file) {
				// one byte over the limit: refused like a larger file (the size check below)
				const size = form.file.truncated ? MAX_CENSUS_UPLOAD + 1 : form.file.size;
				return { job: startCensusImportOfUpload(db, actor, actor.municipalityId, target, size) };
			}
			const carried = form.fields.csv;
			if (!carried || form.truncatedFields.includes('csv')) throw new UserError('census.noFile');
			return { job: startCensusImport(db, actor, actor.municipalityId, new TextEncoder().encode(carried)) };
		});
		if (!('job' in started)) return started;
		await settled(started.job, 1500);
		redirect(303, `${event.url.pathname}?job=${started.job.id}`);
	}
};
