import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { roundExecution } from '$lib/server/execution';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, m.id, roundId));
	return {
		round: {
			id: round.id,
			fiscalYear: round.fiscalYear,
			title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs
		},
		execution: roundExecution(event.locals.db, m.id, roundId)
	};
};
