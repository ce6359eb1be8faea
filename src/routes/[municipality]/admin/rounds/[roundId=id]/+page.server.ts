import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { allowedTargets, changePhase, parseRoundForm, phaseFacts, roundDetail, updateRound } from '$lib/server/rounds';
import { checkTransition } from '$lib/domain/phases';
import { rulesFrozen } from '$lib/domain/phases';
import { listZones } from '$lib/server/municipalities';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { formFile, storePdf } from '$lib/server/platform/uploads';
import { can } from '$lib/server/platform/policy';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const detail = orPageError(event, () => roundDetail(db, mId, idParam(event.params.roundId)));
	const facts = phaseFacts(db, detail.round);
	const targets = allowedTargets(detail.round.phase).map((to) => ({
		to,
		check: checkTransition(detail.round.phase, to, facts)
	}));
	return {
		...detail,
		zones: listZones(db, mId),
		targets,
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
			const input = parseRoundForm(
				form,
				listZones(db, actor.municipalityId).map((z) => z.id)
			);
			const file = formFile(form.get('ordinance'));
			const ordinance = file ? await storePdf(file, 'ordinances') : null;
			updateRound(db, actor, actor.municipalityId, idParam(event.params.roundId), input, ordinance);
			return { saved: true };
		});
	},
	phase: async (event) => {
		const actor = requireActor(event, 'rounds.phase');
		const form = await event.request.formData();
		return attempt(() => {
			const r = changePhase(
				event.locals.db,
				actor,
				actor.municipalityId,
				idParam(event.params.roundId),
				String(form.get('to') ?? '')
			);
			return { phaseChanged: r.phase };
		});
	}
};
