import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { attemptMultipart, requireActor } from '$lib/server/http';
import { createRoundFromStep, newRoundValues, postedFields } from '$lib/server/rounds';
import { listActiveZones } from '$lib/server/municipalities';
import { formFile, preparePdf } from '$lib/server/platform/uploads';
import { loadTranslator } from '$lib/i18n';

/** Step 1 of the round form: ordinance and budget. Saving creates the round as a draft and goes on to step 2. */
export const load: PageServerLoad = async (event) => {
	requireActor(event, 'rounds.manage');
	const zones = listActiveZones(event.locals.db, event.locals.municipality!.id);
	const template = event.url.searchParams.get('template') === 'standard';
	const year = new Date().getFullYear() + 1;
	const values = newRoundValues(
		template,
		year,
		zones.map((z) => z.id)
	);
	if (template) {
		// The template's titles, in each language whatever the official reads the page in.
		values.titleEs = String((await loadTranslator('es'))('rounds.template.title', { year }));
		values.titleQu = String((await loadTranslator('qu'))('rounds.template.title', { year }));
	}
	return { zones, template, values };
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const db = event.locals.db;
		const r = await attemptMultipart(event, async (form) => {
			const file = formFile(form.get('ordinance'));
			const ordinance = file ? await preparePdf(file, 'ordinances') : null;
			return createRoundFromStep(
				db,
				actor,
				actor.municipalityId,
				postedFields(form),
				listActiveZones(db, actor.municipalityId).map((z) => z.id),
				ordinance
			);
		});
		if ('id' in r) redirect(303, `/${event.params.municipality}/admin/rounds/${r.id}/setup/split?created=1`);
		return r;
	}
};
