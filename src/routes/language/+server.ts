import { redirect, type RequestHandler } from '@sveltejs/kit';
import { isLocale } from '$lib/domain/locale';
import { setLocaleCookie } from '$lib/server/auth/cookies';
import { setUserLocale } from '$lib/server/accounts';

/** The language switcher posts here (a plain form, so it works without JavaScript). */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	const back = String(form.get('redirectTo') ?? '/');
	if (isLocale(locale)) {
		setLocaleCookie(cookies, locale);
		if (locals.user) setUserLocale(locals.db, locals.user.id, locale);
	}
	// Only same-site paths, never an open redirect.
	redirect(303, back.startsWith('/') && !back.startsWith('//') ? back : '/');
};
