import type { Actions, PageServerLoad } from './$types';
import { attempt, echo, requireActor } from '$lib/server/http';
import { roundDetail } from '$lib/server/rounds';
import { proposalDetail, translateProposal } from '$lib/server/proposals';
import { enterScores, evaluateProposal, parseEvaluationForm, proposalScores } from '$lib/server/proposals';
import { agentRegisterForOfficials } from '$lib/server/agents';
import { bandPoints } from '$lib/domain/scoring';
import { acceptsEvaluation, acceptsScores } from '$lib/domain/phases';
import { idParam, orPageError, roleHintFor } from '$lib/server/http';
import { can } from '$lib/server/platform/policy';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	const db = event.locals.db;
	const mId = event.locals.municipality!.id;
	const roundId = idParam(event.params.roundId);
	const d = orPageError(event, () => roundDetail(db, mId, roundId));
	const p = orPageError(event, () => proposalDetail(db, mId, roundId, idParam(event.params.proposalId)));
	const canScore = can(actor, 'proposals.score', mId);
	const suggested = Object.fromEntries(
		d.criteria
			.filter((c) => c.measure !== 'judgement')
			.map((c) => [
				c.id,
				bandPoints(
					c,
					c.measure === 'beneficiaries'
						? p.proposal.beneficiaries
						: (p.proposal.adjustedCostCents ?? p.proposal.estimatedCostCents) / 100
				)
			])
	);
	return {
		round: d.round,
		criteria: d.criteria,
		...p,
		scores: proposalScores(db, p.proposal.id),
		agents: canScore ? agentRegisterForOfficials(db, actor, mId, roundId).filter((a) => a.hasVote) : [],
		suggested,
		canEvaluate: can(actor, 'proposals.evaluate', mId) && acceptsEvaluation(d.round.phase),
		// The evaluation form is hidden without the technical team's role: say so, and who can grant it.
		evaluateHint:
			!can(actor, 'proposals.evaluate', mId) && acceptsEvaluation(d.round.phase)
				? roleHintFor(event, 'proposals.evaluate')
				: null,
		canTranslate: can(actor, 'proposals.translate', mId),
		canScore: canScore && acceptsScores(d.round.phase) && ['feasible', 'on_ballot'].includes(p.proposal.status),
		me: actor.userId
	};
};

const ids = (event: { params: { roundId: string; proposalId: string } }) =>
	[idParam(event.params.roundId), idParam(event.params.proposalId)] as const;

export const actions: Actions = {
	evaluate: async (event) => {
		const actor = requireActor(event, 'proposals.evaluate');
		const form = await event.request.formData();
		const [roundId, proposalId] = ids(event);
		return attempt(() => {
			evaluateProposal(event.locals.db, actor, actor.municipalityId, roundId, proposalId, parseEvaluationForm(form));
			return { evaluated: true };
		}, echo(form));
	},
	translate: async (event) => {
		const actor = requireActor(event, 'proposals.translate');
		const form = await event.request.formData();
		const [roundId, proposalId] = ids(event);
		return attempt(() => {
			translateProposal(event.locals.db, actor, actor.municipalityId, roundId, proposalId, form);
			return { translated: true };
		}, echo(form));
	},
	score: async (event) => {
		const actor = requireActor(event, 'proposals.score');
		const form = await event.request.formData();
		const [roundId, proposalId] = ids(event);
		return attempt(() => {
			enterScores(
				event.locals.db,
				actor,
				actor.municipalityId,
				roundId,
				proposalId,
				String(form.get('scorer') ?? ''),
				form
			);
			return { scored: true };
		}, echo(form));
	}
};
