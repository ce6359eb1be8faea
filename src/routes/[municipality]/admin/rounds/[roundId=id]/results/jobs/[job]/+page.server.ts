import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/http';
import { computeJob } from '$lib/server/results';

/**
 * A compute's progress (the worker reports budget i of n and MES passes). Without JavaScript the page refreshes
 * itself; with it, it reloads this data every second. Once done it sends the official back to the results page.
 */
export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'results.compute');
	const roundId = Number(event.params.roundId);
	const job = computeJob(actor.municipalityId, event.params.job);
	const results = `/${event.params.municipality}/admin/rounds/${roundId}/results`;
	if (job && job.roundId === roundId && job.state === 'done') redirect(303, `${results}?computed=${job.version}`);
	return {
		results,
		job:
			job && job.roundId === roundId
				? {
						state: job.state,
						budget: job.budget,
						budgets: job.budgets,
						passes: job.passes,
						seconds: Math.round(((job.finishedAt ?? Date.now()) - job.startedAt) / 1000),
						error: job.error
					}
				: null
	};
};
