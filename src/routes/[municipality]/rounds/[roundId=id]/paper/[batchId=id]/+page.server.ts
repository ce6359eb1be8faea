import type { Actions, PageServerLoad } from './$types';
import { attempt, idParam, orPageError, requireActor } from '$lib/server/http';
import { committeeBatchDetail, resolveBatchAsCommittee } from '$lib/server/voting';

/**
 * Few staff: a member of the round's Comité de Vigilancia resolves a paper batch's keying differences. A member need
 * not be staff, so the page sits in the public tree for any logged-in account; the voting module decides (a seat in
 * term, not a keyer, fewer than three staff persons).
 */
export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'account.self');
	return orPageError(event, () => ({
		detail: committeeBatchDetail(
			event.locals.db,
			actor,
			actor.municipalityId,
			idParam(event.params.roundId),
			idParam(event.params.batchId)
		)
	}));
};

export const actions: Actions = {
	resolve: async (event) => {
		const actor = requireActor(event, 'account.self');
		const form = await event.request.formData();
		return attempt(() => ({
			resolved: resolveBatchAsCommittee(
				event.locals.db,
				actor,
				actor.municipalityId,
				idParam(event.params.roundId),
				idParam(event.params.batchId),
				(n) => {
					const v = form.get(n);
					return typeof v === 'string' ? v : null;
				}
			)
		}));
	}
};
