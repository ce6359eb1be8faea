// What counts as a change when a public record is corrected.
import { describe, expect, it } from 'vitest';
import { changesBetween } from './amendments';

describe('changesBetween', () => {
	const fields = { title: 'text', progress: 'percent', startsOn: 'date' } as const;

	it('lists each changed field with its kind, previous and current value, as text', () => {
		expect(
			changesBetween(
				{ title: 'Losa', progress: 40, startsOn: '2026-01-05' },
				{ title: 'Losa deportiva', progress: 50 },
				fields
			)
		).toEqual([
			{ field: 'title', kind: 'text', previous: 'Losa', current: 'Losa deportiva' },
			{ field: 'progress', kind: 'percent', previous: '40', current: '50' }
		]);
	});

	it('a field not given is unchanged; the same value as a number or text is no change; blank and null are alike', () => {
		expect(changesBetween({ title: 'Losa', progress: 40 }, { progress: '40' }, fields)).toEqual([]);
		expect(changesBetween({ title: '' }, { title: null }, fields)).toEqual([]);
		expect(changesBetween({ title: null }, { title: '' }, fields)).toEqual([]);
		expect(changesBetween({}, { title: '' }, fields)).toEqual([]);
		expect(changesBetween({ other: 1 }, { other: 2 }, fields)).toEqual([]);
	});

	it('clearing or filling a value is a change to or from nothing', () => {
		expect(changesBetween({ startsOn: '2026-01-05' }, { startsOn: null }, fields)).toEqual([
			{ field: 'startsOn', kind: 'date', previous: '2026-01-05', current: null }
		]);
		expect(changesBetween({ startsOn: '' }, { startsOn: '2026-02-01' }, fields)).toEqual([
			{ field: 'startsOn', kind: 'date', previous: null, current: '2026-02-01' }
		]);
		expect(changesBetween({ progress: 0 }, { progress: '' }, fields)).toEqual([
			{ field: 'progress', kind: 'percent', previous: '0', current: null }
		]);
	});
});
