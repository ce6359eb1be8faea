import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/http';
import { voterFilesZip } from '$lib/server/results';
import { loadTranslator } from '$lib/i18n';
import { findRound } from '$lib/server/rounds';
import { isUserError } from '$lib/domain/errors';

/**
 * The per-voter files of the round's budgets kept private that MES counted, for accredited auditors only (a login
 * with the auditor role; anyone else is sent to log in or refused). The public files of those budgets hold totals.
 */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event, 'results.auditorFiles');
	const { locals, params } = event;
	let round;
	try {
		round = findRound(locals.db, actor.municipalityId, Number(params.roundId));
	} catch (e) {
		if (isUserError(e)) error(404, locals.t('errors.notFound'));
		throw e;
	}
	const m = locals.municipality!;
	const [tEs, tQu] = await Promise.all([loadTranslator('es'), loadTranslator('qu', { withFallback: true })]);
	const zip = voterFilesZip(locals.db, m, round.id, tEs, tQu);
	if (!zip) error(404, locals.t('errors.notFound'));
	return new Response(zip, {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="minka-${m.ubigeo}-${round.fiscalYear}-r${round.id}-votantes.zip"`,
			'cache-control': 'no-store, private'
		}
	});
};
