import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor } from '$lib/server/http';
import { checkInAgent, checkinLookup } from '$lib/server/workshops';
import { limaToday } from '$lib/domain/clock';
import { isUserError } from '$lib/domain/errors';

/** Opened by an official's phone scanning an agent's QR code: shows who it is; checking in is a POST (one tap). */
export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'workshops.manage');
	try {
		return checkinLookup(event.locals.db, actor, actor.municipalityId, event.params.code, limaToday());
	} catch (e) {
		if (isUserError(e)) error(e.status === 400 ? 404 : e.status, event.locals.t(`errors.${e.code}`, e.params));
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event, 'workshops.manage');
		const form = await event.request.formData();
		let agentId: number;
		try {
			agentId = checkinLookup(event.locals.db, actor, actor.municipalityId, event.params.code, limaToday()).agent.id;
		} catch (e) {
			if (isUserError(e)) return fail(e.status, { error: { code: e.code, params: e.params } });
			throw e;
		}
		const r = await attempt(() =>
			checkInAgent(event.locals.db, actor, actor.municipalityId, Number(form.get('workshopId')), agentId, 'qr')
		);
		return 'name' in r ? { checkedIn: r.name, already: r.already } : r;
	}
};
