/**
 * The officials' round home: the checklist of the current phase (domain/readiness.ts) loaded from the data, the
 * confirmed phase change that refuses while a blocking item is open, and each open round's next step.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { limaToday } from '../../domain/clock';
import { PHASES, type Phase } from '../../domain/round-rules';
import {
	isBlocked,
	nextPhase,
	readiness,
	type FixPage,
	type ReadinessFacts,
	type ReadinessItem
} from '../../domain/readiness';
import { checkTransition } from '../../domain/phases';
import { AWAITING_VERDICT, ON_BALLOT } from '../../domain/proposal-status';
import { countRows, type Db } from '../db/client';
import { participantAgents, proposals, roleGrants, roundBudgets, roundPhases, stations } from '../db/schema/index';
import { authorize, type Actor } from '../platform/policy';
import { appendAudit } from '../platform/audit';
import { writeTx } from '../db/client';
import { amendmentReason, recordAmendment } from '../amendments';
import type { AmendmentChange } from '../../domain/amendments';
import { startSeal } from '../voting';
import { censusSize } from '../residents';
import { changePhase, findRound, listRounds, phaseFacts, type Round } from './rounds';

export function readinessFacts(db: Db, round: Round, today = limaToday()): ReadinessFacts {
	const budgets = db.select().from(roundBudgets).where(eq(roundBudgets.roundId, round.id)).all();
	const timetable = db
		.select({ phase: roundPhases.phase, startsOn: roundPhases.startsOn, endsOn: roundPhases.endsOn })
		.from(roundPhases)
		.where(eq(roundPhases.roundId, round.id))
		.all();
	const byStatus = (statuses: readonly (typeof proposals.$inferSelect.status)[]) =>
		and(eq(proposals.roundId, round.id), inArray(proposals.status, [...statuses]));
	const holders = (role: 'official' | 'technical') =>
		countRows(
			db,
			roleGrants,
			and(eq(roleGrants.municipalityId, round.municipalityId), eq(roleGrants.role, role), isNull(roleGrants.revokedAt))
		);
	return {
		phase: round.phase,
		today,
		timetable,
		budgetCents: round.budgetCents,
		splitTotalCents: budgets.reduce((s, b) => s + b.amountCents, 0),
		splitCount: budgets.length,
		censusCount: censusSize(db, round.municipalityId),
		pendingEvaluationCount: countRows(db, proposals, byStatus(AWAITING_VERDICT)),
		// A proposal written in Spanish with no reviewed Quechua title reaches the Quechua ballot in Spanish.
		untranslatedCount: countRows(
			db,
			proposals,
			and(byStatus(ON_BALLOT), eq(proposals.originalLocale, 'es'), isNull(proposals.translatedTitle))
		),
		stationCount: countRows(db, stations, eq(stations.roundId, round.id)),
		stationOfficialCount: holders('official'),
		technicalCount: holders('technical'),
		agentCount: countRows(db, participantAgents, eq(participantAgents.roundId, round.id))
	};
}

/** The page that fixes each refusal of the transition table (the rest: the round form's first step). */
const GUARD_FIX: Record<string, FixPage> = {
	'phase.splitAboveCeiling': 'split',
	'phase.noProposals': 'proposals',
	'phase.pendingEvaluation': 'proposals',
	'phase.noFeasible': 'proposals',
	'phase.votingOpen': 'timetable'
};

/**
 * Everything a move from the round's phase to `to` must pass: the transition table's own guard (as a blocking item)
 * and the checklist. Moving to results needs the voting window ended (by its dates, or closed now).
 */
export function phaseChangeChecklist(db: Db, round: Round, to: Phase, today = limaToday()): ReadinessItem[] {
	const items = readiness(readinessFacts(db, round, today), to);
	const guard = checkTransition(round.phase, to, phaseFacts(db, round, today));
	// The guard's own item, unless the checklist already says the same (phase.pendingEvaluation = pendingEvaluation).
	if (!guard.ok && !items.some((i) => i.code === guard.error || `phase.${i.code}` === guard.error))
		items.unshift({
			code: guard.error,
			level: 'blocking',
			fix: GUARD_FIX[guard.error] ?? 'roundForm',
			params: guard.params
		});
	return items;
}

/** The checklist of the round's current phase (for its next phase). */
export function roundChecklist(db: Db, round: Round, today = limaToday()) {
	const to = nextPhase(round.phase);
	const items = to ? phaseChangeChecklist(db, round, to, today) : [];
	return { to, items, blocked: isBlocked(items) };
}

/** The confirmed phase change: refused while a blocking item is open (warnings were shown on the confirmation). */
export function confirmPhaseChange(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	toInput: string,
	today = limaToday()
): Round {
	authorize(actor, 'rounds.phase', municipalityId);
	if (!PHASES.includes(toInput as Phase)) throw new UserError('phase.notAllowed');
	const round = findRound(db, municipalityId, roundId);
	const blocking = phaseChangeChecklist(db, round, toInput as Phase, today).filter((i) => i.level === 'blocking');
	if (blocking.length) throw new UserError('phase.blocked', { count: blocking.length }, 409);
	return changePhase(db, actor, municipalityId, roundId, toInput, today);
}

/** Each open round (not yet in follow-up) with the next step its checklist gives. */
export function openRoundsNextSteps(db: Db, municipalityId: number, today = limaToday()) {
	return listRounds(db, municipalityId)
		.filter((r) => r.phase !== 'seguimiento')
		.map((round) => {
			const c = roundChecklist(db, round, today);
			const first = c.items[0] ?? null;
			// Roles missing for this phase are flagged on the municipality's home too, not only the first item.
			const missingRoles = c.items.filter((i) => i.fix === 'roles' && i !== first);
			return { round, to: c.to, first, missingRoles, blocked: c.blocked };
		});
}

/**
 * "Close voting now": the official ends the voting window today. The act is a correction of the published
 * timetable (the voting end date becomes today, with the reason, through the amendments module), then the
 * end-of-voting secrecy step starts (voting is refused from then on; a worker finishes it) and the round moves to
 * «Resultados» so the count can be computed (computing finishes the seal first if the worker has not).
 */
export function closeVotingNow(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	reasonInput: unknown,
	today = limaToday()
): Round {
	authorize(actor, 'rounds.phase', municipalityId);
	const reason = amendmentReason(reasonInput);
	writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (round.phase !== 'votacion') throw new UserError('phase.votingNotOpen', {}, 409);
		const w = tx
			.select()
			.from(roundPhases)
			.where(and(eq(roundPhases.roundId, roundId), eq(roundPhases.phase, 'votacion')))
			.get();
		if (w && w.endsOn !== today) {
			const startsOn = w.startsOn > today ? today : w.startsOn;
			tx.update(roundPhases).set({ startsOn, endsOn: today }).where(eq(roundPhases.id, w.id)).run();
			const changes: AmendmentChange[] = [
				{ field: 'endsOn_votacion', kind: 'date', previous: w.endsOn, current: today }
			];
			if (startsOn !== w.startsOn)
				changes.push({ field: 'startsOn_votacion', kind: 'date', previous: w.startsOn, current: startsOn });
			recordAmendment(tx, {
				municipalityId,
				roundId,
				record: 'round',
				recordId: roundId,
				actorUserId: actor.userId,
				reason,
				changes
			});
		}
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.votingClosed',
			payload: { roundId, on: today, reason }
		});
	});
	// voting is refused from this row on; a worker seals the ballots and scrubs the file (seconds at 90 000 ballots)
	startSeal(db, roundId);
	return changePhase(db, actor, municipalityId, roundId, 'resultados', today);
}
