import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import {
	censusJob,
	censusSize,
	parseCensus,
	startCensusImport,
	startCensusImportFrom,
	type CensusJob
} from '$lib/server/residents';

const CARRY_LIMIT = 1024 * 1024;
/** Preview parses on the server's main thread: only files this small (larger ones are imported directly). */
const PREVIEW_LIMIT = 2 * 1024 * 1024;

async function uploaded(form: FormData): Promise<Uint8Array | null> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) return new Uint8Array(await file.arrayBuffer());
	const carried = form.get('csv');
	return typeof carried === 'string' && carried ? new TextEncoder().encode(carried) : null;
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
		const bytes = await uploaded(await event.request.formData());
		if (!bytes) return fail(400, { error: { code: 'census.noFile', params: {} } });
		if (bytes.length > PREVIEW_LIMIT || isGzip(bytes))
			return fail(400, { error: { code: 'census.previewTooLarge', params: {} } });
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
		const form = await event.request.formData();
		const file = form.get('file');
		// a chosen file goes to disk a chunk at a time; the text carried from the preview is small
		const upload = file instanceof File && file.size > 0 ? file : null;
		const bytes = upload ? null : await uploaded(form);
		if (!upload && !bytes) return fail(400, { error: { code: 'census.noFile', params: {} } });
		const started = await attempt(async () => ({
			job: upload
				? await startCensusImportFrom(event.locals.db, actor, actor.municipalityId, upload)
				: startCensusImport(event.locals.db, actor, actor.municipalityId, bytes!)
		}));
		if (!('job' in started)) return started;
		await settled(started.job, 1500);
		redirect(303, `${event.url.pathname}?job=${started.job.id}`);
	}
};
