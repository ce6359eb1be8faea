import { describe, expect, it } from 'vitest';
import {
	ROUND_STEPS,
	mergeStep,
	nextStep,
	previousStep,
	roundFormValues,
	standardTimetable,
	stepFields
} from './round-form';
import { checkTimetable } from './phases';
import { DEFAULT_RULES } from './round-rules';

const stored = roundFormValues(
	{
		fiscalYear: 2027,
		titleEs: 'PP 2027',
		titleQu: null,
		descriptionEs: null,
		descriptionQu: null,
		ordinanceNumber: '001',
		ordinanceDate: '2026-01-15',
		budgetCents: 1_000_000_50,
		rules: { ...DEFAULT_RULES, ballot: { type: 'approval', maxChoices: 4 } }
	},
	[
		{ zoneId: null, amountCents: 400_000_50 },
		{ zoneId: 7, amountCents: 600_000_00 }
	],
	[{ phase: 'votacion', startsOn: '2026-06-01', endsOn: '2026-06-15' }],
	[7, 8]
);

describe('the round form in four steps', () => {
	it('runs ordinance and budget → zones and split → timetable → rules, with a way back', () => {
		expect(ROUND_STEPS).toEqual(['general', 'split', 'timetable', 'rules']);
		expect(nextStep('general')).toBe('split');
		expect(nextStep('rules')).toBeNull();
		expect(previousStep('split')).toBe('general');
		expect(previousStep('general')).toBeNull();
	});
	it('shows the stored round as the form would send it', () => {
		expect(stored).toMatchObject({
			budget: '1000000.5',
			budgetWide: '400000.5',
			budgetZone7: '600000',
			budgetZone8: '',
			start_votacion: '2026-06-01',
			maxChoices: '4',
			ordinanceDate: '2026-01-15'
		});
	});
	it('a step replaces only its own fields; what it did not send keeps the stored value', () => {
		const merged = mergeStep(
			stored,
			{ budgetWide: '', budgetZone8: '400000.5', titleEs: 'sneaked in', maxChoices: '9' },
			'split',
			[7, 8]
		);
		expect(merged.budgetWide).toBe('');
		expect(merged.budgetZone8).toBe('400000.5');
		expect(merged.budgetZone7).toBe('600000'); // not sent: kept
		expect(merged.titleEs).toBe('PP 2027'); // another step's field: ignored
		expect(merged.maxChoices).toBe('4');
		// A disabled rules fieldset (frozen round) sends nothing: the stored rules stay.
		expect(mergeStep(stored, {}, 'rules', [7, 8])).toEqual(stored);
		// The correction reason comes only from the post.
		expect(mergeStep(stored, { amendmentReason: 'Acuerdo' }, 'timetable', []).amendmentReason).toBe('Acuerdo');
	});
	it('every field belongs to exactly one step', () => {
		const all = ROUND_STEPS.flatMap((s) => stepFields(s, [7, 8]));
		expect(new Set(all).size).toBe(all.length);
		const formFields = Object.keys(stored).filter((k) => !k.startsWith('start_') && !k.startsWith('end_'));
		for (const f of formFields) expect(all, f).toContain(f);
	});
	it("the standard template's calendar is valid and runs in the year before the fiscal year", () => {
		const tt = standardTimetable(2028);
		expect(checkTimetable(tt)).toEqual({ ok: true });
		expect(tt.map((e) => e.phase)).toEqual([
			'preparacion',
			'propuestas',
			'evaluacion',
			'votacion',
			'resultados',
			'formalizacion',
			'seguimiento'
		]);
		expect(tt.find((e) => e.phase === 'votacion')).toEqual({
			phase: 'votacion',
			startsOn: '2027-06-01',
			endsOn: '2027-06-15'
		});
		expect(tt.find((e) => e.phase === 'seguimiento')?.startsOn).toBe('2028-01-01');
	});
});
