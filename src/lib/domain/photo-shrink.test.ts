import { describe, it, expect } from 'vitest';
import { keepShrunk, shrinkPlan, SHRINK_MAX_SIDE } from './photo-shrink';

describe('shrinking a photo before upload', () => {
	it('brings a phone photo down to the long side the server keeps, keeping its proportions', () => {
		expect(shrinkPlan(4000, 3000, 4_800_000)).toEqual({ width: SHRINK_MAX_SIDE, height: 1200 });
		expect(shrinkPlan(3000, 4000, 4_800_000)).toEqual({ width: 1200, height: SHRINK_MAX_SIDE });
	});

	it('never enlarges; re-encodes a small but heavy photo at its own size', () => {
		expect(shrinkPlan(1200, 900, 2_000_000)).toEqual({ width: 1200, height: 900 });
	});

	it('sends a photo already small and light as it is, and an unreadable size too', () => {
		expect(shrinkPlan(1200, 900, 200_000)).toBeNull();
		expect(shrinkPlan(0, 900, 5_000_000)).toBeNull();
		expect(shrinkPlan(NaN, 900, 5_000_000)).toBeNull();
	});

	it('keeps the re-encoded file only when it is lighter', () => {
		expect(keepShrunk(4_800_000, 300_000)).toBe(true);
		expect(keepShrunk(300_000, 300_001)).toBe(false);
		expect(keepShrunk(300_000, 0)).toBe(false);
	});
});
