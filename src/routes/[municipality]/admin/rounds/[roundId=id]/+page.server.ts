import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { allowedTargets, closeVotingNow, roundChecklist, roundDetail } from '$lib/server/rounds';
import { idParam, orPageError } from '$lib/server/http';
import { can } from '$lib/server/platform/policy';
import { isRoundStep } from '$lib/domain/round-form';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const detail = orPageError(event, () => roundDetail(db, mId, idParam(event.params.roundId)));
	const checklist = roundChecklist(db, detail.round);
	return {
		...detail,
		checklist,
		// Every phase change goes through its confirmation page (phase/[to]).
		targets: allowedTargets(detail.round.phase),
		canPhase: can(actor, 'rounds.phase', mId),
		phaseChanged: event.url.searchParams.get('phase'),
		canManage: can(actor, 'rounds.manage', mId),
		canEvaluate: can(actor, 'proposals.evaluate', mId),
		created: event.url.searchParams.has('created'),
		setupDone: event.url.searchParams.get('setup') === 'done',
		stepSaved: ((s) => (isRoundStep(s) ? s : null))(event.url.searchParams.get('stepSaved')),
		cloned: event.url.searchParams.has('cloned')
	};
};

export const actions: Actions = {
	/** Close voting now: an amendment of the voting end date (with its reason), the end-of-voting step, results. */
	closeVoting: async (event) => {
		const actor = requireActor(event, 'rounds.phase');
		const form = await event.request.formData();
		return attempt(() => {
			closeVotingNow(event.locals.db, actor, actor.municipalityId, idParam(event.params.roundId), form.get('reason'));
			return { votingClosed: true };
		});
	}
};
