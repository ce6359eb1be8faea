import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor, orPageError } from '$lib/server/http';
import { createBatch, listBatches, listStations } from '$lib/server/voting';
import { listZones } from '$lib/server/municipalities';
import { redirect } from '@sveltejs/kit';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.station');
	const roundId = Number(event.params.roundId);
	return orPageError(event, () => {
		return {
			batches: listBatches(event.locals.db, actor, actor.municipalityId, roundId),
			stations: listStations(event.locals.db, actor, actor.municipalityId, roundId),
			zones: listZones(event.locals.db, actor.municipalityId)
		};
	});
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				createBatch(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId), {
					stationId: form.get('stationId'),
					zoneId: form.get('zoneId'),
					label: form.get('label'),
					declaredCount: form.get('declaredCount')
				}),
			echo(form)
		);
		if ('id' in r) redirect(303, `${event.url.pathname}/${r.id}`);
		return r;
	}
};
