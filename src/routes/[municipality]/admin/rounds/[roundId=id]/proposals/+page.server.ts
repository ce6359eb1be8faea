import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { listProposals } from '$lib/server/proposals';
import { scoreRanking } from '$lib/server/proposals';
import { idParam, orPageError } from '$lib/server/http';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'admin.access');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const round = orPageError(event, () => findRound(db, mId, idParam(event.params.roundId)));
	const sp = event.url.searchParams;
	const status = sp.get('status') ?? '';
	const list = listProposals(db, mId, round.id, { status, page: Number(sp.get('page') ?? 1), pageSize: 50 });
	const ranking = scoreRanking(db, mId, round.id);
	return {
		round,
		list,
		status,
		ranking: ranking.ranked.map((r) => ({
			rank: r.rank,
			seq: r.seq,
			id: r.proposalId,
			title: r.proposal.title,
			mean: r.mean,
			scorers: r.scorers,
			source: r.source,
			gatesPassed: r.gatesPassed,
			advice: r.advice.scorers ? r.advice.mean : null,
			costCents: r.costCents
		})),
		maxScore: ranking.maxScore
	};
};
