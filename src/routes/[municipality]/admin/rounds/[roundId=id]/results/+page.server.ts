import type { Actions, PageServerLoad } from './$types';
import { attempt, orPageError, requireActor } from '$lib/server/http';
import {
	computeBlocksFor,
	computeResults,
	listSnapshots,
	publishResults,
	stationUnblocks,
	unblockStation
} from '$lib/server/results';
import { findRound } from '$lib/server/rounds';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'results.compute');
	const roundId = Number(event.params.roundId);
	const db = event.locals.db;
	const round = orPageError(event, () => findRound(db, actor.municipalityId, roundId));
	const snapshots = listSnapshots(db, actor.municipalityId, roundId);
	return {
		round: {
			id: round.id,
			title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs,
			phase: round.phase,
			fiscalYear: round.fiscalYear
		},
		blocks: computeBlocksFor(db, actor, actor.municipalityId, roundId),
		unblocks: stationUnblocks(db, actor.municipalityId, roundId),
		snapshots: snapshots.map((s, i) => ({
			version: s.version,
			computedAt: s.computedAt,
			publishedAt: s.publishedAt,
			allocation: s.parsed.allocation,
			decision: (s.parsed.decision as { rule: string }).rule,
			inputHash: s.inputHash,
			budgets: s.parsed.budgets.map((b) => ({
				zoneName: b.zoneName,
				fileName: b.fileName,
				selected: b.rows.filter((r) => r.selected).length,
				totalCents: b.totalCents,
				budgetCents: b.budgetCents,
				// the ranked preview of the latest unpublished version
				rows: i === 0 && !s.publishedAt ? b.rows : []
			})),
			scoreFrom: s.parsed.scoreFrom,
			ballotType: s.parsed.ballotType
		}))
	};
};

export const actions: Actions = {
	compute: async (event) => {
		const actor = requireActor(event, 'results.compute');
		const form = await event.request.formData();
		return attempt(() => ({
			computed: computeResults(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId), {
				confirmZeroBallots: form.get('confirmZeroBallots') === '1'
			}).version
		}));
	},
	unblock: async (event) => {
		const actor = requireActor(event, 'results.compute');
		const form = await event.request.formData();
		return attempt(() => {
			unblockStation(
				event.locals.db,
				actor,
				actor.municipalityId,
				Number(event.params.roundId),
				Number(form.get('stationId')),
				String(form.get('reason') ?? '')
			);
			return { unblocked: true };
		});
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
				Number(form.get('version')),
				{ confirmed: form.get('confirm') === 'on' }
			);
			return { published: Number(form.get('version')) };
		});
	}
};
