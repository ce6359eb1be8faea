import type { RequestEvent } from '@sveltejs/kit';
import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isUserError } from '$lib/domain/errors';
import { benchOnly, requireMunicipality } from '$lib/server/http';
import { ballotForVoter, castWebBallotGrouped, newReceiptCode, readBallotForm } from '$lib/server/voting';
import { ballotAudio } from '$lib/server/audio';
import { sectionFormValues } from '$lib/domain/ballot';
import { setReceiptCookie } from '$lib/server/auth/cookies';

// The ballot is server-rendered only: no framework JavaScript on a cheap phone's slow link. A small inline script
// (BallotMeter) adds the live budget meter; every check happens on the server.
export const csr = false;

function requireLogin(event: RequestEvent) {
	const m = requireMunicipality(event);
	if (!event.locals.user) redirect(303, `/${m.slug}/login?next=${encodeURIComponent(event.url.pathname)}`);
	// Logged in elsewhere: the same answer as every other page of a municipality one does not belong to.
	if (!event.locals.actor) error(403, event.locals.t('errors.otherMunicipality'));
	return m;
}

export const load: PageServerLoad = (event) => {
	const m = requireLogin(event);
	try {
		const { paper, state } = ballotForVoter(
			event.locals.db,
			event.locals.actor,
			m.id,
			Number(event.params.roundId),
			event.locals.locale
		);
		// Recordings in the reader's language: only their ids here; nothing is fetched until play is pressed.
		const audio = ballotAudio(event.locals.db, m.id, paper.round.id, event.locals.locale);
		return { paper, state, refusal: null, audio };
	} catch (e) {
		if (isUserError(e)) return { paper: null, state: null, refusal: { code: e.code, params: e.params }, audio: null };
		throw e;
	}
};

type Pairs = [string, string][];
const pairs = (form: FormData): Pairs =>
	[...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string' && /^s\d+(_[pr]\d+)?$/.test(e[0]));

function read(event: RequestEvent, form: FormData) {
	const m = requireLogin(event);
	const { paper } = ballotForVoter(
		event.locals.db,
		event.locals.actor,
		m.id,
		Number(event.params.roundId),
		event.locals.locale
	);
	const values = pairs(form);
	const choices = readBallotForm(paper, (n) => values.filter(([k]) => k === n).map(([, v]) => v));
	return { m, paper, values, choices };
}

function refuse(e: unknown, values: Pairs) {
	if (isUserError(e)) return fail(e.status, { error: { code: e.code, params: e.params }, values });
	throw e;
}

export const actions: Actions = {
	/** Step 1: check the choices and show them back for confirmation. */
	review: async (event) => {
		const form = await event.request.formData();
		try {
			const { choices, paper } = read(event, form);
			const values = choices.flatMap((c, i) => sectionFormValues(`s${paper.sections[i].index}`, c));
			return { review: choices, values };
		} catch (e) {
			return refuse(e, pairs(form));
		}
	},
	/** Back from the confirmation to the ballot, keeping the choices. */
	edit: async (event) => {
		const form = await event.request.formData();
		return { values: pairs(form) };
	},
	/**
	 * Step 2: cast. Answers only after the ballot is committed, with a 303 to the receipt page (a reload there never
	 * casts again); the receipt code travels in a short-lived HttpOnly cookie, never in the URL or the database.
	 */
	cast: async (event) => {
		const form = await event.request.formData();
		const values = pairs(form);
		let roundPath: string;
		try {
			const m = requireLogin(event);
			const get = (n: string) => values.filter(([k]) => k === n).map(([, v]) => v);
			// The form is read, once, against the ballot as the casting transaction sees it.
			const { receipt, replaced } = await castWebBallotGrouped(
				event.locals.db,
				event.locals.actor,
				m.id,
				Number(event.params.roundId),
				{ form: get }
			);
			const roundId = Number(event.params.roundId);
			setReceiptCookie(event.cookies, m.slug, roundId, { userId: event.locals.user!.id, code: receipt, replaced });
			roundPath = `/${m.slug}/rounds/${roundId}`;
		} catch (e) {
			return refuse(e, values);
		}
		redirect(303, `${roundPath}/receipt`);
	},
	/**
	 * bench:vote's baseline (only with MINKA_BENCH=1): everything a cast does except the cast — the same hooks, the
	 * same form read, a receipt cookie (a code not stored anywhere) and the same 303 to the same receipt page.
	 */
	...benchOnly({
		benchNoop: async (event: RequestEvent) => {
			const form = await event.request.formData();
			pairs(form);
			const m = requireLogin(event);
			const roundId = Number(event.params.roundId);
			setReceiptCookie(event.cookies, m.slug, roundId, {
				userId: event.locals.user!.id,
				code: newReceiptCode(),
				replaced: false
			});
			redirect(303, `/${m.slug}/rounds/${roundId}/receipt`);
		}
	})
};
