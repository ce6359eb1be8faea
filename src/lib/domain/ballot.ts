/**
 * Ballot rules: what one voter may put in one section of their ballot, and who may vote at all.
 * Pure: no storage, no framework. Error codes are keys under `errors.` (all `ballot.*`), with params.
 */
import type { BallotRule, VoteScope } from './round-rules';

/** A project on one section of the ballot. */
export interface BallotProject {
	id: number;
	costCents: number;
}

/** One budget a voter votes in: a zone's (zoneId) or the municipality-wide share (zoneId null). */
export interface SectionSpec {
	zoneId: number | null;
	budgetCents: number;
	projects: readonly BallotProject[];
}

/**
 * Canonical content of one ballot section, as stored (JSON) and as counted:
 * approval/knapsack → approved ids ascending; cumulative → [id, points] ascending by id, points > 0;
 * ranked → ids, most preferred first. An empty section is a blank (valid) vote.
 */
export type SectionChoices = { approve: number[] } | { points: [number, number][] } | { rank: number[] };

export interface BallotError {
	code: string;
	params: Record<string, string | number>;
}

export type SectionCheck = { ok: true; choices: SectionChoices } | { ok: false; error: BallotError };

const err = (code: string, params: Record<string, string | number> = {}): SectionCheck => ({
	ok: false,
	error: { code: `ballot.${code}`, params }
});

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function checkIds(ids: readonly unknown[], section: SectionSpec): SectionCheck | null {
	const known = new Set(section.projects.map((p) => p.id));
	const seen = new Set<number>();
	for (const id of ids) {
		if (!isId(id) || !known.has(id)) return err('unknownProject');
		if (seen.has(id)) return err('duplicate');
		seen.add(id);
	}
	return null;
}

/**
 * Validates untrusted choices for one section under the round's ballot rule. The caller passes the choices in the
 * canonical shape (from `parseSectionForm` or JSON); the answer is the canonical, sorted form or a precise error.
 */
export function validateSection(rule: BallotRule, section: SectionSpec, input: unknown): SectionCheck {
	if (!input || typeof input !== 'object') return err('invalid');
	const c = input as Record<string, unknown>;
	switch (rule.type) {
		case 'approval':
		case 'knapsack': {
			if (!Array.isArray(c.approve)) return err('invalid');
			const bad = checkIds(c.approve, section);
			if (bad) return bad;
			const ids = [...(c.approve as number[])].sort((a, b) => a - b);
			if (rule.type === 'approval') {
				if (ids.length > rule.maxChoices) return err('tooMany', { max: rule.maxChoices, count: ids.length });
			} else {
				const cost = new Map(section.projects.map((p) => [p.id, p.costCents]));
				const total = ids.reduce((s, id) => s + cost.get(id)!, 0);
				if (total > section.budgetCents)
					return err('overBudget', {
						totalCents: total,
						budgetCents: section.budgetCents,
						overCents: total - section.budgetCents
					});
			}
			return { ok: true, choices: { approve: ids } };
		}
		case 'cumulative': {
			if (!Array.isArray(c.points)) return err('invalid');
			const pairs = c.points as unknown[];
			if (!pairs.every((p) => Array.isArray(p) && p.length === 2)) return err('invalid');
			const bad = checkIds(
				pairs.map((p) => (p as unknown[])[0]),
				section
			);
			if (bad) return bad;
			let used = 0;
			const out: [number, number][] = [];
			for (const [id, pts] of pairs as [number, unknown][]) {
				if (typeof pts !== 'number' || !Number.isSafeInteger(pts) || pts < 0) return err('pointsInvalid');
				if (pts > rule.maxPerProject) return err('pointsPerProject', { max: rule.maxPerProject, given: pts });
				used += pts;
				if (pts > 0) out.push([id, pts]);
			}
			if (used > rule.points) return err('pointsOver', { points: rule.points, used });
			out.sort((a, b) => a[0] - b[0]);
			return { ok: true, choices: { points: out } };
		}
		case 'ranked': {
			if (!Array.isArray(c.rank)) return err('invalid');
			const bad = checkIds(c.rank, section);
			if (bad) return bad;
			if (c.rank.length > rule.k) return err('rankTooMany', { k: rule.k, count: c.rank.length });
			return { ok: true, choices: { rank: [...(c.rank as number[])] } };
		}
	}
}

/** Total cost of the approved projects (for the budget meter and the confirmation step). */
export function chosenCostCents(section: SectionSpec, choices: SectionChoices): number {
	if (!('approve' in choices)) return 0;
	const cost = new Map(section.projects.map((p) => [p.id, p.costCents]));
	return choices.approve.reduce((s, id) => s + (cost.get(id) ?? 0), 0);
}

export function isBlank(choices: SectionChoices): boolean {
	if ('approve' in choices) return choices.approve.length === 0;
	if ('points' in choices) return choices.points.length === 0;
	return choices.rank.length === 0;
}

/**
 * Reads one section of the ballot form. Field names (prefix = `s<index>`):
 * approval/knapsack: `<prefix>` repeated with project ids (checkboxes);
 * cumulative: `<prefix>_p<id>` = points (empty = 0); ranked: `<prefix>_r<id>` = rank 1..k (empty = not ranked).
 * Form problems (not a number, rank out of range, two projects with the same rank) are reported here;
 * the rules themselves are then checked by `validateSection`.
 */
export function parseSectionForm(
	rule: BallotRule,
	section: SectionSpec,
	prefix: string,
	get: (name: string) => string[]
): SectionCheck {
	switch (rule.type) {
		case 'approval':
		case 'knapsack': {
			const raw = get(prefix);
			const ids: number[] = [];
			for (const v of raw) {
				if (!/^\d{1,15}$/.test(v.trim())) return err('unknownProject');
				const id = Number(v);
				if (!ids.includes(id)) ids.push(id); // a resubmitted checkbox is the same choice, not a duplicate
			}
			return validateSection(rule, section, { approve: ids });
		}
		case 'cumulative': {
			const points: [number, number][] = [];
			for (const p of section.projects) {
				const v = (get(`${prefix}_p${p.id}`)[0] ?? '').trim();
				if (v === '') continue;
				if (!/^\d{1,6}$/.test(v)) return err('pointsInvalid');
				const n = Number(v);
				if (n > 0) points.push([p.id, n]);
			}
			return validateSection(rule, section, { points });
		}
		case 'ranked': {
			const byRank = new Map<number, number>();
			for (const p of section.projects) {
				const v = (get(`${prefix}_r${p.id}`)[0] ?? '').trim();
				if (v === '') continue;
				if (!/^\d{1,4}$/.test(v)) return err('rankRange', { k: rule.k });
				const r = Number(v);
				if (r < 1 || r > rule.k) return err('rankRange', { k: rule.k });
				if (byRank.has(r)) return err('rankDuplicate', { rank: r });
				byRank.set(r, p.id);
			}
			// Ranks 1 and 3 without 2 keep their order: the voter's preference is clear.
			const rank = [...byRank.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
			return validateSection(rule, section, { rank });
		}
	}
}

/** The inverse of parseSectionForm: form values that reproduce these choices (to refill the form). */
export function sectionFormValues(prefix: string, choices: SectionChoices): [string, string][] {
	if ('approve' in choices) return choices.approve.map((id) => [prefix, String(id)]);
	if ('points' in choices) return choices.points.map(([id, n]) => [`${prefix}_p${id}`, String(n)]);
	return choices.rank.map((id, i) => [`${prefix}_r${id}`, String(i + 1)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Eligibility

export interface VoterFacts {
	verified: boolean;
	birthDate: string | null;
	zoneId: number | null;
}

export interface RoundFacts {
	minAge: number;
	voteScope: VoteScope;
	/** The date (YYYY-MM-DD) on which age is counted: the day voting opens. */
	votingDate: string;
	/** Budgets of the round: zoneId null = the municipality-wide share. */
	budgets: readonly { zoneId: number | null; amountCents: number }[];
}

export type Eligibility =
	{ ok: true; sections: { zoneId: number | null; budgetCents: number }[] } | { ok: false; error: BallotError };

/** Whole years between birthDate and onDate (both YYYY-MM-DD): the birthday itself counts. */
export function ageOn(birthDate: string, onDate: string): number {
	const [by, bm, bd] = birthDate.split('-').map(Number);
	const [y, m, d] = onDate.split('-').map(Number);
	return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Who may vote, and in which sections: verified; at least minAge on the voting date; their zone's budget
 * when the round splits by zone, plus the municipality-wide share when the scope includes it (or when the round has
 * only a municipality-wide budget, which every resident votes in).
 */
export function checkEligibility(voter: VoterFacts, round: RoundFacts): Eligibility {
	const no = (code: string, params: Record<string, string | number> = {}): Eligibility => ({
		ok: false,
		error: { code: `ballot.${code}`, params }
	});
	if (!voter.verified) return no('notVerified');
	if (!voter.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(voter.birthDate)) return no('noBirthDate');
	if (ageOn(voter.birthDate, round.votingDate) < round.minAge) return no('tooYoung', { minAge: round.minAge });
	const zoneBudgets = round.budgets.filter((b) => b.zoneId !== null);
	const wide = round.budgets.find((b) => b.zoneId === null);
	const sections: { zoneId: number | null; budgetCents: number }[] = [];
	const own = voter.zoneId === null ? undefined : zoneBudgets.find((b) => b.zoneId === voter.zoneId);
	if (own) sections.push({ zoneId: own.zoneId, budgetCents: own.amountCents });
	if (wide && (round.voteScope === 'own_zone_and_wide' || zoneBudgets.length === 0))
		sections.push({ zoneId: null, budgetCents: wide.amountCents });
	if (!sections.length) return no(voter.zoneId === null ? 'noZone' : 'zoneNotInRound');
	return { ok: true, sections };
}
