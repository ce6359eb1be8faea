import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findPhoto } from '$lib/server/proposals';
import { streamUpload } from '$lib/server/platform/uploads';
import { parseWidths, variantPath, VARIANT_TYPES, type VariantFormat } from '$lib/server/platform/photo-variants';
import { idParam } from '$lib/server/http';

/** The stored JPEG, or with ?w=<width>&f=avif|webp one of its responsive variants (404 when it was not made). */
export const GET: RequestHandler = (event) => {
	const m = event.locals.municipality;
	const ph = m ? findPhoto(event.locals.db, m.id, idParam(event.params.photoId)) : undefined;
	const w = event.url.searchParams.get('w');
	const f = event.url.searchParams.get('f');
	let res: Response | null = null;
	if (ph && w === null && f === null) res = streamUpload(ph.filePath, ph.mimeType);
	else if (ph && (f === 'avif' || f === 'webp') && parseWidths(ph.variantWidths).includes(Number(w)))
		res = streamUpload(variantPath(ph.sha256, Number(w), f as VariantFormat), VARIANT_TYPES[f as VariantFormat]);
	if (!res) error(404, event.locals.t('errors.notFound'));
	return res;
};
