/**
 * ../shared/pabulib/variants: real pabulib files in the format's older variant (META opens with a data row); the
 * engine must give pabutools' outcomes (`minka-tally --rule R --ties lex FILE`), and the written file the same.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePb, runRule, writePb, type RuleId } from '../../src/lib/domain/tally/index';
import { PABULIB_DIR, SHARED_PLAN, parseKey } from './helpers';

const DIR = path.join(PABULIB_DIR, 'variants');
const expected: Record<string, Record<string, string[]>> = existsSync(path.join(DIR, 'expected.json'))
	? JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8'))
	: {};

describe('pabulib variants', () => {
	it.skipIf(SHARED_PLAN === 'skip')('has both sample files', () => {
		expect(Object.keys(expected)).toHaveLength(2);
	});
	for (const [file, outcomes] of Object.entries(expected)) {
		it(`${file}: pabutools' outcomes, before and after the writer`, () => {
			const e = parsePb(readFileSync(path.join(DIR, file), 'utf8'));
			const again = parsePb(writePb(e));
			for (const [key, selected] of Object.entries(outcomes)) {
				const { rule, ties } = parseKey(key);
				const opts = { rule: rule as RuleId, ties: ties as 'lex' };
				expect([...runRule(e, opts).selected].sort(), key).toEqual(selected);
				expect([...runRule(again, opts).selected].sort(), key).toEqual(selected);
			}
		});
	}
});
