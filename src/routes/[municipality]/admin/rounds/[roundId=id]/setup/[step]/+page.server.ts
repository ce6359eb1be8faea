import type { Actions, PageServerLoad } from './$types';
import { error, redirect } from '@sveltejs/kit';
import { attemptMultipart, idParam, orPageError, requireActor } from '$lib/server/http';
import { postedFields, roundDetail, saveRoundStep, storedRoundValues } from '$lib/server/rounds';
import { zonesOffered } from '$lib/server/municipalities';
import { formFile, preparePdf } from '$lib/server/platform/uploads';
import { isRoundStep, nextStep } from '$lib/domain/round-form';
import { rulesFrozen } from '$lib/domain/phases';
import type { Db } from '$lib/server/db/client';

const zonesOf = (db: Db, municipalityId: number, budgets: { zoneId: number | null }[]) =>
	zonesOffered(
		db,
		municipalityId,
		budgets.map((b) => b.zoneId)
	);

/** A step of the round form for an existing round (step 1 again, or steps 2–4), kept as a draft at each save. */
export const load: PageServerLoad = (event) => {
	requireActor(event, 'rounds.manage');
	const step = event.params.step;
	if (!isRoundStep(step)) error(404, event.locals.t('errors.notFound'));
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const d = orPageError(event, () => roundDetail(db, mId, idParam(event.params.roundId)));
	const zones = zonesOf(db, mId, d.budgets);
	return {
		step,
		round: d.round,
		zones,
		values: storedRoundValues(
			db,
			mId,
			d.round.id,
			zones.map((z) => z.id)
		),
		frozen: rulesFrozen(d.round.phase),
		created: event.url.searchParams.has('created'),
		returnHome: event.url.searchParams.get('return') === 'home',
		saved: ((s) => (isRoundStep(s) ? s : null))(event.url.searchParams.get('saved'))
	};
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event, 'rounds.manage');
		const step = event.params.step;
		if (!isRoundStep(step)) error(404, event.locals.t('errors.notFound'));
		const db = event.locals.db;
		const roundId = idParam(event.params.roundId);
		let returnHome = false;
		const r = await attemptMultipart(event, async (form) => {
			returnHome = form.get('return') === 'home';
			const d = roundDetail(db, actor.municipalityId, roundId);
			const file = step === 'general' ? formFile(form.get('ordinance')) : null;
			const ordinance = file ? await preparePdf(file, 'ordinances') : null;
			return saveRoundStep(
				db,
				actor,
				actor.municipalityId,
				d.round.id,
				step,
				postedFields(form),
				zonesOf(db, actor.municipalityId, d.budgets).map((z) => z.id),
				ordinance
			);
		});
		if (!('id' in r)) return r;
		const base = `/${event.params.municipality}/admin/rounds/${r.id}`;
		const next = nextStep(step);
		// From the checklist: back to it. Otherwise on to the next step, and the round's home after the last.
		if (returnHome) redirect(303, `${base}?stepSaved=${step}`);
		redirect(303, next ? `${base}/setup/${next}?saved=${step}` : `${base}?setup=done`);
	}
};
