import type { PageServerLoad } from './$types';
import { idParam, orPageError, requireMunicipality } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { batchesForCommittee, publicBatches } from '$lib/server/voting';

/** Public: the round's paper batches, who keyed each version, who resolved the differences and who confirmed. */
export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return orPageError(event, () => {
		const round = findRound(event.locals.db, m.id, idParam(event.params.roundId));
		return {
			round: { id: round.id, titleEs: round.titleEs, titleQu: round.titleQu },
			batches: publicBatches(event.locals.db, m.id, round.id),
			// few staff: a Comité de Vigilancia member in term is pointed to the batches they may resolve
			forCommittee: batchesForCommittee(event.locals.db, event.locals.actor, m.id, round.id)
		};
	});
};
