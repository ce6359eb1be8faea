import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import {
	addCommitteeMember,
	answerObservation,
	closeObservation,
	committeeCandidates,
	listCommittee,
	listObservations,
	removeCommitteeMember,
	setObservationDeadline
} from '$lib/server/execution';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'observations.answer');
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, actor.municipalityId, roundId));
	const db = event.locals.db;
	return {
		round: { id: round.id, title: round.titleEs, fiscalYear: round.fiscalYear },
		committee: listCommittee(db, actor.municipalityId, roundId),
		candidates: committeeCandidates(db, actor.municipalityId, roundId),
		observations: listObservations(db, actor.municipalityId, roundId)
	};
};

const roundOf = (event: { params: { roundId: string } }) => Number(event.params.roundId);

export const actions: Actions = {
	addMember: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		return attempt(() => {
			addCommitteeMember(event.locals.db, actor, actor.municipalityId, roundOf(event), {
				agentId: form.get('agentId'),
				termStart: form.get('termStart'),
				termEnd: form.get('termEnd')
			});
			return { memberAdded: true };
		}, echo(form));
	},
	removeMember: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		return attempt(() => {
			removeCommitteeMember(event.locals.db, actor, actor.municipalityId, roundOf(event), Number(form.get('memberId')));
			return { memberRemoved: true };
		});
	},
	answer: async (event) => {
		const actor = requireActor(event, 'observations.answer');
		const form = await event.request.formData();
		return attempt(() => {
			answerObservation(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundOf(event),
				Number(form.get('observationId')),
				{ answer: form.get('answer'), reason: form.get('reason') }
			);
			return { answered: true };
		}, echo(form));
	},
	deadline: async (event) => {
		const actor = requireActor(event, 'observations.answer');
		const form = await event.request.formData();
		return attempt(() => {
			setObservationDeadline(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundOf(event),
				Number(form.get('observationId')),
				{ dueOn: form.get('dueOn'), reason: form.get('reason') }
			);
			return { deadlineSet: true };
		}, echo(form));
	},
	close: async (event) => {
		const actor = requireActor(event, 'observations.answer');
		const form = await event.request.formData();
		return attempt(() => {
			closeObservation(event.locals.db, actor, actor.municipalityId, roundOf(event), Number(form.get('observationId')));
			return { closed: true };
		});
	}
};
