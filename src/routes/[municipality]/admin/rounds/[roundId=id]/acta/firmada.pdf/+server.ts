import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { actaScan } from '$lib/server/acta';

/**
 * The signed scan (handwritten DNIs and signatures): officials and auditors only; its SHA-256 is public. `?sha=` reads
 * a scan that was replaced (the amendment keeps its SHA-256).
 */
export const GET: RequestHandler = (event) => {
	const actor = requireActor(event, 'acta.readScan');
	const scan = orPageError(event, () =>
		actaScan(
			event.locals.db,
			actor,
			actor.municipalityId,
			idParam(event.params.roundId),
			// ?sha=<SHA-256>: a scan replaced since (kept, listed as an amendment)
			event.url.searchParams.get('sha')
		)
	);
	if (!scan) error(404, event.locals.t('errors.notFound'));
	return new Response(new Uint8Array(scan.bytes), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="acta-acuerdos-firmada.pdf"`,
			'X-Content-SHA256': scan.sha256,
			'Cache-Control': 'private, no-store'
		}
	});
};
