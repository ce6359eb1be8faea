import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { auditAnchors } from '$lib/server/platform/audit';

/** The document list: every anchor (position and hash of the chain's head at each issuing act). `audit:verify --anchors-from`. */
export const GET: RequestHandler = ({ locals }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	const body = {
		format: 'minka-audit-anchors/1',
		municipality: { slug: m.slug, ubigeo: m.ubigeo, name: m.name },
		exportedAt: new Date().toISOString(),
		anchors: auditAnchors(locals.db, m.id)
	};
	return new Response(JSON.stringify(body, null, 1), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="anchors-${m.slug}.json"`
		}
	});
};
