import type { LayoutServerLoad } from './$types';
import { requireActor } from '$lib/server/http';

export const load: LayoutServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	return { roles: [...actor.roles] };
};
