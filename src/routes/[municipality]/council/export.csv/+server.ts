import type { RequestHandler } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { councilCsvRows, publicCouncil } from '$lib/server/council';
import { COUNCIL_COLUMNS } from '$lib/server/results';
import { toCsv } from '$lib/server/platform/csv';

/** One row per member per session: stable English column names, values as recorded (no personal data beyond names and roles). */
export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	const csv = toCsv(COUNCIL_COLUMNS, councilCsvRows(publicCouncil(event.locals.db, m.id)), { bom: true });
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="ccl-${m.ubigeo}-asistencia.csv"`
		}
	});
};
