import type { Actions, PageServerLoad } from './$types';
import { attemptMultipart, idParam, orPageError, requireActor } from '$lib/server/http';
import { attempt } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { listProposals } from '$lib/server/proposals';
import { attachAudio, listAudio, removeAudio, type AudioTarget } from '$lib/server/audio';
import { formFile } from '$lib/server/platform/uploads';
import { UserError } from '$lib/domain/errors';

export const load: PageServerLoad = (event) => {
	requireActor(event, 'audio.manage');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const roundId = idParam(event.params.roundId);
	const round = orPageError(event, () => findRound(db, mId, roundId));
	const proposals = listProposals(db, mId, roundId, { pageSize: 10_000 }).items.map((p) => ({
		id: p.id,
		seq: p.seq,
		title: p.originalLocale === event.locals.locale ? p.title : (p.translatedTitle ?? p.title),
		status: p.status
	}));
	return { round, proposals, clips: listAudio(db, mId, roundId) };
};

const target = (v: FormDataEntryValue | null): AudioTarget => {
	const s = String(v ?? '');
	if (s === 'ballot') return { kind: 'ballot' };
	if (/^\d{1,12}$/.test(s)) return { kind: 'proposal', proposalId: Number(s) };
	throw new UserError('notFound', {}, 404);
};

export const actions: Actions = {
	attach: (event) => {
		const actor = requireActor(event, 'audio.manage');
		return attemptMultipart(event, async (form) => {
			await attachAudio(
				event.locals.db,
				actor,
				actor.municipalityId,
				idParam(event.params.roundId),
				target(form.get('target')),
				form.get('locale'),
				formFile(form.get('file'))
			);
			return { attached: true };
		});
	},
	remove: async (event) => {
		const actor = requireActor(event, 'audio.manage');
		const form = await event.request.formData();
		return attempt(() => {
			removeAudio(
				event.locals.db,
				actor,
				actor.municipalityId,
				idParam(event.params.roundId),
				Number(form.get('clip'))
			);
			return { removed: true };
		});
	}
};
