import Papa from 'papaparse';
import type { RequestHandler } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { councilCsvRows, publicCouncil } from '$lib/server/council';

/** One row per member per session: stable English column names, values as recorded (no personal data beyond names and roles). */
export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	const rows = councilCsvRows(publicCouncil(event.locals.db, m.id));
	const csv = Papa.unparse(rows.length ? rows : [], {
		columns: [
			'session_id',
			'session_date',
			'session_kind',
			'place',
			'installed',
			'installed_at_call',
			'present_count',
			'legal_members',
			'member_name',
			'member_role',
			'attendance',
			'arrived_at'
		]
	});
	return new Response('\uFEFF' + csv + '\r\n', {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="ccl-${m.ubigeo}-asistencia.csv"`
		}
	});
};
