/**
 * The officials' checklist for a round: what stands between the current phase and the next one, computed from the
 * data. Two kinds of items: blocking (the phase change is refused until fixed) and warnings (shown, and confirmed
 * past knowingly). Each item names the page that fixes it (`fix`); the route turns that into a link.
 * Pure: the caller loads the facts and passes them in.
 */
import { PHASES, type Phase } from './round-rules';
import type { TimetableEntry } from './phases';

export type ReadinessLevel = 'blocking' | 'warning';
/**
 * Where the fix is made: a step of the round form (its timetable, its budget split, or its first step for the rest),
 * the census, proposals, agents, polling stations or roles page.
 */
export type FixPage = 'roundForm' | 'timetable' | 'split' | 'census' | 'proposals' | 'agents' | 'stations' | 'roles';

export interface ReadinessItem {
	/** Translated under `readiness.<code>`. */
	code: string;
	level: ReadinessLevel;
	fix: FixPage;
	params?: Record<string, string | number>;
}

export interface ReadinessFacts {
	phase: Phase;
	/** Today (YYYY-MM-DD) in the municipality's time zone. */
	today: string;
	timetable: TimetableEntry[];
	budgetCents: number;
	/** Sum of the shares; meaningful only when `splitCount` > 0. */
	splitTotalCents: number;
	splitCount: number;
	/** People in the municipality's census (the electoral roll the resident is checked against). */
	censusCount: number;
	/** Proposals still waiting for the technical verdict (they would be on the ballot once feasible). */
	pendingEvaluationCount: number;
	/** Proposals feasible (going on the ballot) or on it, without a reviewed Quechua title. */
	untranslatedCount: number;
	stationCount: number;
	/** Accounts holding the role that runs a polling station and keys paper ballots ("official"). */
	stationOfficialCount: number;
	/** Accounts holding the technical team's role (the only role that records the technical verdict). */
	technicalCount: number;
	agentCount: number;
}

const idx = (p: Phase) => PHASES.indexOf(p);

/** The phase the checklist prepares: the next one forward, or null at the end. */
export function nextPhase(phase: Phase): Phase | null {
	return PHASES[idx(phase) + 1] ?? null;
}

/** Every check, in the order shown. Each returns an item when the problem is there, for the move to `to`. */
export const CHECKS: Record<string, (f: ReadinessFacts, to: Phase) => ReadinessItem | null> = {
	/** A phase still ahead whose last day has already passed: residents would find it closed. */
	datesPast(f, to) {
		const past = f.timetable
			.filter((e) => idx(e.phase) >= idx(to) && e.endsOn < f.today)
			.sort((a, b) => idx(a.phase) - idx(b.phase))[0];
		return past
			? { code: 'datesPast', level: 'blocking', fix: 'timetable', params: { phase: past.phase, date: past.endsOn } }
			: null;
	},
	/** Voting opens only inside its dates: they must exist, and today must fall within them. */
	votingDates(f, to) {
		if (to !== 'votacion') return null;
		const w = f.timetable.find((e) => e.phase === 'votacion');
		if (!w) return { code: 'votingDatesMissing', level: 'blocking', fix: 'timetable' };
		if (f.today < w.startsOn)
			return { code: 'votingNotStarted', level: 'blocking', fix: 'timetable', params: { date: w.startsOn } };
		return null;
	},
	/** Shares that do not add up to the ceiling: money left unassigned or promised twice. */
	splitNotSumming(f, to) {
		if (idx(to) > idx('votacion') || f.splitCount === 0 || f.splitTotalCents === f.budgetCents) return null;
		return {
			code: 'splitNotSumming',
			level: 'blocking',
			fix: 'split',
			params: { split: f.splitTotalCents, budget: f.budgetCents }
		};
	},
	/**
	 * Without a census nobody is verified against it: voting cannot open (blocking); intake can, since officials may
	 * verify residents in person meanwhile (a warning).
	 */
	noCensus(f, to) {
		if (f.censusCount > 0 || (to !== 'propuestas' && to !== 'votacion')) return null;
		return { code: 'noCensus', level: to === 'votacion' ? 'blocking' : 'warning', fix: 'census' };
	},
	/** Proposals still being evaluated would be left off the ballot unseen. */
	pendingEvaluation(f, to) {
		return to === 'votacion' && f.pendingEvaluationCount > 0
			? { code: 'pendingEvaluation', level: 'blocking', fix: 'proposals', params: { count: f.pendingEvaluationCount } }
			: null;
	},
	/** Quechua ballots would show these in Spanish. */
	noTranslation(f, to) {
		return to === 'votacion' && f.untranslatedCount > 0
			? { code: 'noTranslation', level: 'warning', fix: 'proposals', params: { count: f.untranslatedCount } }
			: null;
	},
	/** Only web voting: residents without a phone have nowhere to vote. */
	noStation(f, to) {
		return to === 'votacion' && f.stationCount === 0 ? { code: 'noStation', level: 'warning', fix: 'stations' } : null;
	},
	/** Nobody holds the role that runs a polling station and keys the paper ballots. */
	noStationOfficial(f, to) {
		return to === 'votacion' && f.stationOfficialCount === 0
			? { code: 'noStationOfficial', level: 'warning', fix: 'roles' }
			: null;
	},
	/**
	 * Nobody holds «Equipo técnico» while proposals are (or are about to be) evaluated: nobody can record a verdict,
	 * not even an administrator, until someone is given the role.
	 */
	noTechnical(f, to) {
		const evaluating = to === 'evaluacion' || (to === 'votacion' && f.pendingEvaluationCount > 0);
		return evaluating && f.technicalCount === 0 ? { code: 'noTechnical', level: 'warning', fix: 'roles' } : null;
	},
	/** No participating agents registered: nobody to score proposals or sign the acta. */
	noAgents(f, to) {
		return idx(to) <= idx('votacion') && idx(to) >= idx('evaluacion') && f.agentCount === 0
			? { code: 'noAgents', level: 'warning', fix: 'agents' }
			: null;
	}
};

/** The checklist of the current phase: what the move to the next phase needs (blocking first). */
export function readiness(f: ReadinessFacts, to: Phase | null = nextPhase(f.phase)): ReadinessItem[] {
	if (!to || idx(to) < idx(f.phase)) return [];
	const items = Object.values(CHECKS)
		.map((check) => check(f, to))
		.filter((i): i is ReadinessItem => i !== null);
	return [...items.filter((i) => i.level === 'blocking'), ...items.filter((i) => i.level === 'warning')];
}

export const isBlocked = (items: readonly ReadinessItem[]) => items.some((i) => i.level === 'blocking');

/** What a phase change freezes or opens, for the confirmation page (translated under `phaseChange.effects`). */
export function phaseEffects(from: Phase, to: Phase): { code: string; irreversible: boolean }[] {
	if (idx(to) < idx(from)) return [{ code: `back_${to}`, irreversible: false }];
	switch (to) {
		case 'propuestas':
			return [{ code: 'opensProposals', irreversible: false }];
		case 'evaluacion':
			return [{ code: 'closesProposals', irreversible: false }];
		case 'votacion':
			return [
				{ code: 'freezesRules', irreversible: true },
				{ code: 'buildsBallot', irreversible: true },
				{ code: 'opensVoting', irreversible: true }
			];
		case 'resultados':
			return [{ code: 'closesVoting', irreversible: true }];
		case 'formalizacion':
			return [{ code: 'opensFormalization', irreversible: false }];
		case 'seguimiento':
			return [{ code: 'opensFollowUp', irreversible: false }];
		default:
			return [];
	}
}
