import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor, orPageError } from '$lib/server/http';
import {
	addAgreement,
	correctAgreement,
	correctAttendance,
	correctSession,
	issueMinutes,
	parseAttendanceForm,
	recordAttendance,
	sessionDetail,
	uploadMinutesScan
} from '$lib/server/council';
import { quorumMessage } from '$lib/domain/council';

function sessionId(params: { id: string }) {
	const id = Number(params.id);
	return Number.isInteger(id) && id > 0 ? id : -1;
}

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'council.manage');
	return orPageError(event, () => {
		const d = sessionDetail(event.locals.db, actor.municipalityId, sessionId(event.params));
		return {
			...d,
			quorumText: d.quorum ? quorumMessage(d.quorum, d.session.firstCallAt) : null,
			created: event.url.searchParams.has('created')
		};
	});
};

export const actions: Actions = {
	attendance: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		// Echo only unambiguous answers: a member sent with two statuses is shown unmarked, not with one picked at random.
		const values = Object.fromEntries(Object.entries(echo(form)).filter(([k]) => form.getAll(k).length === 1));
		const result = await attempt(
			() =>
				recordAttendance(
					event.locals.db,
					actor,
					actor.municipalityId,
					sessionId(event.params),
					parseAttendanceForm(form)
				),
			values
		);
		return 'installed' in result ? { attendanceSaved: true } : result;
	},
	agreement: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		const result = await attempt(
			() =>
				addAgreement(event.locals.db, actor, actor.municipalityId, sessionId(event.params), {
					text: form.get('text'),
					decision: form.get('decision'),
					votesFor: form.get('votesFor'),
					votesAgainst: form.get('votesAgainst'),
					votesAbstain: form.get('votesAbstain'),
					castingVote: form.get('castingVote')
				}),
			echo(form)
		);
		return 'code' in result ? { agreementSaved: result.code } : result;
	},
	correctSession: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		return attempt(() => {
			correctSession(event.locals.db, actor, actor.municipalityId, sessionId(event.params), {
				date: form.get('date'),
				place: form.get('place'),
				firstCallAt: form.get('firstCallAt'),
				reason: form.get('reason')
			});
			return { corrected: true };
		}, echo(form));
	},
	correctAttendance: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		return attempt(() => {
			correctAttendance(event.locals.db, actor, actor.municipalityId, sessionId(event.params), {
				memberId: form.get('memberId'),
				status: form.get('status'),
				arrivedAt: form.get('arrivedAt'),
				reason: form.get('reason')
			});
			return { corrected: true };
		}, echo(form));
	},
	correctAgreement: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		return attempt(() => {
			correctAgreement(event.locals.db, actor, actor.municipalityId, Number(form.get('agreementId')), {
				text: form.get('text'),
				reason: form.get('reason')
			});
			return { corrected: true };
		}, echo(form));
	},
	issueMinutes: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const result = await attempt(() =>
			issueMinutes(event.locals.db, actor, actor.municipalityId, sessionId(event.params))
		);
		return 'seq' in result ? { minutesIssued: true } : result;
	},
	upload: async (event) => {
		const actor = requireActor(event, 'council.manage');
		const form = await event.request.formData();
		const file = form.get('scan');
		const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const result = await attempt(() =>
			uploadMinutesScan(
				event.locals.db,
				actor,
				actor.municipalityId,
				sessionId(event.params),
				bytes,
				form.get('reason')
			)
		);
		return 'sha256' in result ? { uploaded: result.sha256 } : result;
	}
};
