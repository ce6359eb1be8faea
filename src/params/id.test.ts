import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { match } from './id';

describe('the id param matcher', () => {
	it('accepts positive integers of at most 12 digits only', () => {
		for (const ok of ['1', '42', '999999999999']) expect(match(ok), ok).toBe(true);
		for (const bad of ['', '0', '01', '-1', '+1', '1e3', '0x10', ' 1', '\n1', '1\r\n', '1.0', '9999999999999', '١'])
			expect(match(bad), JSON.stringify(bad)).toBe(false);
	});

	it('every route folder named after an id uses it ([roundId=id], [id=id], …)', () => {
		const folders: string[] = [];
		const walk = (dir: string) => {
			for (const e of readdirSync(dir, { withFileTypes: true }))
				if (e.isDirectory()) {
					folders.push(e.name);
					walk(join(dir, e.name));
				}
		};
		walk('src/routes');
		const unguarded = folders.filter((f) => /^\[(\w*Id|id)\]$/.test(f));
		expect(unguarded).toEqual([]);
		expect(folders.filter((f) => /=id\]$/.test(f)).length).toBeGreaterThanOrEqual(13);
	});
});
