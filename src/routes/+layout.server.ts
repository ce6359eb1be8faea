import type { LayoutServerLoad } from './$types';
import { userProfile } from '$lib/server/accounts';

export const load: LayoutServerLoad = ({ locals }) => {
	const m = locals.municipality;
	const profile = locals.user ? userProfile(locals.db, locals.user.id) : null;
	return {
		locale: locals.locale,
		municipality: m ? { id: m.id, slug: m.slug, name: m.name, ubigeo: m.ubigeo, kind: m.kind } : null,
		me: profile
			? {
					fullName: profile.fullName,
					verified: Boolean(profile.verifiedAt),
					municipalityId: locals.user!.municipalityId,
					roles: locals.actor ? [...locals.actor.roles] : []
				}
			: null
	};
};
