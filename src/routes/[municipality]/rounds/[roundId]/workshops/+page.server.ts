import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/forms';
import { idParam, orPageError } from '$lib/server/round-routes';
import { publicRoundWorkshops } from '$lib/server/workshops-public';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return orPageError(event, () => publicRoundWorkshops(event.locals.db, m.id, idParam(event.params.roundId)));
};
