import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { deleteMyAccount } from '$lib/server/accounts';
import { deleteSessionCookie } from '$lib/server/auth/cookies';
import { changePassword, userProfile } from '$lib/server/accounts';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { attempt, handoverNotice, requireActor } from '$lib/server/http';
import { listZones } from '$lib/server/municipalities';

const WELCOMES = ['verified', 'unverified', 'claim', 'office'] as const;

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'account.self');
	const profile = userProfile(event.locals.db, actor.userId)!;
	const zone = listZones(event.locals.db, actor.municipalityId).find((z) => z.id === profile.zoneId);
	return {
		welcome: WELCOMES.find((w) => w === event.url.searchParams.get('welcome')) ?? null,
		handover: handoverNotice(event.url),
		profile: {
			fullName: profile.fullName,
			email: profile.email,
			verifiedAt: profile.verifiedAt,
			verifiedMethod: profile.verifiedMethod,
			zoneName: zone?.name ?? null,
			claimPending: Boolean(profile.dniClaimPending)
		}
	};
};

export const actions: Actions = {
	password: async (event) => {
		const actor = requireActor(event, 'account.self');
		const form = await event.request.formData();
		const result = await attempt(() =>
			changePassword(event.locals.db, actor, form.get('current'), form.get('password'), form.get('passwordConfirm'))
		);
		if (!('token' in result)) return result;
		setSessionCookie(event.cookies, result.token, result.expiresAt);
		return { passwordChanged: true };
	},
	deleteAccount: async (event) => {
		const actor = requireActor(event, 'account.self');
		const form = await event.request.formData();
		if (form.get('confirm') !== 'on')
			return fail(400, { error: { code: 'account.confirmDelete', params: {} }, section: 'delete' });
		const result = await attempt(() => deleteMyAccount(event.locals.db, actor, form.get('password')));
		if (result && typeof result === 'object' && 'status' in result)
			return fail(result.status, { ...result.data, section: 'delete' });
		deleteSessionCookie(event.cookies);
		redirect(303, `/${event.params.municipality}?deleted=1`);
	}
};
