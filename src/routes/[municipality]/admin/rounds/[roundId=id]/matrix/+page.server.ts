import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { MAX_BAND_ROWS, parseMatrixForm, roundDetail, saveMatrix } from '$lib/server/rounds';
import { defaultMatrix } from '$lib/domain/scoring';
import { rulesFrozen } from '$lib/domain/phases';
import { idParam, orPageError } from '$lib/server/http';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'admin.access');
	const d = orPageError(event, () =>
		roundDetail(event.locals.db, event.locals.municipality!.id, idParam(event.params.roundId))
	);
	return {
		round: d.round,
		criteria: d.criteria.length ? d.criteria : defaultMatrix(),
		frozen: rulesFrozen(d.round.phase),
		maxBandRows: MAX_BAND_ROWS
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const form = await event.request.formData();
		return attempt(() => {
			saveMatrix(event.locals.db, actor, actor.municipalityId, idParam(event.params.roundId), parseMatrixForm(form));
			return { saved: true };
		}, echo(form));
	},
	reset: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		return attempt(() => {
			saveMatrix(event.locals.db, actor, actor.municipalityId, idParam(event.params.roundId), defaultMatrix());
			return { saved: true };
		});
	}
};
