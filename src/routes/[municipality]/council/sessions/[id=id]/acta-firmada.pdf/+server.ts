import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireMunicipality, orPageError } from '$lib/server/http';
import { minutesScan } from '$lib/server/council';

/**
 * The signed scan, as uploaded; its SHA-256 is on the public page and in the JSON export. `?sha=` reads a scan that
 * was replaced since (its SHA-256 is in the session's corrections).
 */
export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	return orPageError(event, () => {
		const scan = minutesScan(event.locals.db, m.id, Number(event.params.id), event.url.searchParams.get('sha'));
		if (!scan) error(404, event.locals.t('errors.notFound'));
		return new Response(new Uint8Array(scan.bytes), {
			headers: {
				'Content-Type': 'application/pdf',
				'Content-Disposition': `inline; filename="acta-ccl-${event.params.id}-firmada.pdf"`,
				'X-Content-SHA256': scan.sha256
			}
		});
	});
};
