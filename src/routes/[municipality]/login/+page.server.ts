import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { logIn } from '$lib/server/accounts';
import { sameSitePath } from '$lib/domain/paths';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { attempt, echo, requireMunicipality } from '$lib/server/http';

function safeNext(next: string | null, slug: string) {
	const path = sameSitePath(next, `/${slug}`);
	return path === `/${slug}` || path.startsWith(`/${slug}/`) || path.startsWith(`/${slug}?`) ? path : `/${slug}`;
}

export const load: PageServerLoad = (event) => {
	requireMunicipality(event);
	return { created: event.url.searchParams.has('created'), reset: event.url.searchParams.has('reset') };
};

export const actions: Actions = {
	default: async (event) => {
		const m = requireMunicipality(event);
		const form = await event.request.formData();
		const result = await attempt(
			() => logIn(event.locals.db, m.id, form.get('identifier'), form.get('password'), event.getClientAddress()),
			echo(form)
		);
		if (!('token' in result)) return result;
		setSessionCookie(event.cookies, result.token, result.expiresAt);
		redirect(303, safeNext(event.url.searchParams.get('next'), m.slug));
	}
};
