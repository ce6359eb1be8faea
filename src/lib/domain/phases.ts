/**
 * The round's phase machine. Phase changes are explicit acts of an official; each is checked here first.
 * Pure: the caller loads the facts (counts, dates) and passes them in.
 */
import { PHASES, type Phase } from './round-rules';

export { PHASES, type Phase };

export interface PhaseFacts {
	/** Budget ceiling in céntimos. */
	budgetCents: number;
	/** Sum of the zone and municipality-wide shares; 0 when the budget is not split. */
	splitTotalCents: number;
	proposalCount: number;
	/** Proposals still waiting for the technical evaluation (submitted / under evaluation). */
	pendingEvaluationCount: number;
	/** Proposals marked feasible (or already on the ballot). */
	feasibleCount: number;
	/** Last day of the voting phase in the timetable (YYYY-MM-DD), when one is set. */
	votingEndsOn: string | null;
	/** Voting was closed early ("close voting now"): the window has ended even on its last day. */
	votingClosed?: boolean;
	/** Today (YYYY-MM-DD) in the municipality's time zone. */
	today: string;
}

export type PhaseCheck = { ok: true } | { ok: false; error: string; params?: Record<string, string | number> };

export const phaseIndex = (p: Phase) => PHASES.indexOf(p);

/** The phases an official may move to from `from`: the next one, or back one step while voting has not opened. */
export function allowedTargets(from: Phase): Phase[] {
	const i = phaseIndex(from);
	const out: Phase[] = [];
	if (i + 1 < PHASES.length) out.push(PHASES[i + 1]);
	if (i > 0 && i <= phaseIndex('evaluacion')) out.push(PHASES[i - 1]);
	return out;
}

/** May the round move from `from` to `to` given these facts? Error codes live under `errors.phase.*`. */
export function checkTransition(from: Phase, to: Phase, facts: PhaseFacts): PhaseCheck {
	if (from === to) return { ok: false, error: 'phase.same' };
	if (!allowedTargets(from).includes(to)) return { ok: false, error: 'phase.notAllowed' };
	if (phaseIndex(to) < phaseIndex(from)) return { ok: true };
	switch (to) {
		case 'propuestas':
			if (facts.budgetCents <= 0) return { ok: false, error: 'phase.noBudget' };
			if (facts.splitTotalCents > facts.budgetCents) return { ok: false, error: 'phase.splitAboveCeiling' };
			return { ok: true };
		case 'evaluacion':
			if (facts.proposalCount === 0) return { ok: false, error: 'phase.noProposals' };
			return { ok: true };
		case 'votacion':
			if (facts.pendingEvaluationCount > 0)
				return { ok: false, error: 'phase.pendingEvaluation', params: { count: facts.pendingEvaluationCount } };
			if (facts.feasibleCount === 0) return { ok: false, error: 'phase.noFeasible' };
			return { ok: true };
		case 'resultados':
			if (!facts.votingClosed && facts.votingEndsOn && facts.today <= facts.votingEndsOn)
				return { ok: false, error: 'phase.votingOpen', params: { date: facts.votingEndsOn } };
			return { ok: true };
		default:
			return { ok: true };
	}
}

/** Residents may submit and edit proposals only while intake is open. */
export const acceptsProposals = (phase: Phase) => phase === 'propuestas';
/** The technical team evaluates during intake and the evaluation phase. */
export const acceptsEvaluation = (phase: Phase) => phase === 'propuestas' || phase === 'evaluacion';
/** Agents' prioritisation scores: from evaluation until voting closes. */
export const acceptsScores = (phase: Phase) => phase === 'evaluacion' || phase === 'votacion';
/** Rules are frozen once voting has opened. */
export const rulesFrozen = (phase: Phase) => phaseIndex(phase) >= phaseIndex('votacion');

export interface TimetableEntry {
	phase: Phase;
	startsOn: string;
	endsOn: string;
}

/** Timetable sanity: each entry starts on or before it ends, and phases follow each other in order without overlap. */
export function checkTimetable(entries: TimetableEntry[]): PhaseCheck {
	const sorted = [...entries].sort((a, b) => phaseIndex(a.phase) - phaseIndex(b.phase));
	for (const e of sorted)
		if (e.startsOn > e.endsOn) return { ok: false, error: 'timetable.endsBeforeStart', params: { phase: e.phase } };
	for (let i = 1; i < sorted.length; i++)
		if (sorted[i].startsOn < sorted[i - 1].endsOn)
			return {
				ok: false,
				error: 'timetable.overlap',
				params: { phase: sorted[i].phase, previous: sorted[i - 1].phase }
			};
	return { ok: true };
}
