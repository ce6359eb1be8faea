import { describe, expect, it } from 'vitest';
import { sharedPlan } from '../engine/helpers';

describe('checks that need ../shared', () => {
	it('run whenever the folder is there', () => {
		expect(sharedPlan(true, false)).toBe('run');
		expect(sharedPlan(true, true)).toBe('run');
	});
	it('are skipped on a clone without it, but fail in CI', () => {
		expect(sharedPlan(false, false)).toBe('skip');
		expect(sharedPlan(false, true)).toBe('fail');
	});
});
