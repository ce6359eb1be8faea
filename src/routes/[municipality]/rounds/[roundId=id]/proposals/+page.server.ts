import type { PageServerLoad } from './$types';
import { findRound } from '$lib/server/rounds';
import { listProposals } from '$lib/server/proposals';
import { listZones } from '$lib/server/municipalities';
import { PROPOSAL_CATEGORIES, PROPOSAL_STATUSES } from '$lib/server/db/schema/proposals';
import { idParam, orPageError } from '$lib/server/http';

export const load: PageServerLoad = (event) => {
	const { db, municipality } = event.locals;
	const round = orPageError(event, () => findRound(db, municipality!.id, idParam(event.params.roundId)));
	const sp = event.url.searchParams;
	const filters = {
		zone: sp.get('zone') ?? '',
		category: sp.get('category') ?? '',
		status: sp.get('status') ?? '',
		q: sp.get('q') ?? ''
	};
	const list = listProposals(db, municipality!.id, round.id, { ...filters, page: Number(sp.get('page') ?? 1) });
	return {
		round: { id: round.id, titleEs: round.titleEs, titleQu: round.titleQu, phase: round.phase },
		list,
		filters,
		zones: listZones(db, municipality!.id),
		categories: PROPOSAL_CATEGORIES,
		statuses: PROPOSAL_STATUSES
	};
};
