import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { attempt, orPageError, requireActor } from '$lib/server/http';
import {
	computeBlocksFor,
	listSnapshots,
	localTitles,
	settledJob,
	startComputeJob,
	publishResults,
	stationUnblocks,
	unblockStation
} from '$lib/server/results';
import { findRound } from '$lib/server/rounds';

/** How long the compute request waits for the worker before sending the official to the progress page. */
const SETTLE_MS = 1500;

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'results.compute');
	const roundId = Number(event.params.roundId);
	const db = event.locals.db;
	const round = orPageError(event, () => findRound(db, actor.municipalityId, roundId));
	const snapshots = listSnapshots(db, actor.municipalityId, roundId);
	const titles = localTitles(db, actor.municipalityId, roundId, event.locals.locale);
	const computed = Number(event.url.searchParams.get('computed'));
	return {
		/** the version the progress page reported computed (it redirects here with ?computed=N) */
		computed: Number.isSafeInteger(computed) && computed > 0 ? computed : null,
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
				rows: i === 0 && !s.publishedAt ? b.rows.map((r) => ({ ...r, title: titles.get(r.proposalId) ?? r.title })) : []
			})),
			lateBatches: s.parsed.lateBatches ?? [],
			lateAfterVersion: s.parsed.lateAfterVersion ?? null,
			scoreFrom: s.parsed.scoreFrom,
			ballotType: s.parsed.ballotType
		}))
	};
};

export const actions: Actions = {
	// Computing runs in a worker thread: a quick count answers here; a long one goes to its progress page.
	compute: async (event) => {
		const actor = requireActor(event, 'results.compute');
		const form = await event.request.formData();
		const started = await attempt(() => ({
			job: startComputeJob(event.locals.db, actor, actor.municipalityId, Number(event.params.roundId), {
				confirmZeroBallots: form.get('confirmZeroBallots') === '1'
			})
		}));
		if (!('job' in started)) return started;
		const job = await settledJob(started.job, SETTLE_MS);
		if (job.state === 'done') return { computed: job.version! };
		if (job.state === 'failed') return fail(409, { error: job.error! });
		redirect(303, `${event.url.pathname}/jobs/${job.id}`);
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
