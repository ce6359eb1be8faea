/**
 * The round form in four steps (ordinance and budget → zones and split → timetable → ballot and decision rules).
 * Each step posts only its own fields; the server lays them over the round as stored (`roundFormValues`) and runs
 * the one round validation (`parseRoundForm` in server/rounds) on the whole, so a step is checked exactly like the
 * full form was and the round is kept as a draft between steps. Pure: no storage, no framework.
 */
import { centsToSolesString } from './money';
import { PHASES, PRIVATE_BELOW_DEFAULT, type Phase, type RoundRules } from './round-rules';
import type { TimetableEntry } from './phases';

export const ROUND_STEPS = ['general', 'split', 'timetable', 'rules'] as const;
export type RoundStep = (typeof ROUND_STEPS)[number];

export const isRoundStep = (s: unknown): s is RoundStep => ROUND_STEPS.includes(s as RoundStep);
export const nextStep = (s: RoundStep): RoundStep | null => ROUND_STEPS[ROUND_STEPS.indexOf(s) + 1] ?? null;
export const previousStep = (s: RoundStep): RoundStep | null => ROUND_STEPS[ROUND_STEPS.indexOf(s) - 1] ?? null;

export const RULE_FIELDS = [
	'ballotType',
	'maxChoices',
	'k',
	'points',
	'maxPerProject',
	'voteScope',
	'minAge',
	'decisionRule',
	'voteWeight',
	'scoreWeight',
	'allocation',
	'mesCompletion',
	'tieBreak',
	'privateBelow'
] as const;

/** The form fields each step owns (the zones' share fields depend on the municipality's zones). */
export function stepFields(step: RoundStep, zoneIds: readonly number[]): string[] {
	switch (step) {
		case 'general':
			return [
				'fiscalYear',
				'titleEs',
				'titleQu',
				'descriptionEs',
				'descriptionQu',
				'ordinanceNumber',
				'ordinanceDate',
				'budget'
			];
		case 'split':
			return ['budgetWide', ...zoneIds.map((id) => `budgetZone${id}`)];
		case 'timetable':
			return PHASES.flatMap((p) => [`start_${p}`, `end_${p}`]);
		case 'rules':
			return [...RULE_FIELDS];
	}
}

export interface StoredRound {
	fiscalYear: number;
	titleEs: string;
	titleQu: string | null;
	descriptionEs: string | null;
	descriptionQu: string | null;
	ordinanceNumber: string | null;
	ordinanceDate: string | null;
	budgetCents: number;
	rules: RoundRules;
}

const soles = (c: number | undefined) => (c === undefined ? '' : centsToSolesString(c));

/**
 * A round as the form's fields (strings), or the form's defaults for a new round. The pages fill their inputs from
 * it and the server lays a step's post over it.
 */
export function roundFormValues(
	round: StoredRound | null | undefined,
	budgets: readonly { zoneId: number | null; amountCents: number }[],
	timetable: readonly TimetableEntry[],
	zoneIds: readonly number[],
	defaultYear = new Date().getFullYear() + 1
): Record<string, string> {
	const rules = round?.rules;
	const b = rules?.ballot;
	const d = rules?.decision;
	const o: Record<string, string> = {
		fiscalYear: String(round?.fiscalYear ?? defaultYear),
		titleEs: round?.titleEs ?? '',
		titleQu: round?.titleQu ?? '',
		descriptionEs: round?.descriptionEs ?? '',
		descriptionQu: round?.descriptionQu ?? '',
		ordinanceNumber: round?.ordinanceNumber ?? '',
		ordinanceDate: round?.ordinanceDate ?? '',
		budget: round ? soles(round.budgetCents) : '',
		budgetWide: soles(budgets.find((x) => x.zoneId === null)?.amountCents),
		ballotType: b?.type ?? 'approval',
		maxChoices: String(b?.type === 'approval' ? b.maxChoices : 3),
		points: String(b?.type === 'cumulative' ? b.points : 10),
		maxPerProject: String(b?.type === 'cumulative' ? b.maxPerProject : 5),
		k: String(b?.type === 'ranked' ? b.k : 3),
		voteScope: rules?.voteScope ?? 'own_zone_and_wide',
		minAge: String(rules?.minAge ?? 16),
		decisionRule: d?.rule ?? 'votes',
		voteWeight: String(d?.rule === 'mix' ? d.voteWeight : 50),
		scoreWeight: String(d?.rule === 'mix' ? d.scoreWeight : 50),
		allocation: rules?.allocation ?? 'greedy',
		// Add-one is the default for MES; rules frozen before the choice existed ran plain MES.
		mesCompletion: rules?.mesCompletion ?? (rules?.allocation === 'mes' ? 'none' : 'add1'),
		tieBreak: rules?.tieBreak ?? 'cost',
		privateBelow: String(rules?.privateBelow ?? PRIVATE_BELOW_DEFAULT)
	};
	for (const id of zoneIds) o[`budgetZone${id}`] = soles(budgets.find((x) => x.zoneId === id)?.amountCents);
	for (const p of timetable) {
		o[`start_${p.phase}`] = p.startsOn;
		o[`end_${p.phase}`] = p.endsOn;
	}
	return o;
}

/**
 * The whole form after one step: the stored values, with the step's own fields replaced by what was posted. A
 * field the step did not send (a disabled input) keeps its stored value. The correction reason (`amendmentReason`)
 * is taken only from the post.
 */
export function mergeStep(
	stored: Record<string, string>,
	posted: Record<string, string>,
	step: RoundStep,
	zoneIds: readonly number[]
): Record<string, string> {
	const out = { ...stored };
	for (const f of stepFields(step, zoneIds)) if (f in posted) out[f] = posted[f];
	if (posted.amendmentReason !== undefined) out.amendmentReason = posted.amendmentReason;
	return out;
}

/**
 * The standard template a municipality can start from (beside cloning an earlier round): a title, the default
 * rules and matrix, and the usual calendar of the process in the year before the fiscal year it budgets —
 * preparation in January and February, proposals in March and April, technical evaluation in May, voting in June,
 * results and formalisation (acta) in July, follow-up through the fiscal year. Officials review every step.
 */
export function standardTimetable(fiscalYear: number): TimetableEntry[] {
	const y = fiscalYear - 1;
	const rows: [Phase, string, string][] = [
		['preparacion', `${y}-01-15`, `${y}-02-28`],
		['propuestas', `${y}-03-01`, `${y}-04-30`],
		['evaluacion', `${y}-05-01`, `${y}-05-31`],
		['votacion', `${y}-06-01`, `${y}-06-15`],
		['resultados', `${y}-06-16`, `${y}-06-30`],
		['formalizacion', `${y}-07-01`, `${y}-07-31`],
		['seguimiento', `${fiscalYear}-01-01`, `${fiscalYear}-12-31`]
	];
	return rows.map(([phase, startsOn, endsOn]) => ({ phase, startsOn, endsOn }));
}

/** The template's form values for a new round (its titles come from messages: `rounds.template.title`). */
export function standardTemplateValues(fiscalYear: number): Record<string, string> {
	return roundFormValues(null, [], standardTimetable(fiscalYear), [], fiscalYear);
}
