import type { Actions, PageServerLoad } from './$types';
import { attempt, requireMunicipality } from '$lib/server/http';
import { checkReceipt, roundHeader } from '$lib/server/voting';
import { isUserError } from '$lib/domain/errors';
import { error } from '@sveltejs/kit';
import { readReceiptCookie } from '$lib/server/auth/cookies';

// Public: anyone holding a receipt code can see whether that ballot is counted or superseded — never its content.
// Right after voting (303 from the ballot), the voter's own receipt comes from a 30-minute HttpOnly cookie, so a
// reload or a language switch shows it again and never casts again.
export const csr = false;

export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	try {
		return {
			round: roundHeader(event.locals.db, m.id, Number(event.params.roundId), event.locals.locale),
			mine: readReceiptCookie(event.cookies, event.locals.user?.id)
		};
	} catch (e) {
		if (isUserError(e)) error(404, event.locals.t('errors.notFound'));
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const m = requireMunicipality(event);
		const form = await event.request.formData();
		// The code is not echoed back: a receipt page left open on a shared phone shows nothing.
		return attempt(() => ({
			status: checkReceipt(event.locals.db, m.id, Number(event.params.roundId), form.get('receipt'))
		}));
	}
};
