import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findRound } from '$lib/server/rounds';
import { streamUpload } from '$lib/server/platform/uploads';
import { idParam, orPageError } from '$lib/server/http';

export const GET: RequestHandler = (event) => {
	const r = orPageError(event, () =>
		findRound(event.locals.db, event.locals.municipality!.id, idParam(event.params.roundId))
	);
	const res = r.ordinanceFilePath
		? streamUpload(r.ordinanceFilePath, 'application/pdf', `ordenanza-${r.fiscalYear}.pdf`)
		: null;
	if (!res) error(404, event.locals.t('errors.notFound'));
	res.headers.set('X-Frame-Options', 'SAMEORIGIN');
	return res;
};
