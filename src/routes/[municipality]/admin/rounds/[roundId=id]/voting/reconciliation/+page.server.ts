import type { PageServerLoad } from './$types';
import { requireActor, orPageError } from '$lib/server/http';
import { reconciliation } from '$lib/server/voting';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.turnout');
	return orPageError(event, () => {
		return { rows: reconciliation(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId)) };
	});
};
