import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { batchDetail, enterBatch, resolveBatch } from '$lib/server/voting';
import { isUserError } from '$lib/domain/errors';
import { error } from '@sveltejs/kit';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.station');
	try {
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
	} catch (e) {
		if (isUserError(e)) error(e.status, event.locals.t(`errors.${e.code}`, e.params));
		throw e;
	}
};

export const actions: Actions = {
	enter: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const lines = String(form.get('lines') ?? '');
		return attempt(
			() => ({
				entered: enterBatch(
					event.locals.db,
					actor,
					actor.municipalityId,
					Number(event.params.roundId),
					Number(event.params.batchId),
					lines
				)
			}),
			{ lines }
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
