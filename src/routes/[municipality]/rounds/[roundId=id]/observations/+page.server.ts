import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { attemptMultipart, orPageError } from '$lib/server/http';
import { UserError } from '$lib/domain/errors';
import { findRound } from '$lib/server/rounds';
import { roundExecution } from '$lib/server/execution';
import {
	canFileObservation,
	closeObservation,
	fileObservation,
	listCommittee,
	listObservations,
	storeAttachment
} from '$lib/server/execution';
import { formFile } from '$lib/server/platform/uploads';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, m.id, roundId));
	const db = event.locals.db;
	const actor = event.locals.actor;
	return {
		round: {
			id: round.id,
			fiscalYear: round.fiscalYear,
			title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs
		},
		committee: listCommittee(db, m.id, roundId).map(({ personId: _p, ...c }) => c),
		observations: listObservations(db, m.id, roundId).map(({ filedByUserId, ...o }) => ({
			...o,
			mine: actor?.userId === filedByUserId
		})),
		projects: roundExecution(db, m.id, roundId).projects.map((p) => ({
			executionId: p.executionId,
			label: `${event.locals.t('common.number', { n: p.seq })} ${p.title}`
		})),
		canFile: canFileObservation(db, actor, m.id, roundId),
		loggedIn: Boolean(actor)
	};
};

export const actions: Actions = {
	file: async (event) => {
		const m = requireMunicipality(event);
		if (!event.locals.actor) return fail(403, { error: { code: 'loginRequired', params: {} } });
		return attemptMultipart(event, async (form) => {
			// Permission first: a refused filer's attachment is never decoded, let alone written.
			if (!canFileObservation(event.locals.db, event.locals.actor, m.id, Number(event.params.roundId)))
				throw new UserError('forbidden', {}, 403);
			const f = formFile(form.get('attachment'));
			const attachment = f ? await storeAttachment(f) : null;
			const o = fileObservation(
				event.locals.db,
				event.locals.actor,
				m.id,
				Number(event.params.roundId),
				{ executionId: form.get('executionId'), text: form.get('text') },
				attachment
			);
			return { filed: o.seq };
		});
	},
	close: async (event) => {
		const m = requireMunicipality(event);
		return attemptMultipart(event, (form) => {
			closeObservation(
				event.locals.db,
				event.locals.actor,
				m.id,
				Number(event.params.roundId),
				Number(form.get('observationId'))
			);
			return { closed: true };
		});
	}
};
