import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { getCouncilSettings, saveCouncilSettings } from '$lib/server/council';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'council.manage');
	return { settings: getCouncilSettings(event.locals.db, actor.municipalityId) };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				saveCouncilSettings(event.locals.db, actor, actor.municipalityId, {
					quorumFixed: form.get('quorumFixed'),
					secondCallAllowed: form.get('secondCallAllowed'),
					secondCallDelayMinutes: form.get('secondCallDelayMinutes'),
					secondCallMinimum: form.get('secondCallMinimum'),
					civilSocietyPercent: form.get('civilSocietyPercent'),
					agreementFormat: form.get('agreementFormat')
				}),
			echo(form)
		);
		return 'agreementFormat' in result ? { saved: true } : result;
	}
};
