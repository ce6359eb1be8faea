import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { auditExportStream } from '$lib/server/platform/audit';

/**
 * The whole chain as open data: anyone can re-check it with `npm run audit:verify`. Streamed page by page (constant
 * memory, other requests answered between pages), however long the chain.
 */
export const GET: RequestHandler = ({ locals }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	return new Response(auditExportStream(locals.db, m), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="audit-${m.slug}.json"`
		}
	});
};
