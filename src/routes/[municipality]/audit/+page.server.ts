import type { PageServerLoad } from './$types';
import { auditAnchors, auditEventCount, publicAuditTrail } from '$lib/server/platform/audit';
import { requireMunicipality } from '$lib/server/http';

const PAGE_SIZE = 50;

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const total = auditEventCount(event.locals.db, m.id);
	const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
	const page = Math.min(pages, Math.max(1, Number(event.url.searchParams.get('page')) || pages));
	const events = publicAuditTrail(event.locals.db, m.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
	return { events: events.reverse(), total, page, pages, anchors: auditAnchors(event.locals.db, m.id) };
};
