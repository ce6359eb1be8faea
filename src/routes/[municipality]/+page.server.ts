import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/forms';
import { listZones } from '$lib/server/zones';
import { verifiedResidentCount } from '$lib/server/residents';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return {
		place: { department: m.department, province: m.province, kind: m.kind },
		zones: listZones(event.locals.db, m.id).map((z) => ({ id: z.id, name: z.name })),
		verifiedResidents: verifiedResidentCount(event.locals.db, m.id)
	};
};
