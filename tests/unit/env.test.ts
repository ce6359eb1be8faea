import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv } from '../../src/cli/env.js';

describe('.env', () => {
	it('is loaded into process.env when the folder has one', () => {
		const dir = mkdtempSync(join(tmpdir(), 'minka-env-'));
		writeFileSync(join(dir, '.env'), 'MINKA_TEST_FROM_FILE=yes\n');
		delete process.env.MINKA_TEST_FROM_FILE;
		expect(loadDotEnv(dir)).toBe(join(dir, '.env'));
		expect(process.env.MINKA_TEST_FROM_FILE).toBe('yes');
	});

	it('never overrides a variable set in the real environment', () => {
		const dir = mkdtempSync(join(tmpdir(), 'minka-env-'));
		writeFileSync(join(dir, '.env'), 'MINKA_TEST_BOTH=file\n');
		process.env.MINKA_TEST_BOTH = 'environment';
		loadDotEnv(dir);
		expect(process.env.MINKA_TEST_BOTH).toBe('environment');
	});

	it('is optional', () => {
		expect(loadDotEnv(mkdtempSync(join(tmpdir(), 'minka-env-')))).toBeNull();
	});
});
