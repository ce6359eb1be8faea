import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { publicCouncil } from '$lib/server/council';
import { limaToday } from '$lib/domain/clock';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const today = limaToday();
	const pc = publicCouncil(event.locals.db, m.id, today);
	const asked = Number(event.url.searchParams.get('year'));
	const year = pc.years.includes(asked) ? asked : pc.years[0];
	return {
		council: pc,
		year,
		currentYear: Number(today.slice(0, 4)),
		sessions: pc.sessions.filter((s) => s.date.startsWith(`${year}-`)).reverse()
	};
};
