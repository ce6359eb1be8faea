import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { requireActor } from '$lib/server/http';
import { roundDetail } from '$lib/server/rounds';
import { parseOnBehalf, parseProposalForm, preparePhotos, submitProposal } from '$lib/server/proposals';
import { PROPOSAL_CATEGORIES } from '$lib/server/db/schema/proposals';
import { listZones } from '$lib/server/municipalities';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { formFile } from '$lib/server/platform/uploads';
import { schedulePhotoVariants } from '$lib/server/platform/photo-variants';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'proposals.fileOnBehalf');
	const mId = event.locals.municipality!.id;
	const d = orPageError(event, () => roundDetail(event.locals.db, mId, idParam(event.params.roundId)));
	return {
		round: d.round,
		budgets: d.budgets,
		zones: listZones(event.locals.db, mId),
		categories: PROPOSAL_CATEGORIES
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'proposals.fileOnBehalf');
		const roundId = idParam(event.params.roundId);
		const r = await attemptMultipart(event, async (form) => {
			const onBehalf = parseOnBehalf(form);
			const input = parseProposalForm(form);
			const photos = await preparePhotos(
				form
					.getAll('photos')
					.map(formFile)
					.filter((f): f is File => f !== null)
			);
			return submitProposal(event.locals.db, actor, actor.municipalityId, roundId, input, photos, onBehalf);
		});
		// responsive variants of the new photos are made after the answer (see photo-variants.ts)
		if ('id' in r) void schedulePhotoVariants(event.locals.db);
		if ('id' in r) redirect(303, `/${event.params.municipality}/admin/rounds/${roundId}/proposals/${r.id}`);
		return r;
	}
};
