import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { localTitles, publishedResult, withLocalTitles } from '$lib/server/results';
import { anchorOf } from '$lib/server/platform/audit';
import { findRound } from '$lib/server/rounds';
import { isUserError } from '$lib/domain/errors';

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const roundId = Number(event.params.roundId);
	let round;
	try {
		round = findRound(event.locals.db, m.id, roundId);
	} catch (e) {
		if (isUserError(e)) error(404, event.locals.t('errors.notFound'));
		throw e;
	}
	const published = publishedResult(event.locals.db, m.id, roundId);
	return {
		round: {
			id: round.id,
			fiscalYear: round.fiscalYear,
			title: event.locals.locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs
		},
		published: published
			? {
					...published.snapshot.parsed,
					budgets: withLocalTitles(
						published.snapshot.parsed.budgets,
						localTitles(event.locals.db, m.id, roundId, event.locals.locale)
					),
					version: published.snapshot.version,
					versions: published.versions,
					publishedAt: published.snapshot.publishedAt,
					engineVersion: published.snapshot.engineVersion,
					inputHash: published.snapshot.inputHash,
					anchor: anchorOf(event.locals.db, m.id, {
						type: 'results.published',
						roundId,
						version: published.snapshot.version
					})
				}
			: null
	};
};
