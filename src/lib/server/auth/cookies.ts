import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

export const LOCALE_COOKIE = 'minka_lang';

/** Secure only when served over HTTPS in production, so http://localhost keeps working. */
const secure = () => process.env.NODE_ENV === 'production' && !(process.env.ORIGIN ?? '').startsWith('http://');

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: number) {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(),
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function deleteSessionCookie(cookies: Cookies) {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

export function setLocaleCookie(cookies: Cookies, locale: string) {
	cookies.set(LOCALE_COOKIE, locale, {
		httpOnly: false,
		sameSite: 'lax',
		secure: secure(),
		path: '/',
		maxAge: 365 * 24 * 3600
	});
}
