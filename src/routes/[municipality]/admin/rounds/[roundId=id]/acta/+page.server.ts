import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import {
	actaForOfficials,
	addCofinancing,
	addCommitment,
	seatInActa,
	issueActa,
	removeCofinancing,
	removeCommitment,
	unseatFromActa,
	reopenActa,
	saveActaDetails,
	uploadActaScan
} from '$lib/server/acta';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'acta.manage');
	const { db, locale } = event.locals;
	return orPageError(event, () => {
		const round = findRound(db, actor.municipalityId, idParam(event.params.roundId));
		return {
			round: {
				id: round.id,
				title: locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs,
				phase: round.phase,
				fiscalYear: round.fiscalYear
			},
			acta: actaForOfficials(db, actor, actor.municipalityId, round.id)
		};
	});
};

const roundOf = (event: { params: { roundId: string } }) => idParam(event.params.roundId);

export const actions: Actions = {
	details: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				saveActaDetails(event.locals.db, actor, actor.municipalityId, roundOf(event), {
					signingDate: form.get('signingDate'),
					place: form.get('place')
				}),
			echo(form)
		);
		return r ?? { saved: 'details' };
	},
	cofinancing: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				addCofinancing(event.locals.db, actor, actor.municipalityId, roundOf(event), {
					proposalId: form.get('proposalId'),
					source: form.get('source'),
					amount: form.get('amount')
				}),
			echo(form)
		);
		return 'id' in r ? { saved: 'cofinancing' } : r;
	},
	removeCofinancing: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(() =>
			removeCofinancing(event.locals.db, actor, actor.municipalityId, roundOf(event), Number(form.get('id')))
		);
		return r ?? { removed: true };
	},
	commitment: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				addCommitment(event.locals.db, actor, actor.municipalityId, roundOf(event), {
					actorKind: form.get('actorKind'),
					actorName: form.get('actorName'),
					text: form.get('text')
				}),
			echo(form)
		);
		return 'id' in r ? { saved: 'commitment' } : r;
	},
	removeCommitment: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(() =>
			removeCommitment(event.locals.db, actor, actor.municipalityId, roundOf(event), Number(form.get('id')))
		);
		return r ?? { removed: true };
	},
	committee: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(
			() =>
				seatInActa(event.locals.db, actor, actor.municipalityId, roundOf(event), {
					agentId: form.get('agentId'),
					role: form.get('role')
				}),
			echo(form)
		);
		return 'id' in r ? { saved: 'committee' } : r;
	},
	removeCommittee: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(() =>
			unseatFromActa(event.locals.db, actor, actor.municipalityId, roundOf(event), Number(form.get('id')))
		);
		return r ?? { removed: true };
	},
	issue: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const r = await attempt(() => issueActa(event.locals.db, actor, actor.municipalityId, roundOf(event)));
		return 'contentSha256' in r ? { issued: r.contentSha256 } : r;
	},
	reopen: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const r = await attempt(() =>
			reopenActa(event.locals.db, actor, actor.municipalityId, roundOf(event), form.get('reason'))
		);
		return r ?? { reopened: true };
	},
	upload: async (event) => {
		const actor = requireActor(event, 'acta.manage');
		const form = await event.request.formData();
		const file = form.get('scan');
		const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const r = await attempt(() =>
			uploadActaScan(event.locals.db, actor, actor.municipalityId, roundOf(event), bytes, form.get('reason'))
		);
		return 'sha256' in r ? { uploaded: r.sha256 } : r;
	}
};
