import type { PageServerLoad } from './$types';
import { roundDetail } from '$lib/server/rounds';
import { publicAgentRegister } from '$lib/server/agents';
import { proposalsByAuthor } from '$lib/server/proposals';
import { idParam, orPageError } from '$lib/server/http';
import { acceptsProposals } from '$lib/domain/phases';
import { amendmentsOf } from '$lib/server/amendments';
import { batchesForCommittee } from '$lib/server/voting';

export const load: PageServerLoad = (event) => {
	const { db, municipality, actor } = event.locals;
	const d = orPageError(event, () => roundDetail(db, municipality!.id, idParam(event.params.roundId)));
	const corrections = amendmentsOf(db, municipality!.id, 'round', [d.round.id]).get(d.round.id) ?? [];
	return {
		...d,
		timetableAmendments: corrections.filter((a) => /^(startsOn|endsOn)_/.test(a.field)),
		ordinanceAmendments: corrections.filter((a) => a.field.startsWith('ordinance')),
		agents: publicAgentRegister(db, municipality!.id, d.round.id),
		intakeOpen: acceptsProposals(d.round.phase),
		// few staff: a Comité de Vigilancia member in term is told of paper batches waiting for them
		batchesForCommittee: batchesForCommittee(db, actor, municipality!.id, d.round.id).length,
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
