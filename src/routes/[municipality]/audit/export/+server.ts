import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { auditExportStream } from '$lib/server/platform/audit';
import { auditExportGzipStream } from '$lib/server/platform/audit-export';

/**
 * The whole chain as open data: anyone can re-check it with `npm run audit:verify`. Streamed page by page (constant
 * memory, other requests answered between pages), however long the chain. A client that accepts gzip gets it from
 * the cache of completed pages, compressed once (audit-export.ts); others get the plain stream, which the hook's
 * per-request compression leaves alone (`no-transform`: it would read the whole chain into memory first).
 */
export const GET: RequestHandler = ({ locals, request }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	const headers: Record<string, string> = {
		'content-type': 'application/json; charset=utf-8',
		'content-disposition': `attachment; filename="audit-${m.slug}.json"`,
		vary: 'accept-encoding'
	};
	if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? ''))
		return new Response(auditExportGzipStream(locals.db, m), {
			headers: { ...headers, 'content-encoding': 'gzip' }
		});
	return new Response(auditExportStream(locals.db, m), {
		headers: { ...headers, 'cache-control': 'no-transform' }
	});
};
