import type { PageServerLoad } from './$types';
import { roundDetail } from '$lib/server/rounds';
import { publicAgentRegister } from '$lib/server/agents';
import { proposalsByAuthor } from '$lib/server/proposals';
import { idParam, orPageError } from '$lib/server/http';
import { acceptsProposals } from '$lib/domain/phases';

export const load: PageServerLoad = (event) => {
	const { db, municipality, actor } = event.locals;
	const d = orPageError(event, () => roundDetail(db, municipality!.id, idParam(event.params.roundId)));
	return {
		...d,
		agents: publicAgentRegister(db, municipality!.id, d.round.id),
		intakeOpen: acceptsProposals(d.round.phase),
		mine: actor
			? proposalsByAuthor(db, municipality!.id, d.round.id, actor.personId).map((p) => ({
					id: p.id,
					seq: p.seq,
					title: p.title,
					status: p.status
				}))
			: []
	};
};
