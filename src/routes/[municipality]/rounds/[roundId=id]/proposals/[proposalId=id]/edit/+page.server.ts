import type { Actions, PageServerLoad } from './$types';
import { error, redirect } from '@sveltejs/kit';
import { requireActor } from '$lib/server/http';
import { findRound, roundDetail } from '$lib/server/rounds';
import { UserError } from '$lib/domain/errors';
import {
	canEditProposal,
	findProposal,
	parseProposalForm,
	preparePhotos,
	proposalDetail,
	updateProposal
} from '$lib/server/proposals';
import { PROPOSAL_CATEGORIES } from '$lib/server/db/schema/proposals';
import { listZones } from '$lib/server/municipalities';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { formFile } from '$lib/server/platform/uploads';
import { schedulePhotoVariants } from '$lib/server/platform/photo-variants';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'account.self');
	const mId = event.locals.municipality!.id;
	const roundId = idParam(event.params.roundId);
	const d = orPageError(event, () => roundDetail(event.locals.db, mId, roundId));
	const p = orPageError(event, () => proposalDetail(event.locals.db, mId, roundId, idParam(event.params.proposalId)));
	if (!canEditProposal(actor, d.round, p.proposal)) error(403, event.locals.t('errors.proposals.cannotEdit'));
	return {
		round: { id: d.round.id, titleEs: d.round.titleEs },
		proposal: p.proposal,
		photos: p.photos.map((x) => ({ id: x.id })),
		budgets: d.budgets,
		zones: listZones(event.locals.db, mId),
		categories: PROPOSAL_CATEGORIES
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'account.self');
		const roundId = idParam(event.params.roundId);
		const proposalId = idParam(event.params.proposalId);
		const r = await attemptMultipart(event, async (form) => {
			// Permission first: someone who may not edit this proposal gets no photo decoded, let alone written.
			const round = findRound(event.locals.db, actor.municipalityId, roundId);
			if (!canEditProposal(actor, round, findProposal(event.locals.db, actor.municipalityId, roundId, proposalId)))
				throw new UserError('proposals.cannotEdit', {}, 403);
			const input = parseProposalForm(form);
			const remove = form.getAll('removePhoto').map(Number).filter(Number.isInteger);
			const files = form
				.getAll('photos')
				.map(formFile)
				.filter((f): f is File => f !== null);
			const photos = await preparePhotos(files);
			return updateProposal(event.locals.db, actor, actor.municipalityId, roundId, proposalId, input, photos, remove);
		});
		// responsive variants of the new photos are made after the answer (see photo-variants.ts)
		if ('id' in r) void schedulePhotoVariants(event.locals.db);
		if ('id' in r) redirect(303, `/${event.params.municipality}/rounds/${roundId}/proposals/${proposalId}?saved=1`);
		return r;
	}
};
