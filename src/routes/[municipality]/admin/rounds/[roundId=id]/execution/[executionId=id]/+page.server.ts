import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { attemptMultipart, idParam, orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import {
	addMilestone,
	addPart,
	changeStatus,
	completeMilestone,
	correctMilestone,
	correctStatus,
	executionDetail,
	updateFigures
} from '$lib/server/execution';
import { preparePhotos } from '$lib/server/proposals';
import { formFile } from '$lib/server/platform/uploads';

const photosOf = (form: FormData) =>
	form
		.getAll('photos')
		.map((f) => formFile(f))
		.filter((f): f is File => f !== null);

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'execution.manage');
	const roundId = Number(event.params.roundId);
	const round = orPageError(event, () => findRound(event.locals.db, actor.municipalityId, roundId));
	const detail = orPageError(event, () =>
		executionDetail(event.locals.db, actor.municipalityId, roundId, idParam(event.params.executionId))
	);
	return { round: { id: round.id, title: round.titleEs }, ...detail };
};

const ids = (event: Parameters<Actions[string]>[0]) => ({
	roundId: Number(event.params.roundId),
	executionId: idParam(event.params.executionId)
});

export const actions: Actions = {
	status: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		const { roundId, executionId } = ids(event);
		return attempt(() => {
			const e = changeStatus(event.locals.db, actor, actor.municipalityId, roundId, executionId, {
				to: form.get('to'),
				reason: form.get('reason'),
				onDate: form.get('onDate')
			});
			return { statusChanged: e.status };
		}, echo(form));
	},
	correctStatus: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		const { roundId, executionId } = ids(event);
		return attempt(() => {
			correctStatus(event.locals.db, actor, actor.municipalityId, roundId, executionId, {
				to: form.get('to'),
				reason: form.get('correctionReason')
			});
			return { corrected: true };
		}, echo(form));
	},
	correctMilestone: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		const { roundId, executionId } = ids(event);
		return attempt(() => {
			correctMilestone(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundId,
				executionId,
				Number(form.get('milestoneId')),
				{ title: form.get('title'), dueOn: form.get('dueOn'), doneOn: form.get('doneOn'), reason: form.get('reason') }
			);
			return { corrected: true };
		}, echo(form));
	},
	figures: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		const { roundId, executionId } = ids(event);
		return attempt(() => {
			updateFigures(event.locals.db, actor, actor.municipalityId, roundId, executionId, {
				investmentCui: form.get('investmentCui'),
				budgeted: form.get('budgeted'),
				executed: form.get('executed'),
				progress: form.get('progress'),
				onDate: form.get('onDate'),
				correctionReason: form.get('correctionReason')
			});
			return { figuresSaved: true };
		}, echo(form));
	},
	milestone: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const { roundId, executionId } = ids(event);
		return attemptMultipart(event, async (form) => {
			const photos = await preparePhotos(photosOf(form));
			addMilestone(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundId,
				executionId,
				{ title: form.get('title'), dueOn: form.get('dueOn'), doneOn: form.get('doneOn'), note: form.get('note') },
				photos
			);
			return { milestoneAdded: true };
		});
	},
	reached: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const { roundId, executionId } = ids(event);
		return attemptMultipart(event, async (form) => {
			const photos = await preparePhotos(photosOf(form));
			completeMilestone(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundId,
				executionId,
				Number(form.get('milestoneId')),
				{ doneOn: form.get('doneOn') },
				photos
			);
			return { milestoneReached: true };
		});
	},
	part: async (event) => {
		const actor = requireActor(event, 'execution.manage');
		const form = await event.request.formData();
		const { roundId, executionId } = ids(event);
		return attempt(() => {
			addPart(event.locals.db, actor, actor.municipalityId, roundId, executionId, {
				title: form.get('partTitle'),
				reason: form.get('splitReason')
			});
			return { partAdded: true };
		}, echo(form));
	}
};
