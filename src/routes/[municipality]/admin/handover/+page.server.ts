import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { handoverSummary, parseHandoverForm, performHandover } from '$lib/server/roles';
import { actorFor } from '$lib/server/accounts';
import { can } from '$lib/server/platform/policy';
import { redirect } from '@sveltejs/kit';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'roles.manage');
	return { summary: handoverSummary(event.locals.db, actor, actor.municipalityId), me: actor.userId };
};

export const actions: Actions = {
	handover: async (event) => {
		const actor = requireActor(event, 'roles.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() => ({ done: performHandover(event.locals.db, actor, actor.municipalityId, parseHandoverForm(form)) }),
			echo(form)
		);
		if (!('done' in r)) return r;
		// A departing admin who gave up this role lands on a page they may still see, with the confirmation there.
		const now = actorFor(event.locals.db, event.locals.user!);
		if (can(now, 'roles.manage', actor.municipalityId)) return r;
		const slug = event.locals.municipality!.slug;
		const where = can(now, 'admin.access', actor.municipalityId) ? 'admin' : 'account';
		redirect(303, `/${slug}/${where}?handover=${r.done.revoked}-${r.done.granted}`);
	}
};
