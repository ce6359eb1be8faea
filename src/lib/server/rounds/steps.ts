/**
 * The round form in steps (domain/round-form.ts): step 1 creates the round as a draft in «Preparación»; each later
 * step lays its fields over the stored round and saves the whole through the one round validation (parseRoundForm)
 * and the one writer (updateRound), so no rule is checked twice or differently.
 */
import { mergeStep, roundFormValues, standardTemplateValues, type RoundStep } from '../../domain/round-form';
import type { Db } from '../db/client';
import type { Actor } from '../platform/policy';
import type { PendingUpload } from '../platform/uploads';
import { createRound, parseRoundForm, roundDetail, updateRound, type Round } from './rounds';

type Ordinance = PendingUpload | null;

/** A form's text fields (files are read by the route). */
export function postedFields(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
	return out;
}

function asForm(values: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.set(k, v);
	return f;
}

/** The stored round as the form's values: what a step page shows and what a step's post is laid over. */
export function storedRoundValues(db: Db, municipalityId: number, roundId: number, zoneIds: readonly number[]) {
	const d = roundDetail(db, municipalityId, roundId);
	return roundFormValues(d.round, d.budgets, d.timetable, zoneIds);
}

/** The values a new round starts from: the form's defaults, or the standard template's calendar. */
export function newRoundValues(template: boolean, fiscalYear: number, zoneIds: readonly number[]) {
	return template ? standardTemplateValues(fiscalYear) : roundFormValues(null, [], [], zoneIds, fiscalYear);
}

/** Step 1 of a new round: the round is created (a draft in «Preparación») from step 1's fields over the defaults. */
export function createRoundFromStep(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	posted: Record<string, string>,
	zoneIds: readonly number[],
	ordinance: Ordinance
): Round {
	const year = Number(posted.fiscalYear);
	const base = newRoundValues(
		posted.template === 'standard',
		Number.isInteger(year) ? year : new Date().getFullYear() + 1,
		zoneIds
	);
	const input = parseRoundForm(asForm(mergeStep(base, posted, 'general', zoneIds)), [...zoneIds]);
	return createRound(db, actor, municipalityId, input, ordinance);
}

/** Any step of an existing round: its fields over the stored round, validated as a whole, then saved. */
export function saveRoundStep(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	step: RoundStep,
	posted: Record<string, string>,
	zoneIds: readonly number[],
	ordinance: Ordinance
): Round {
	const stored = storedRoundValues(db, municipalityId, roundId, zoneIds);
	const input = parseRoundForm(asForm(mergeStep(stored, posted, step, zoneIds)), [...zoneIds]);
	return updateRound(db, actor, municipalityId, roundId, input, ordinance);
}
