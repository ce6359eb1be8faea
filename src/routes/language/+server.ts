import { redirect, type RequestHandler } from '@sveltejs/kit';
import { isLocale } from '$lib/domain/locale';
import { sameSitePath } from '$lib/domain/paths';
import { setLocaleCookie } from '$lib/server/auth/cookies';
import { setUserLocale } from '$lib/server/accounts';

/** The language switcher posts here (a plain form, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	if (isLocale(locale)) {
		setLocaleCookie(cookies, locale);
		if (locals.user) setUserLocale(locals.db, locals.user.id, locale);
	}
	// Only same-site paths, never an open redirect.
	redirect(303, sameSitePath(form.get('redirectTo')));
};
