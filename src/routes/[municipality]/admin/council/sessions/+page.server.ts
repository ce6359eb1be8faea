import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { createSession, getCouncilSettings, listSessions } from '$lib/server/council';
import { limaToday } from '$lib/domain/clock';
import { NOTICE_CHANNELS, SESSION_KINDS } from '$lib/domain/council';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'council.manage');
	const db = event.locals.db;
	return {
		sessions: listSessions(db, actor.municipalityId),
		settings: getCouncilSettings(db, actor.municipalityId),
		kinds: SESSION_KINDS,
		channels: NOTICE_CHANNELS,
		today: limaToday()
	};
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				createSession(event.locals.db, actor, actor.municipalityId, {
					kind: form.get('kind'),
					date: form.get('date'),
					place: form.get('place'),
					firstCallAt: form.get('firstCallAt'),
					noticeSentOn: form.get('noticeSentOn'),
					noticeChannel: form.get('noticeChannel'),
					agenda: form.get('agenda')
				}),
			echo(form)
		);
		if ('id' in result) redirect(303, `/${event.params.municipality}/admin/council/sessions/${result.id}?created=1`);
		return result;
	}
};
