import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { agentRegisterForOfficials, parseAgentForm, registerAgent, withdrawAgent } from '$lib/server/agents';
import { findRound } from '$lib/server/rounds';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { formFile, preparePdf } from '$lib/server/platform/uploads';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'agents.manage');
	const mId = event.locals.municipality!.id;
	const round = orPageError(event, () => findRound(event.locals.db, mId, idParam(event.params.roundId)));
	return { round, agents: agentRegisterForOfficials(event.locals.db, actor, mId, round.id) };
};

export const actions: Actions = {
	register: async (event) => {
		const actor = requireActor(event, 'agents.manage');
		return attemptMultipart(event, async (form) => {
			const input = parseAgentForm(form);
			const file = formFile(form.get('accreditation'));
			const doc = file ? await preparePdf(file, 'accreditations') : null;
			registerAgent(event.locals.db, actor, actor.municipalityId, idParam(event.params.roundId), input, doc);
			return { registered: input.fullName };
		});
	},
	withdraw: async (event) => {
		const actor = requireActor(event, 'agents.manage');
		const form = await event.request.formData();
		return attempt(() => {
			withdrawAgent(
				event.locals.db,
				actor,
				actor.municipalityId,
				idParam(event.params.roundId),
				Number(form.get('agentId'))
			);
			return { withdrawn: true };
		});
	}
};
