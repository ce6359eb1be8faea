import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor, orPageError } from '$lib/server/http';
import { can } from '$lib/server/platform/policy';
import { createStation, listStations, turnout } from '$lib/server/voting';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.turnout');
	const m = event.locals.municipality!;
	const roundId = Number(event.params.roundId);
	return orPageError(event, () => {
		const stationsAllowed = can(actor, 'voting.station', m.id);
		const counts = turnout(event.locals.db, actor, m.id, roundId);
		// While voting is open its window may close by the calendar (the next reload seals it): not kept rendered then.
		if (counts.round.phase === 'votacion') event.locals.noPageCache = true;
		return {
			turnout: counts,
			stations: stationsAllowed ? listStations(event.locals.db, actor, m.id, roundId) : [],
			stationsAllowed
		};
	});
};

export const actions: Actions = {
	station: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const r = await attempt(
			() => createStation(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId), form.get('name')),
			echo(form)
		);
		return 'id' in r ? { created: r.name } : r;
	}
};
