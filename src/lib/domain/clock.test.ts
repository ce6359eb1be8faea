import { describe, expect, it } from 'vitest';
import { limaToday } from './clock';

describe('limaToday', () => {
	it('turns the day at midnight in Lima, 05:00 UTC', () => {
		expect(limaToday(Date.UTC(2026, 6, 28, 4, 59, 59, 999))).toBe('2026-07-27');
		expect(limaToday(Date.UTC(2026, 6, 28, 5, 0, 0, 0))).toBe('2026-07-28');
	});
	it('reads the clock when given no time', () => {
		const before = limaToday(Date.now());
		expect([before, limaToday(Date.now() + 1000)]).toContain(limaToday());
	});
});
