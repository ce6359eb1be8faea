import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findPhoto } from '$lib/server/proposals';
import { streamUpload } from '$lib/server/platform/uploads';
import { idParam } from '$lib/server/http';

export const GET: RequestHandler = (event) => {
	const m = event.locals.municipality;
	const ph = m ? findPhoto(event.locals.db, m.id, idParam(event.params.photoId)) : undefined;
	const res = ph ? streamUpload(ph.filePath, ph.mimeType) : null;
	if (!res) error(404, event.locals.t('errors.notFound'));
	return res;
};
