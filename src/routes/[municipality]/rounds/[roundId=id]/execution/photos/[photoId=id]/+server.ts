import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findExecutionPhoto } from '$lib/server/execution';
import { streamUpload } from '$lib/server/platform/uploads';
import { idParam } from '$lib/server/http';

/** A milestone photo (re-encoded JPEG, no metadata). Public. */
export const GET: RequestHandler = (event) => {
	const m = event.locals.municipality;
	const ph = m
		? findExecutionPhoto(event.locals.db, m.id, idParam(event.params.roundId), idParam(event.params.photoId))
		: undefined;
	const res = ph ? streamUpload(ph.filePath, ph.mimeType) : null;
	if (!res) error(404, event.locals.t('errors.notFound'));
	return res;
};
