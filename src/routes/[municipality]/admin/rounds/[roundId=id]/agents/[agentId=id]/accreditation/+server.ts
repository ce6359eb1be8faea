import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/http';
import { findAgent } from '$lib/server/agents';
import { streamUpload } from '$lib/server/platform/uploads';
import { idParam } from '$lib/server/http';

/** Accreditation documents hold personal data: officials only. */
export const GET: RequestHandler = (event) => {
	const actor = requireActor(event, 'agents.manage');
	const a = findAgent(
		event.locals.db,
		actor.municipalityId,
		idParam(event.params.roundId),
		idParam(event.params.agentId)
	);
	const res = a?.accreditationDocPath
		? streamUpload(a.accreditationDocPath, 'application/pdf', `acreditacion-${a.id}.pdf`)
		: null;
	if (!res) error(404, event.locals.t('errors.notFound'));
	res.headers.set('Cache-Control', 'private, no-store');
	return res;
};
