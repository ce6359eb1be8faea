import { afterEach, describe, expect, it } from 'vitest';
import { benchOnly } from './bench';

const saved = process.env.MINKA_BENCH;
afterEach(() => {
	if (saved === undefined) delete process.env.MINKA_BENCH;
	else process.env.MINKA_BENCH = saved;
});

describe('bench-only form actions', () => {
	const noop = () => null;
	it('are absent unless MINKA_BENCH=1', () => {
		delete process.env.MINKA_BENCH;
		expect(benchOnly({ benchNoop: noop })).toEqual({});
		process.env.MINKA_BENCH = 'true';
		expect(benchOnly({ benchNoop: noop })).toEqual({});
	});
	it('exist with MINKA_BENCH=1', () => {
		process.env.MINKA_BENCH = '1';
		expect(benchOnly({ benchNoop: noop })).toEqual({ benchNoop: noop });
	});
});
