import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { grantRole, listStaff, revokeRole } from '$lib/server/roles';
import { ROLES } from '$lib/server/db/schema';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'roles.manage');
	return { staff: listStaff(event.locals.db, actor, actor.municipalityId), allRoles: [...ROLES] };
};

export const actions: Actions = {
	grant: async (event) => {
		const actor = requireActor(event, 'roles.manage');
		const form = await event.request.formData();
		return attempt(() => {
			grantRole(event.locals.db, actor, actor.municipalityId, form.get('identifier'), form.get('role'));
			return { granted: true };
		}, echo(form));
	},
	revoke: async (event) => {
		const actor = requireActor(event, 'roles.manage');
		const form = await event.request.formData();
		return attempt(() => {
			revokeRole(event.locals.db, actor, actor.municipalityId, Number(form.get('userId')), form.get('role'));
			return { revoked: true };
		});
	}
};
