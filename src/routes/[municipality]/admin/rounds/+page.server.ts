import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { attempt, echo, requireActor } from '$lib/server/http';
import { cloneRound, listRounds } from '$lib/server/rounds';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'admin.access');
	return { rounds: listRounds(event.locals.db, event.locals.municipality!.id) };
};

export const actions: Actions = {
	clone: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				cloneRound(
					event.locals.db,
					actor,
					actor.municipalityId,
					Number(form.get('sourceRoundId')),
					form.get('fiscalYear')
				),
			echo(form)
		);
		if ('id' in r) redirect(303, `/${event.params.municipality}/admin/rounds/${r.id}?cloned=1`);
		return r;
	}
};
