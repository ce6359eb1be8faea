import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, idParam, orPageError, requireActor } from '$lib/server/http';
import { allowedTargets, confirmPhaseChange, phaseChangeChecklist, roundDetail } from '$lib/server/rounds';
import { isBlocked, phaseEffects } from '$lib/domain/readiness';
import { PHASES, type Phase } from '$lib/domain/round-rules';

// The confirmation of a phase change: what it freezes or opens, and what is still missing. A plain form (no JS).
export const load: PageServerLoad = (event) => {
	requireActor(event, 'rounds.phase');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const detail = orPageError(event, () => roundDetail(db, mId, idParam(event.params.roundId)));
	const to = event.params.to as Phase;
	if (!PHASES.includes(to) || !allowedTargets(detail.round.phase).includes(to))
		error(404, event.locals.t('errors.phase.notAllowed'));
	const items = phaseChangeChecklist(db, detail.round, to);
	return {
		round: detail.round,
		timetable: detail.timetable,
		to,
		items,
		blocked: isBlocked(items),
		effects: phaseEffects(detail.round.phase, to)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'rounds.phase');
		const roundId = idParam(event.params.roundId);
		const r = await attempt(() =>
			confirmPhaseChange(event.locals.db, actor, actor.municipalityId, roundId, event.params.to)
		);
		if ('phase' in r) redirect(303, `/${event.locals.municipality!.slug}/admin/rounds/${roundId}?phase=${r.phase}`);
		return r;
	}
};
