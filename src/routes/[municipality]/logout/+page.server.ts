import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/auth/cookies';

export const load: PageServerLoad = ({ params }) => redirect(303, `/${params.municipality}`);

export const actions: Actions = {
	default: ({ locals, cookies, params }) => {
		if (locals.sessionId) invalidateSession(locals.db, locals.sessionId);
		deleteSessionCookie(cookies);
		redirect(303, `/${params.municipality}`);
	}
};
