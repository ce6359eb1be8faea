import { error, type RequestHandler } from '@sveltejs/kit';
import { requireMunicipality } from '$lib/server/http';
import { readReceiptCookie } from '$lib/server/auth/cookies';
import { roundHeader } from '$lib/server/voting';
import { isUserError } from '$lib/domain/errors';

/** The voter's receipt as a small text file, from the same 30-minute cookie as the receipt page; never stored. */
export const GET: RequestHandler = (event) => {
	const m = requireMunicipality(event);
	const t = event.locals.t;
	const mine = readReceiptCookie(event.cookies, event.locals.user?.id);
	if (!mine) error(404, t('errors.receiptGone'));
	let title: string;
	try {
		title = roundHeader(event.locals.db, m.id, Number(event.params.roundId), event.locals.locale).title;
	} catch (e) {
		if (isUserError(e)) error(404, t('errors.notFound'));
		throw e;
	}
	const checkUrl = `${event.url.origin}/${m.slug}/rounds/${event.params.roundId}/receipt`;
	const text = `${t('vote.receiptFileTitle')}\n${title}\n${t('vote.receiptCode')}: ${mine.code}\n${t('vote.receiptFileCheck')}: ${checkUrl}\n`;
	return new Response(text, {
		headers: {
			'content-type': 'text/plain; charset=utf-8',
			'content-disposition': 'attachment; filename="recibo-minka.txt"',
			'cache-control': 'no-store'
		}
	});
};
