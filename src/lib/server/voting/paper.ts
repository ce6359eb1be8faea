/** The round as voters see it: loading, the voting window, eligibility and the ballot paper. */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { findRound } from '../rounds';
import { UserError } from '../../domain/errors';
import { ON_BALLOT } from '../../domain/proposal-status';
import { limaToday } from '../../domain/clock';
import {
	checkEligibility,
	parseSectionForm,
	validateSection,
	type SectionChoices,
	type SectionSpec
} from '../../domain/ballot';
import type { BallotRule, RoundRules } from '../../domain/round-rules';
import type { Db } from '../db/client';
import {
	persons,
	proposals,
	roundBudgets,
	roundPhases,
	rounds,
	votingSealProgress,
	votingSeals,
	zones
} from '../db/schema/index';
import { PHASES } from '../../domain/round-rules';

export type RoundRow = typeof rounds.$inferSelect;

/** The round as voters reach it (the one loader, ../rounds), refused as "this process does not exist". */
export function loadRound(db: Db, municipalityId: number, roundId: number): RoundRow {
	return findRound(db, municipalityId, roundId, 'ballot.roundNotFound');
}

export function votingWindow(db: Db, roundId: number) {
	return prepared(db, 'voting.window', () =>
		db
			.select({ startsOn: roundPhases.startsOn, endsOn: roundPhases.endsOn })
			.from(roundPhases)
			.where(and(eq(roundPhases.roundId, sql.placeholder('roundId')), eq(roundPhases.phase, 'votacion')))
			.prepare()
	).get({ roundId });
}

/** Whether the voting window has ended by the round's phase or timetable (sealed or not yet). */
export function windowEnded(db: Db, round: Pick<RoundRow, 'id' | 'phase'>, now = Date.now()): boolean {
	const i = PHASES.indexOf(round.phase);
	if (i < PHASES.indexOf('votacion')) return false;
	if (i > PHASES.indexOf('votacion')) return true;
	const w = votingWindow(db, round.id);
	return Boolean(w && limaToday(now) > w.endsOn);
}

export function isSealed(db: Db, roundId: number): boolean {
	return Boolean(
		prepared(db, 'voting.sealed', () =>
			db
				.select({ roundId: votingSeals.roundId })
				.from(votingSeals)
				.where(eq(votingSeals.roundId, sql.placeholder('roundId')))
				.prepare()
		).get({ roundId })
	);
}

/** A seal has begun and not finished (seal.ts): the round is already closed for voting. */
export function sealPending(db: Db, roundId: number): boolean {
	return Boolean(
		prepared(db, 'voting.sealPending', () =>
			db
				.select({ roundId: votingSealProgress.roundId })
				.from(votingSealProgress)
				.where(eq(votingSealProgress.roundId, sql.placeholder('roundId')))
				.prepare()
		).get({ roundId })
	);
}

/**
 * Voting is open while the round is in its voting phase, the timetable's last voting day has not passed and the
 * window has not been closed early ("close voting now" seals it).
 */
export function requireOpen(db: Db, round: RoundRow, now = Date.now()) {
	if (round.phase !== 'votacion' || windowEnded(db, round, now) || isSealed(db, round.id) || sealPending(db, round.id))
		throw new UserError('ballot.closed', {}, 409);
}

/** The day on which age is counted: the first voting day of the timetable, else the day the phase opened. */
export function votingDate(db: Db, round: RoundRow): string {
	const w = votingWindow(db, round.id);
	if (w) return w.startsOn;
	return limaToday(round.phaseChangedAt ?? Date.now());
}

export interface BallotProjectView {
	id: number;
	seq: number;
	title: string;
	/** The title shown is a reviewed translation (the original is in the other language). */
	translated: boolean;
	summary: string;
	costCents: number;
}

export interface BallotSectionView extends SectionSpec {
	index: number;
	zoneId: number | null;
	zoneName: string | null;
	projects: BallotProjectView[];
}

export interface BallotPaper extends BallotSpec {
	round: { id: number; title: string; phase: string; rules: RoundRules };
	rule: BallotRule;
	sections: BallotSectionView[];
}

/** What checking a ballot needs: the rule and, per section, its budget and the ids and costs on it (no display). */
export interface BallotSpec {
	rule: BallotRule;
	sections: (SectionSpec & { index: number; zoneId: number | null })[];
}

export function summarise(text: string, max = 140): string {
	const t = text.replace(/\s+/g, ' ').trim();
	return t.length <= max ? t : t.slice(0, max - 1).trimEnd() + '…';
}

/** The ballot paper for a set of budget sections: the feasible proposals of each, in public-number order. */
export function paperFor(
	db: Db,
	round: RoundRow,
	sections: { zoneId: number | null; budgetCents: number }[],
	locale: string
): BallotPaper {
	const rows = prepared(db, 'voting.ballotProposals', () =>
		db
			.select()
			.from(proposals)
			.where(and(eq(proposals.roundId, sql.placeholder('roundId')), inArray(proposals.status, [...ON_BALLOT])))
			.orderBy(asc(proposals.seq))
			.prepare()
	).all({ roundId: round.id });
	const zoneNames = new Map(
		prepared(db, 'voting.zoneNames', () =>
			db
				.select({ id: zones.id, name: zones.name })
				.from(zones)
				.where(eq(zones.municipalityId, sql.placeholder('m')))
				.prepare()
		)
			.all({ m: round.municipalityId })
			.map((z) => [z.id, z.name])
	);
	const view = sections.map((s, index) => ({
		index,
		zoneId: s.zoneId,
		zoneName: s.zoneId === null ? null : (zoneNames.get(s.zoneId) ?? null),
		budgetCents: s.budgetCents,
		projects: rows
			.filter((p) => p.zoneId === s.zoneId)
			.map((p) => {
				const translated = p.originalLocale !== locale && Boolean(p.translatedTitle);
				return {
					id: p.id,
					seq: p.seq,
					title: translated ? p.translatedTitle! : p.title,
					translated,
					summary: summarise(translated && p.translatedDescription ? p.translatedDescription : p.description),
					costCents: p.adjustedCostCents ?? p.estimatedCostCents
				};
			})
	}));
	const title = locale === 'qu' && round.titleQu ? round.titleQu : round.titleEs;
	return {
		round: { id: round.id, title, phase: round.phase, rules: round.rules },
		rule: round.rules.ballot,
		sections: view
	};
}

/**
 * The ballot as the casting transaction checks it: ids and costs only. No titles, summaries, translations or zone
 * names — display work has no place inside the write lock.
 */
export function specFor(
	db: Db,
	round: RoundRow,
	sections: { zoneId: number | null; budgetCents: number }[]
): BallotSpec {
	const rows = prepared(db, 'voting.ballotSpec', () =>
		db
			.select({
				id: proposals.id,
				zoneId: proposals.zoneId,
				estimatedCostCents: proposals.estimatedCostCents,
				adjustedCostCents: proposals.adjustedCostCents
			})
			.from(proposals)
			.where(and(eq(proposals.roundId, sql.placeholder('roundId')), inArray(proposals.status, [...ON_BALLOT])))
			.orderBy(asc(proposals.seq))
			.prepare()
	).all({ roundId: round.id });
	return {
		rule: round.rules.ballot,
		sections: sections.map((s, index) => ({
			index,
			zoneId: s.zoneId,
			budgetCents: s.budgetCents,
			projects: rows
				.filter((p) => p.zoneId === s.zoneId)
				.map((p) => ({ id: p.id, costCents: p.adjustedCostCents ?? p.estimatedCostCents }))
		}))
	};
}

export function budgetsOf(db: Db, roundId: number) {
	return prepared(db, 'voting.budgets', () =>
		db
			.select({ zoneId: roundBudgets.zoneId, amountCents: roundBudgets.amountCents })
			.from(roundBudgets)
			.where(eq(roundBudgets.roundId, sql.placeholder('roundId')))
			.prepare()
	).all({ roundId });
}

/** Sections this person may vote in, or the precise reason they may not. */
export function eligibleSections(
	db: Db,
	round: RoundRow,
	person: Pick<typeof persons.$inferSelect, 'verifiedAt' | 'birthDate' | 'zoneId'>
) {
	let budgets = budgetsOf(db, round.id);
	// A round without a split has one municipality-wide budget: its ceiling.
	if (!budgets.length) budgets = [{ zoneId: null, amountCents: round.budgetCents }];
	const e = checkEligibility(
		{ verified: Boolean(person.verifiedAt), birthDate: person.birthDate, zoneId: person.zoneId },
		{ minAge: round.rules.minAge, voteScope: round.rules.voteScope, votingDate: votingDate(db, round), budgets }
	);
	if (!e.ok) throw new UserError(e.error.code, e.error.params, 403);
	return e.sections;
}

export function personOf(db: Db, municipalityId: number, personId: number) {
	const p = prepared(db, 'voting.person', () =>
		db
			.select()
			.from(persons)
			.where(and(eq(persons.id, sql.placeholder('id')), eq(persons.municipalityId, sql.placeholder('m'))))
			.prepare()
	).get({ id: personId, m: municipalityId });
	if (!p) throw new UserError('forbidden', {}, 403);
	return p;
}

/** Reads and checks the whole ballot form: each section by the round's rule. Errors name the section. */
export function readBallotForm(paper: BallotSpec, get: (name: string) => string[]): SectionChoices[] {
	return paper.sections.map((s) => {
		const r = parseSectionForm(paper.rule, s, `s${s.index}`, get);
		if (!r.ok) throw new UserError(r.error.code, { ...r.error.params, section: s.index + 1 }, 400);
		return r.choices;
	});
}

/** Checks the choices again against the sections, inside the transaction (the round may have changed since the page). */
export function checkChoices(paper: BallotSpec, choices: SectionChoices[]) {
	if (choices.length !== paper.sections.length) throw new UserError('ballot.invalid', {}, 400);
	return paper.sections.map((s, i) => {
		const r = validateSection(paper.rule, s, choices[i]);
		if (!r.ok) throw new UserError(r.error.code, { ...r.error.params, section: s.index + 1 }, 400);
		return { zoneId: s.zoneId, choices: r.choices };
	});
}

/** Public facts about a round for the receipt page and links (no counts while voting is open). */
export function roundHeader(db: Db, municipalityId: number, roundId: number, locale: string) {
	const r = loadRound(db, municipalityId, roundId);
	return { id: r.id, title: locale === 'qu' && r.titleQu ? r.titleQu : r.titleEs, phase: r.phase };
}
