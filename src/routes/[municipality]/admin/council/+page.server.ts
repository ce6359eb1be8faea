import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { addMember, correctMember, rollOverview } from '$lib/server/council';
import { COUNCIL_ROLES } from '$lib/domain/council';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'council.manage');
	return { roll: rollOverview(event.locals.db, actor.municipalityId), roleOptions: COUNCIL_ROLES };
};

export const actions: Actions = {
	add: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				addMember(event.locals.db, actor, actor.municipalityId, {
					fullName: form.get('fullName'),
					role: form.get('role'),
					organisation: form.get('organisation'),
					termStart: form.get('termStart'),
					termEnd: form.get('termEnd'),
					replacesMemberId: form.get('replacesMemberId'),
					reason: form.get('reason'),
					gender: form.get('gender')
				}),
			echo(form)
		);
		return 'id' in result ? { added: result.fullName } : result;
	},
	correctMember: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		return attempt(() => {
			correctMember(event.locals.db, actor, actor.municipalityId, Number(form.get('memberId')), {
				fullName: form.get('fullName'),
				organisation: form.get('organisation'),
				termStart: form.get('termStart'),
				termEnd: form.get('termEnd'),
				reason: form.get('reason')
			});
			return { corrected: true };
		}, echo(form));
	}
};
