import type { RequestHandler } from './$types';
import { requireActor, orPageError } from '$lib/server/http';
import { attendanceSheetPdf } from '$lib/server/workshops';

/** Officials only: the sheet carries names of residents who are not public figures. */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event, 'workshops.manage');
	return orPageError(event, async () => {
		const pdf = await attendanceSheetPdf(
			event.locals.db,
			actor.municipalityId,
			event.locals.municipality!.name,
			Number(event.params.id),
			event.locals.t
		);
		return new Response(new Uint8Array(pdf), {
			headers: {
				'Content-Type': 'application/pdf',
				'Content-Disposition': `inline; filename="asistencia-taller-${event.params.id}.pdf"`,
				'Cache-Control': 'private, no-store'
			}
		});
	});
};
