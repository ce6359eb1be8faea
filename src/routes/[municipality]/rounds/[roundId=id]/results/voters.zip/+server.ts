import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { orPageError, requireActor, requireMunicipality } from '$lib/server/http';
import { voterFilesZip } from '$lib/server/results';
import { loadTranslator } from '$lib/i18n';
import { findRound } from '$lib/server/rounds';

/**
 * The per-voter files of the round's budgets kept private that MES counted, for accredited auditors only (a login
 * with the auditor role; anyone else is sent to log in or refused). The public files of those budgets hold totals.
 */
export const GET: RequestHandler = async (event) => {
	const m = requireMunicipality(event);
	requireActor(event, 'results.auditorFiles');
	const round = orPageError(event, () => findRound(event.locals.db, m.id, Number(event.params.roundId)));
	const [tEs, tQu] = await Promise.all([loadTranslator('es'), loadTranslator('qu', { withFallback: true })]);
	const zip = voterFilesZip(event.locals.db, m, round.id, tEs, tQu);
	if (!zip) error(404, event.locals.t('errors.notFound'));
	return new Response(new Uint8Array(zip), {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="minka-${m.ubigeo}-${round.fiscalYear}-r${round.id}-votantes.zip"`,
			'cache-control': 'no-store, private'
		}
	});
};
