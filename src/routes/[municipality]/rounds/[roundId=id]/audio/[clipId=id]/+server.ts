import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { idParam, requireMunicipality } from '$lib/server/http';
import { audioResponse } from '$lib/server/audio';

/** A ballot recording, as uploaded. Public like the ballot's proposals; fetched only when a listener presses play. */
export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	const res = audioResponse(event.locals.db, m.id, idParam(event.params.roundId), idParam(event.params.clipId));
	if (!res) error(404, event.locals.t('errors.notFound'));
	return res;
};
