import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { censusSize, importCensus, MAX_CENSUS_BYTES, parseCensus } from '$lib/server/residents';

const CARRY_LIMIT = 1024 * 1024;

async function csvText(form: FormData): Promise<string | null> {
	const file = form.get('file');
	if (file instanceof File && file.size > 0) {
		if (file.size > MAX_CENSUS_BYTES) return null;
		return new TextDecoder('utf-8').decode(await file.arrayBuffer());
	}
	const carried = form.get('csv');
	return typeof carried === 'string' && carried ? carried : null;
}

export const load: PageServerLoad = (event) => {
	requireActor(event, 'census.import');
	return { size: censusSize(event.locals.db, event.locals.municipality!.id) };
};

export const actions: Actions = {
	preview: async (event) => {
		const actor = requireActor(event, 'census.import');
		const text = await csvText(await event.request.formData());
		if (!text) return fail(400, { error: { code: 'census.noFile', params: {} } });
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
		const text = await csvText(await event.request.formData());
		if (!text) return fail(400, { error: { code: 'census.noFile', params: {} } });
		return attempt(() => ({ report: importCensus(event.locals.db, actor, actor.municipalityId, text) }));
	}
};
