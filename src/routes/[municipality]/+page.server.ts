import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { listActiveZones } from '$lib/server/municipalities';
import { verifiedResidentCount } from '$lib/server/residents';
import { currentRound } from '$lib/server/rounds';
import { publishedResult } from '$lib/server/results';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return {
		place: { department: m.department, province: m.province, kind: m.kind },
		zones: listActiveZones(event.locals.db, m.id).map((z) => ({ id: z.id, name: z.name })),
		verifiedResidents: verifiedResidentCount(event.locals.db, m.id),
		round: roundSummary(event, m.id),
		deleted: event.url.searchParams.has('deleted')
	};
};

function roundSummary(event: Parameters<PageServerLoad>[0], municipalityId: number) {
	const r = currentRound(event.locals.db, municipalityId);
	if (!r) return null;
	return {
		id: r.id,
		title: event.locals.locale === 'qu' && r.titleQu ? r.titleQu : r.titleEs,
		phase: r.phase,
		budgetCents: r.budgetCents,
		hasResults: Boolean(publishedResult(event.locals.db, municipalityId, r.id))
	};
}
