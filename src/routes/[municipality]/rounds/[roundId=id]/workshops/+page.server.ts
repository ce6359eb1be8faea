import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { publicRoundWorkshops } from '$lib/server/workshops';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return orPageError(event, () => publicRoundWorkshops(event.locals.db, m.id, idParam(event.params.roundId)));
};
