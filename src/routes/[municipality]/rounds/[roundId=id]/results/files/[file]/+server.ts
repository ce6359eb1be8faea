import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { proposalsCsv, proposalsJson, publishedInput, publishedResult, resultsCsv } from '$lib/server/results';

/** Open data of a published result: no login, CC BY 4.0, no personal data. */
export const GET: RequestHandler = ({ locals, params }) => {
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	const roundId = Number(params.roundId);
	const published = publishedResult(locals.db, m.id, roundId);
	if (!published) error(404, locals.t('results.notYet'));
	const file = params.file;
	const send = (body: string, type: string) =>
		new Response(body, {
			headers: {
				'content-type': `${type}; charset=utf-8`,
				'content-disposition': `attachment; filename="${file}"`,
				'x-licence': 'CC BY 4.0'
			}
		});
	if (file === 'results.json') {
		const s = published.snapshot;
		return send(
			JSON.stringify(
				{
					licence: 'CC BY 4.0',
					municipality: { ubigeo: m.ubigeo, name: m.name },
					version: s.version,
					engineVersion: s.engineVersion,
					inputHash: s.inputHash,
					publishedAt: new Date(s.publishedAt!).toISOString(),
					...s.parsed
				},
				null,
				1
			),
			'application/json'
		);
	}
	if (file === 'results.csv') return send(resultsCsv(published.snapshot), 'text/csv');
	if (file === 'proposals.csv') return send(proposalsCsv(locals.db, m.id, roundId), 'text/csv');
	if (file === 'proposals.json') return send(proposalsJson(locals.db, m, roundId), 'application/json');
	const input = publishedInput(locals.db, m.id, roundId, file);
	if (!input) error(404, locals.t('errors.notFound'));
	return send(input.pb, 'text/plain');
};
