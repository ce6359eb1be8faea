import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { signUpResident } from '$lib/server/accounts';
import { createSession, generateSessionToken } from '$lib/server/auth/session';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { attempt, echo, requireMunicipality } from '$lib/server/http';

export const load: PageServerLoad = (event) => {
	requireMunicipality(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const m = requireMunicipality(event);
		const form = await event.request.formData();
		const f = Object.fromEntries(form);
		const result = await attempt(
			() =>
				signUpResident(event.locals.db, m.id, { ...f, locale: event.locals.locale } as never, event.getClientAddress()),
			echo(form)
		);
		if (!('userId' in result)) return result;
		// Log the new resident in straight away.
		const token = generateSessionToken();
		const session = createSession(event.locals.db, token, result.userId);
		setSessionCookie(event.cookies, token, session.expiresAt);
		redirect(
			303,
			`/${m.slug}/account?welcome=${result.verified ? 'verified' : result.office ? 'office' : result.dniClaimPending ? 'claim' : 'unverified'}`
		);
	}
};
