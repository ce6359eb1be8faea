import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { requireActor } from '$lib/server/http';
import { createRound, parseRoundForm } from '$lib/server/rounds';
import { listActiveZones } from '$lib/server/municipalities';
import { attemptMultipart } from '$lib/server/http';
import { formFile, preparePdf } from '$lib/server/platform/uploads';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'rounds.manage');
	return { zones: listActiveZones(event.locals.db, event.locals.municipality!.id) };
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const db = event.locals.db;
		const r = await attemptMultipart(event, async (form) => {
			const input = parseRoundForm(
				form,
				listActiveZones(db, actor.municipalityId).map((z) => z.id)
			);
			const file = formFile(form.get('ordinance'));
			const ordinance = file ? await preparePdf(file, 'ordinances') : null;
			return createRound(db, actor, actor.municipalityId, input, ordinance);
		});
		if ('id' in r) redirect(303, `/${event.params.municipality}/admin/rounds/${r.id}?created=1`);
		return r;
	}
};
