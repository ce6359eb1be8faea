import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import {
	allowedTargets,
	closeVotingNow,
	parseRoundForm,
	roundChecklist,
	roundDetail,
	updateRound
} from '$lib/server/rounds';
import { rulesFrozen } from '$lib/domain/phases';
import { zonesOffered } from '$lib/server/municipalities';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { formFile, preparePdf } from '$lib/server/platform/uploads';
import { can } from '$lib/server/platform/policy';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const detail = orPageError(event, () => roundDetail(db, mId, idParam(event.params.roundId)));
	const checklist = roundChecklist(db, detail.round);
	return {
		...detail,
		zones: zonesOffered(
			db,
			mId,
			detail.budgets.map((b) => b.zoneId)
		),
		checklist,
		// Every phase change goes through its confirmation page (phase/[to]).
		targets: allowedTargets(detail.round.phase),
		canPhase: can(actor, 'rounds.phase', mId),
		phaseChanged: event.url.searchParams.get('phase'),
		frozen: rulesFrozen(detail.round.phase),
		canManage: can(actor, 'rounds.manage', mId),
		canEvaluate: can(actor, 'proposals.evaluate', mId),
		created: event.url.searchParams.has('created'),
		cloned: event.url.searchParams.has('cloned')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const db = event.locals.db;
		return attemptMultipart(event, async (form) => {
			const { budgets } = roundDetail(db, actor.municipalityId, idParam(event.params.roundId));
			const input = parseRoundForm(
				form,
				zonesOffered(
					db,
					actor.municipalityId,
					budgets.map((b) => b.zoneId)
				).map((z) => z.id)
			);
			const file = formFile(form.get('ordinance'));
			const ordinance = file ? await preparePdf(file, 'ordinances') : null;
			updateRound(db, actor, actor.municipalityId, idParam(event.params.roundId), input, ordinance);
			return { saved: true };
		});
	},
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
