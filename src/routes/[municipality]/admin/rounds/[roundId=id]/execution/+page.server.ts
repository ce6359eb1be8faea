import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { fundReserve, roundExecution, saveExecutionSettings, startTracking } from '$lib/server/execution';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'execution.manage');
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, actor.municipalityId, roundId));
	const x = roundExecution(event.locals.db, actor.municipalityId, roundId);
	const tracked = new Set(x.projects.filter((p) => p.origin === 'result').map((p) => p.proposalId));
	return {
		round: { id: round.id, title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs },
		execution: x,
		untracked: x.selected.filter((s) => !tracked.has(s.proposalId)).length
	};
};

export const actions: Actions = {
	start: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		return attempt(() => ({
			started: startTracking(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId))
		}));
	},
	settings: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		return attempt(() => {
			saveExecutionSettings(event.locals.db, actor, actor.municipalityId, {
				staleMonths: form.get('staleMonths'),
				responseDays: form.get('responseDays')
			});
			return { settingsSaved: true };
		}, echo(form));
	},
	reserve: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		return attempt(() => {
			fundReserve(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId), {
				reserveProposalId: form.get('reserveProposalId'),
				replacesProposalId: form.get('replacesProposalId'),
				reason: form.get('reason')
			});
			return { reserveFunded: true };
		}, echo(form));
	}
};
