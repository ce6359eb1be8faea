import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { myData } from '$lib/server/accounts';

export const GET: RequestHandler = ({ locals }) => {
	if (!locals.actor) error(403, locals.t('errors.loginRequired'));
	return new Response(JSON.stringify(myData(locals.db, locals.actor), null, 1), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': 'attachment; filename="mis-datos-minka.json"',
			'cache-control': 'no-store'
		}
	});
};
