import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { createEmailReset, resetPassword } from '$lib/server/accounts';
import { sendMail } from '$lib/server/platform/mail';
import { attempt, requireMunicipality } from '$lib/server/http';

export const load: PageServerLoad = (event) => {
	requireMunicipality(event);
	return { code: event.url.searchParams.get('code') ?? '' };
};

export const actions: Actions = {
	email: async (event) => {
		const m = requireMunicipality(event);
		const form = await event.request.formData();
		const t = event.locals.t;
		const result = await attempt(async () => {
			const reset = createEmailReset(event.locals.db, m.id, form.get('email'), event.getClientAddress());
			if (reset) {
				const link = `${event.url.origin}/${m.slug}/reset?code=${encodeURIComponent(reset.code)}`;
				await sendMail({
					to: reset.email,
					subject: t('reset.mailSubject', { municipality: m.name }),
					text: t('reset.mailBody', { code: reset.code, link })
				});
			}
			return { sent: true };
		});
		return result;
	},
	code: async (event) => {
		const m = requireMunicipality(event);
		const form = await event.request.formData();
		const result = await attempt(() =>
			resetPassword(event.locals.db, m.id, form.get('code'), form.get('password'), form.get('passwordConfirm'))
		);
		if (result && typeof result === 'object' && 'status' in result) return result;
		redirect(303, `/${m.slug}/login?reset=1`);
	}
};
