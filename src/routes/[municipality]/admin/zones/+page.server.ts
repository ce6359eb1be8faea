import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { createZone, listZones, renameZone, setZoneRetired } from '$lib/server/municipalities';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'zones.manage');
	return { zones: listZones(event.locals.db, event.locals.municipality!.id) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event, 'zones.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				createZone(event.locals.db, actor, actor.municipalityId, {
					code: String(form.get('code') ?? ''),
					name: String(form.get('name') ?? '')
				}),
			echo(form)
		);
		return 'id' in result ? { created: result.name } : result;
	},
	rename: async (event) => {
		const actor = requireActor(event, 'zones.manage');
		const form = await event.request.formData();
		return attempt(() => {
			renameZone(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(form.get('zoneId')),
				String(form.get('name') ?? '')
			);
			return { renamed: true };
		});
	},
	/** Retire (or offer again): kept in history, no longer offered for new rounds, census rows or verifications. */
	retire: async (event) => {
		const actor = requireActor(event, 'zones.manage');
		const form = await event.request.formData();
		const retired = form.get('retired') !== '0';
		return attempt(() => {
			const z = setZoneRetired(event.locals.db, actor, actor.municipalityId, Number(form.get('zoneId')), retired);
			return retired ? { retired: z.name } : { restored: z.name };
		});
	}
};
