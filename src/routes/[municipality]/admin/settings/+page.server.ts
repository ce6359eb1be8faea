import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { updateMunicipalitySettings } from '$lib/server/municipalities';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'municipality.settings');
	const m = event.locals.municipality!;
	return { settings: { name: m.name, defaultLocale: m.defaultLocale } };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'municipality.settings');
		const form = await event.request.formData();
		return attempt(() => {
			updateMunicipalitySettings(event.locals.db, actor, actor.municipalityId, {
				name: form.get('name'),
				defaultLocale: form.get('defaultLocale')
			});
			return { saved: true };
		});
	}
};
