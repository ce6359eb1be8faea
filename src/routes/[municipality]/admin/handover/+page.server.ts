import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { handoverSummary, parseHandoverForm, performHandover } from '$lib/server/roles';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'roles.manage');
	return { summary: handoverSummary(event.locals.db, actor, actor.municipalityId), me: actor.userId };
};

export const actions: Actions = {
	handover: async (event) => {
		const actor = requireActor(event, 'roles.manage');
		const form = await event.request.formData();
		return attempt(
			() => ({ done: performHandover(event.locals.db, actor, actor.municipalityId, parseHandoverForm(form)) }),
			echo(form)
		);
	}
};
