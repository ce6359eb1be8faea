import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor, orPageError } from '$lib/server/http';
import { checkInAgent, checkInWalkIn, removeCheckIn, workshopDetail } from '$lib/server/workshops';
import { listActiveZones } from '$lib/server/municipalities';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'workshops.manage');
	return orPageError(event, () => {
		return {
			...workshopDetail(event.locals.db, actor.municipalityId, Number(event.params.id)),
			zones: listActiveZones(event.locals.db, actor.municipalityId)
		};
	});
};

export const actions: Actions = {
	agent: async (event) => {
		const actor = requireActor(event, 'workshops.manage');
		const form = await event.request.formData();
		const r = await attempt(() =>
			checkInAgent(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.id),
				Number(form.get('agentId')),
				'list'
			)
		);
		return 'name' in r ? { checkedIn: r.name } : r;
	},
	walkIn: async (event) => {
		const actor = requireActor(event, 'workshops.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				checkInWalkIn(event.locals.db, actor, actor.municipalityId, Number(event.params.id), {
					fullName: form.get('fullName'),
					gender: form.get('gender'),
					language: form.get('language'),
					zoneId: form.get('zoneId')
				}),
			echo(form)
		);
		return 'name' in r ? { checkedIn: r.name } : r;
	},
	remove: async (event) => {
		const actor = requireActor(event, 'workshops.manage');
		const form = await event.request.formData();
		return attempt(() => {
			removeCheckIn(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.id),
				Number(form.get('attendanceId'))
			);
			return { removed: true };
		});
	}
};
