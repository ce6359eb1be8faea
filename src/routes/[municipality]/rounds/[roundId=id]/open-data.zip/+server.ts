import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { auditorZipStream } from '$lib/server/results';
import { loadTranslator } from '$lib/i18n';
import { findRound } from '$lib/server/rounds';
import { isUserError } from '$lib/domain/errors';

/** Every open-data file of the round in one zip, with a README in Spanish and Quechua. No login: it is all public. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	const roundId = Number(params.roundId);
	let round;
	try {
		round = findRound(locals.db, m.id, roundId);
	} catch (e) {
		if (isUserError(e)) error(404, locals.t('errors.notFound'));
		throw e;
	}
	const [tEs, tQu] = await Promise.all([loadTranslator('es'), loadTranslator('qu', { withFallback: true })]);
	// Streamed: compressed slice by slice, the audit chain page by page, other requests answered in between.
	return new Response(auditorZipStream(locals.db, m, round.id, tEs, tQu), {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="minka-${m.ubigeo}-${round.fiscalYear}-r${round.id}-datos-abiertos.zip"`,
			'x-licence': 'CC BY 4.0',
			'cache-control': 'no-store'
		}
	});
};
