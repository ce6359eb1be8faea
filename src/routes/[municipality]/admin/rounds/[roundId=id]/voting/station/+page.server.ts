import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, requireActor, orPageError } from '$lib/server/http';
import {
	castAssisted,
	listStations,
	lookUpRoll,
	markForPaper,
	readBallotForm,
	registerFromCensus,
	rollView,
	voidWebBallot
} from '$lib/server/voting';
import { isUserError } from '$lib/domain/errors';
import { fail } from '@sveltejs/kit';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'voting.station');
	return orPageError(event, () => {
		const stations = listStations(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId));
		const id = Number(event.url.searchParams.get('station'));
		return { stations, station: stations.find((s) => s.id === id) ?? null };
	});
};

const ids = (event: RequestEvent) => ({
	roundId: Number(event.params.roundId),
	stationId: Number(event.url.searchParams.get('station'))
});

export const actions: Actions = {
	lookup: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const dni = String(form.get('dni') ?? '');
		const birthDate = String(form.get('birthDate') ?? '');
		const { roundId, stationId } = ids(event);
		return attempt(
			() => ({
				dni,
				birthDate,
				lookup: lookUpRoll(
					event.locals.db,
					actor,
					actor.municipalityId,
					roundId,
					stationId,
					dni,
					birthDate,
					event.locals.locale
				)
			}),
			{ dni, birthDate }
		);
	},
	register: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const dni = String(form.get('dni') ?? '');
		const birthDate = String(form.get('birthDate') ?? '');
		const { roundId, stationId } = ids(event);
		return attempt(
			() => {
				registerFromCensus(
					event.locals.db,
					actor,
					actor.municipalityId,
					roundId,
					stationId,
					dni,
					form.get('fullName'),
					birthDate
				);
				return {
					dni,
					birthDate,
					lookup: rollView(event.locals.db, actor, actor.municipalityId, roundId, dni, event.locals.locale)
				};
			},
			{ dni, birthDate }
		);
	},
	mark: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const { roundId, stationId } = ids(event);
		return attempt(() => ({
			marked: markForPaper(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundId,
				stationId,
				form.get('dni'),
				String(form.get('birthDate') ?? '')
			)
		}));
	},
	void: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const { roundId, stationId } = ids(event);
		const dni = String(form.get('dni') ?? '');
		const birthDate = String(form.get('birthDate') ?? '');
		return attempt(
			() => {
				voidWebBallot(
					event.locals.db,
					actor,
					actor.municipalityId,
					roundId,
					stationId,
					dni,
					form.get('reason'),
					birthDate
				);
				// The person is now unvoted on the roll: show them again, so the official can hand a paper or assist.
				return {
					voided: true,
					dni,
					birthDate,
					lookup: rollView(event.locals.db, actor, actor.municipalityId, roundId, dni, event.locals.locale)
				};
			},
			{ dni, birthDate }
		);
	},
	assisted: async (event) => {
		const actor = requireActor(event, 'voting.station');
		const form = await event.request.formData();
		const { roundId, stationId } = ids(event);
		const entries = [...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string');
		const get = (n: string) => entries.filter(([k]) => k === n).map(([, v]) => v);
		const dni = String(form.get('dni') ?? '');
		const birthDate = String(form.get('birthDate') ?? '');
		try {
			return {
				assisted: castAssisted(
					event.locals.db,
					actor,
					actor.municipalityId,
					roundId,
					stationId,
					dni,
					(paper) => readBallotForm(paper, get),
					event.locals.locale,
					birthDate
				)
			};
		} catch (e) {
			if (!isUserError(e)) throw e;
			// Keep the voter on screen so the official can correct the choices.
			let lookup = null;
			try {
				lookup = rollView(event.locals.db, actor, actor.municipalityId, roundId, dni, event.locals.locale);
			} catch (again) {
				if (!isUserError(again)) throw again;
			}
			return fail(e.status, { error: { code: e.code, params: e.params }, dni, birthDate, lookup, values: { dni } });
		}
	}
};
