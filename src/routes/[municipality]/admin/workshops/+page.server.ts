import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { createWorkshop, listWorkshops, roundsForWorkshops } from '$lib/server/workshops';
import { WORKSHOP_KINDS } from '$lib/server/db/schema/workshops';
import { limaToday } from '$lib/domain/clock';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'workshops.manage');
	const db = event.locals.db;
	return {
		workshops: listWorkshops(db, actor.municipalityId),
		rounds: roundsForWorkshops(db, actor.municipalityId),
		kinds: WORKSHOP_KINDS,
		today: limaToday()
	};
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event, 'workshops.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				createWorkshop(event.locals.db, actor, actor.municipalityId, {
					roundId: form.get('roundId'),
					kind: form.get('kind'),
					title: form.get('title'),
					date: form.get('date'),
					startsAt: form.get('startsAt'),
					place: form.get('place')
				}),
			echo(form)
		);
		if ('id' in result) redirect(303, `/${event.params.municipality}/admin/workshops/${result.id}`);
		return result;
	}
};
