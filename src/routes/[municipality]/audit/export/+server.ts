import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { publicAuditTrail } from '$lib/server/platform/audit';

/** The whole chain as open data: anyone can re-check it with `npm run audit:verify`. */
export const GET: RequestHandler = ({ locals }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	const body = {
		format: 'minka-audit-chain/1',
		municipality: { slug: m.slug, ubigeo: m.ubigeo, name: m.name },
		exportedAt: new Date().toISOString(),
		licence: 'CC BY 4.0',
		events: publicAuditTrail(locals.db, m.id)
	};
	return new Response(JSON.stringify(body, null, 1), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="audit-${m.slug}.json"`
		}
	});
};
