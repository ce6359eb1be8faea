import { and, asc, eq, inArray } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { acceptsEvaluation, acceptsScores } from '../../domain/phases';
import { isValidValue, rankByScore, aggregateScores, maxScore, type CriterionDef } from '../../domain/scoring';
import { writeTx, type Db } from '../db/client';
import {
	criterionScores,
	participantAgents,
	persons,
	proposals,
	scoringCriteria,
	NOT_FEASIBLE_REASONS,
	type NotFeasibleReason
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { moneyField, optionalText, ML } from '../platform/validation';
import { findRound, budgetFor } from '../rounds';
import { findProposal } from './proposals';
import { recordVerdict } from '../proposal-status';
import { ON_BALLOT, VERDICTS, type Verdict } from '../../domain/proposal-status';

export interface EvaluationInput {
	verdict: Verdict;
	reason: NotFeasibleReason | null;
	reasonText: string | null;
	adjustedCostCents: number | null;
	investmentCui: string | null;
	/** criterionId → advisory value */
	scores: Map<number, number>;
}

export function parseEvaluationForm(form: FormData): EvaluationInput {
	const v = VERDICTS.find((x) => x === form.get('verdict'));
	if (!v) throw new UserError('evaluation.verdict');
	const r = String(form.get('reason') ?? '');
	const reason = v === 'not_feasible' ? (NOT_FEASIBLE_REASONS.find((x) => x === r) ?? null) : null;
	if (v === 'not_feasible' && !reason) throw new UserError('evaluation.reasonRequired');
	const reasonText =
		v === 'not_feasible' ? optionalText(form.get('reasonText'), 'evaluation.reasonText', 2000, ML) : null;
	if (reason === 'other' && !reasonText) throw new UserError('evaluation.reasonTextRequired');
	const adjustedCostCents = moneyField(form.get('adjustedCost'), 'adjustedCost', {
		rename: { 'money.negative': 'proposals.costNegative' },
		positive: 'proposals.costNegative'
	});
	const cuiRaw = String(form.get('investmentCui') ?? '').replace(/\s/g, '');
	if (cuiRaw && !/^\d{7}$/.test(cuiRaw)) throw new UserError('evaluation.investmentCui');
	return { verdict: v, reason, reasonText, adjustedCostCents, investmentCui: cuiRaw || null, scores: readScores(form) };
}

function readScores(form: FormData): Map<number, number> {
	const scores = new Map<number, number>();
	for (const [k, val] of form.entries()) {
		const m = /^score_(\d+)$/.exec(k);
		if (m && typeof val === 'string' && val.trim() !== '') {
			if (!/^\d+$/.test(val.trim())) throw new UserError('evaluation.scoreValue');
			scores.set(Number(m[1]), Number(val.trim()));
		}
	}
	return scores;
}

function criteriaOf(tx: Db, roundId: number) {
	return tx
		.select()
		.from(scoringCriteria)
		.where(eq(scoringCriteria.roundId, roundId))
		.orderBy(asc(scoringCriteria.position))
		.all();
}

function writeScores(
	tx: Db,
	actor: Actor,
	roundId: number,
	proposalId: number,
	scorer: { kind: 'technical' | 'agent' | 'workshop'; key: string; agentId: number | null; userId: number | null },
	scores: Map<number, number>
) {
	const criteria = criteriaOf(tx, roundId);
	const byId = new Map(criteria.map((c) => [c.id, c]));
	for (const [cid, value] of scores) {
		const c = byId.get(cid);
		if (!c) throw new UserError('evaluation.scoreValue');
		if (!isValidValue(c, value)) throw new UserError('evaluation.scoreBand', { criterion: c.nameEs });
	}
	tx.delete(criterionScores)
		.where(and(eq(criterionScores.proposalId, proposalId), eq(criterionScores.scorerKey, scorer.key)))
		.run();
	const now = Date.now();
	for (const [criterionId, value] of scores)
		tx.insert(criterionScores)
			.values({
				roundId,
				proposalId,
				criterionId,
				scorerKind: scorer.kind,
				scorerKey: scorer.key,
				agentId: scorer.agentId,
				scorerUserId: scorer.userId,
				advisory: scorer.kind === 'technical',
				value,
				enteredByUserId: actor.userId,
				updatedAt: now
			})
			.run();
}

/** The technical team's verdict: feasible / not feasible with reason, adjusted cost, investment code, advisory scores. */
export function evaluateProposal(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	proposalId: number,
	input: EvaluationInput
) {
	authorize(actor, 'proposals.evaluate', municipalityId);
	writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (!acceptsEvaluation(round.phase)) throw new UserError('evaluation.closed', {}, 409);
		const p = findProposal(tx, municipalityId, roundId, proposalId);
		const cost = input.adjustedCostCents ?? p.estimatedCostCents;
		if (input.verdict === 'feasible' && cost > budgetFor(tx, round, p.zoneId))
			throw new UserError('evaluation.feasibleAboveCeiling');
		const now = Date.now();
		recordVerdict(tx, p, input.verdict, {
			notFeasibleReason: input.reason,
			notFeasibleText: input.reasonText,
			adjustedCostCents: input.adjustedCostCents,
			investmentCui: input.investmentCui,
			evaluatedByUserId: actor.userId,
			evaluatedAt: now
		});
		if (input.scores.size)
			writeScores(
				tx,
				actor,
				roundId,
				p.id,
				{ kind: 'technical', key: `technical:${actor.userId}`, agentId: null, userId: actor.userId },
				input.scores
			);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'proposal.evaluated',
			payload: {
				roundId,
				proposalId,
				from: p.status,
				to: input.verdict,
				reason: input.reason,
				reasonText: input.reasonText,
				adjustedCostCents: input.adjustedCostCents,
				investmentCui: input.investmentCui,
				advisoryScores: Object.fromEntries(input.scores)
			}
		});
	});
}

/** Prioritisation scores of an agent with vote, or the workshop's agreed scores, entered by an official. */
export function enterScores(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	proposalId: number,
	scorerInput: string,
	form: FormData
) {
	authorize(actor, 'proposals.score', municipalityId);
	const scores = readScores(form);
	writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (!acceptsScores(round.phase)) throw new UserError('scores.closed', {}, 409);
		const p = findProposal(tx, municipalityId, roundId, proposalId);
		if (p.status !== 'feasible' && p.status !== 'on_ballot') throw new UserError('scores.notFeasible', {}, 409);
		let scorer: { kind: 'agent' | 'workshop'; key: string; agentId: number | null; userId: null };
		if (scorerInput === 'workshop') scorer = { kind: 'workshop', key: 'workshop', agentId: null, userId: null };
		else {
			const agentId = Number(scorerInput);
			const agent = Number.isInteger(agentId)
				? tx
						.select()
						.from(participantAgents)
						.where(and(eq(participantAgents.id, agentId), eq(participantAgents.roundId, roundId)))
						.get()
				: undefined;
			if (!agent || agent.withdrawnAt) throw new UserError('scores.unknownAgent');
			if (!agent.hasVote) throw new UserError('scores.agentWithoutVote');
			scorer = { kind: 'agent', key: `agent:${agent.id}`, agentId: agent.id, userId: null };
		}
		const criteria = criteriaOf(tx, roundId);
		const missing = criteria.filter((c) => !scores.has(c.id));
		if (missing.length) throw new UserError('scores.incomplete', { criterion: missing[0].nameEs });
		writeScores(tx, actor, roundId, p.id, scorer, scores);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'proposal.scored',
			payload: { roundId, proposalId, scorer: scorer.key, scores: Object.fromEntries(scores) }
		});
	});
}

const asDef = (c: typeof scoringCriteria.$inferSelect): CriterionDef => ({
	id: c.id,
	code: c.code,
	kind: c.kind,
	measure: c.measure,
	weight: c.weight,
	bands: c.bands
});

/** The ranking by criteria score (agents' with vote or workshop), with the technical team's advice beside it. */
export function scoreRanking(db: Db, municipalityId: number, roundId: number) {
	findRound(db, municipalityId, roundId);
	const criteria = criteriaOf(db, roundId);
	const props = db
		.select()
		.from(proposals)
		.where(and(eq(proposals.roundId, roundId), inArray(proposals.status, [...ON_BALLOT])))
		.all();
	const rows = db.select().from(criterionScores).where(eq(criterionScores.roundId, roundId)).all();
	const defs = criteria.map(asDef);
	const ranked = rankByScore(
		defs,
		rows,
		props.map((p) => ({ id: p.id, seq: p.seq, costCents: p.adjustedCostCents ?? p.estimatedCostCents }))
	);
	// Technical advice: same aggregation over the advisory rows only.
	const advice = aggregateScores(
		defs,
		rows.filter((r) => r.advisory).map((r) => ({ ...r, advisory: false })),
		props.map((p) => p.id)
	);
	const byId = new Map(props.map((p) => [p.id, p]));
	return {
		criteria,
		maxScore: maxScore(defs),
		ranked: ranked.map((r) => ({ ...r, proposal: byId.get(r.proposalId)!, advice: advice.get(r.proposalId)! }))
	};
}

/** Every score row of one proposal, for the evaluation page (scorer names for officials only). */
export function proposalScores(db: Db, proposalId: number) {
	return db
		.select({
			criterionId: criterionScores.criterionId,
			scorerKey: criterionScores.scorerKey,
			scorerKind: criterionScores.scorerKind,
			advisory: criterionScores.advisory,
			value: criterionScores.value,
			agentName: persons.fullName,
			organisation: participantAgents.organisation
		})
		.from(criterionScores)
		.leftJoin(participantAgents, eq(participantAgents.id, criterionScores.agentId))
		.leftJoin(persons, eq(persons.id, participantAgents.personId))
		.where(eq(criterionScores.proposalId, proposalId))
		.all();
}
