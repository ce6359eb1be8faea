import type { Actions, PageServerLoad } from './$types';
import { attempt, orPageError, requireActor } from '$lib/server/http';
import { computeResults, listSnapshots, publishResults } from '$lib/server/results';
import { findRound } from '$lib/server/rounds';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'results.compute');
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, actor.municipalityId, roundId));
	return {
		round: {
			id: round.id,
			title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs,
			phase: round.phase,
			fiscalYear: round.fiscalYear
		},
		snapshots: listSnapshots(event.locals.db, actor.municipalityId, roundId).map((s) => ({
			version: s.version,
			computedAt: s.computedAt,
			publishedAt: s.publishedAt,
			rule: s.rule,
			inputHash: s.inputHash,
			budgets: s.parsed.budgets.map((b) => ({
				zoneName: b.zoneName,
				selected: b.rows.filter((r) => r.selected).length,
				totalCents: b.totalCents,
				budgetCents: b.budgetCents
			}))
		}))
	};
};

export const actions: Actions = {
	compute: async (event) => {
		const actor = requireActor(event, 'results.compute');
		return attempt(() => ({
			computed: computeResults(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId)).version
		}));
	},
	publish: async (event) => {
		const actor = requireActor(event, 'results.publish');
		const form = await event.request.formData();
		return attempt(() => {
			publishResults(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.roundId),
				Number(form.get('version'))
			);
			return { published: Number(form.get('version')) };
		});
	}
};
