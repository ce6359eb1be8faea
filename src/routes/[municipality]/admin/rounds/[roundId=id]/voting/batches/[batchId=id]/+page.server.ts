import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor, orPageError } from '$lib/server/http';
import { batchDetail, enterBatch, resolveBatch } from '$lib/server/voting';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.station');
	return orPageError(event, () => {
		return {
			detail: batchDetail(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.roundId),
				Number(event.params.batchId),
				event.locals.locale
			)
		};
	});
};

export const actions: Actions = {
	enter: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const lines = String(form.get('lines') ?? '');
		const lateReason = String(form.get('lateReason') ?? '');
		return attempt(
			() => ({
				entered: enterBatch(
					event.locals.db,
					actor,
					actor.municipalityId,
					Number(event.params.roundId),
					Number(event.params.batchId),
					lines,
					lateReason
				)
			}),
			{ lines, lateReason }
		);
	},
	resolve: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		return attempt(() => ({
			resolved: resolveBatch(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.roundId),
				Number(event.params.batchId),
				(n) => {
					const v = form.get(n);
					return typeof v === 'string' ? v : null;
				}
			)
		}));
	}
};
