import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createMunicipality, municipalityCount } from '$lib/server/municipalities';
import { searchPlaces, findPlace } from '$lib/server/municipalities';
import { actorFor } from '$lib/server/accounts';
import { attempt, echo } from '$lib/server/http';
import { canInInstallation } from '$lib/server/platform/policy';

export const load: PageServerLoad = ({ locals, url }) => {
	const first = municipalityCount(locals.db) === 0;
	const actor = locals.user ? actorFor(locals.db, locals.user) : null;
	const allowed = first || canInInstallation(actor, 'municipalities.create');
	// Logged in without the installation role (a municipality's admin, say): a translated 403, not the form.
	if (!allowed && actor) error(403, locals.t('errors.setup.installationOnly'));
	const q = url.searchParams.get('q') ?? '';
	const chosen = findPlace(url.searchParams.get('ubigeo') ?? '') ?? null;
	return { first, allowed, q, places: searchPlaces(q), chosen };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const actor = locals.user ? actorFor(locals.db, locals.user) : null;
		const result = await attempt(
			() => createMunicipality(locals.db, actor, Object.fromEntries(form) as never),
			echo(form)
		);
		if ('slug' in result) redirect(303, `/${result.slug}/login?created=1`);
		return result;
	}
};
