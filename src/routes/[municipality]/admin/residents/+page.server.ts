import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { listResidents, lookUpDni, mergeAccounts, moveVerification, verifyInPerson } from '$lib/server/residents';
import { issueOfficeResetCode } from '$lib/server/accounts';
import { listActiveZones } from '$lib/server/municipalities';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'residents.view');
	const q = event.url.searchParams.get('q') ?? '';
	const page = Number(event.url.searchParams.get('page')) || 1;
	return {
		q,
		list: listResidents(event.locals.db, actor, actor.municipalityId, { q, page }),
		zones: listActiveZones(event.locals.db, actor.municipalityId).map((z) => ({ id: z.id, name: z.name }))
	};
};

export const actions: Actions = {
	lookup: async (event) => {
		const actor = requireActor(event, 'residents.verify');
		const form = await event.request.formData();
		return attempt(
			() => ({
				lookup: lookUpDni(event.locals.db, actor, actor.municipalityId, form.get('dni')),
				dni: String(form.get('dni'))
			}),
			echo(form)
		);
	},
	verify: async (event) => {
		const actor = requireActor(event, 'residents.verify');
		const form = await event.request.formData();
		return attempt(() => {
			verifyInPerson(event.locals.db, actor, actor.municipalityId, form.get('dni'), form.get('zoneId'));
			return { done: 'verified' };
		});
	},
	move: async (event) => {
		const actor = requireActor(event, 'residents.moveVerification');
		const form = await event.request.formData();
		return attempt(() => {
			moveVerification(
				event.locals.db,
				actor,
				actor.municipalityId,
				form.get('dni'),
				form.get('toPersonId'),
				form.get('zoneId')
			);
			return { done: 'moved' };
		});
	},
	merge: async (event) => {
		const actor = requireActor(event, 'residents.moveVerification');
		const form = await event.request.formData();
		return attempt(() => {
			mergeAccounts(
				event.locals.db,
				actor,
				actor.municipalityId,
				form.get('dni'),
				form.get('keepPersonId'),
				form.get('zoneId')
			);
			return { done: 'merged' };
		});
	},
	resetCode: async (event) => {
		const actor = requireActor(event, 'residents.issueResetCode');
		const form = await event.request.formData();
		return attempt(() => ({
			resetCode: issueOfficeResetCode(event.locals.db, actor, actor.municipalityId, form.get('dni'))
		}));
	}
};
