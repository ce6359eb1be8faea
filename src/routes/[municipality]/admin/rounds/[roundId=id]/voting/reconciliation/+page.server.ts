import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/http';
import { reconciliation } from '$lib/server/voting';
import { isUserError } from '$lib/domain/errors';
import { error } from '@sveltejs/kit';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.turnout');
	try {
		return { rows: reconciliation(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId)) };
	} catch (e) {
		if (isUserError(e)) error(e.status, event.locals.t(`errors.${e.code}`, e.params));
		throw e;
	}
};
