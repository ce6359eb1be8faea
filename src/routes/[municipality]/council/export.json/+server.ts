import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { publicCouncil } from '$lib/server/council';

export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	const pc = publicCouncil(event.locals.db, m.id);
	return json(
		{ municipality: { name: m.name, ubigeo: m.ubigeo }, generatedAt: new Date().toISOString(), ...pc },
		{ headers: { 'Content-Disposition': `inline; filename="ccl-${m.ubigeo}.json"` } }
	);
};
