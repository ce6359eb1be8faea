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

/**
 * The receipt of a web vote, carried from the casting POST to the receipt page (303) in the voter's own browser only:
 * HttpOnly, SameSite=Strict, scoped to the round's paths and gone after 30 minutes. It is never written to the
 * database or the session row, which would link an account to a receipt and so to a ballot. It names the account
 * that voted, so a phone handed to someone else (who logs in) never shows it.
 */
const RECEIPT_COOKIE = 'minka_receipt';
export const RECEIPT_COOKIE_SECONDS = 30 * 60;
const receiptPath = (slug: string, roundId: number) => `/${slug}/rounds/${roundId}`;

export function setReceiptCookie(
	cookies: Cookies,
	slug: string,
	roundId: number,
	receipt: { userId: number; code: string; replaced: boolean }
) {
	cookies.set(RECEIPT_COOKIE, `${receipt.userId}.${receipt.code}.${receipt.replaced ? 1 : 0}`, {
		httpOnly: true,
		sameSite: 'strict',
		secure: secure(),
		path: receiptPath(slug, roundId),
		maxAge: RECEIPT_COOKIE_SECONDS
	});
}

/** The receipt this browser holds for the round, if the logged-in account is the one that voted. */
export function readReceiptCookie(
	cookies: Cookies,
	userId: number | null | undefined
): { code: string; replaced: boolean } | null {
	const m = /^(\d+)\.([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})\.([01])$/.exec(cookies.get(RECEIPT_COOKIE) ?? '');
	if (!m || userId == null || Number(m[1]) !== userId) return null;
	return { code: m[2], replaced: m[3] === '1' };
}
