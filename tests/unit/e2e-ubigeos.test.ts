import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';

// Browser specs share one database and a municipality's ubigeo is unique: two specs seeding the same district
// fail only when both run, in whichever order the workers take them. Each spec gets its own.
describe('the browser specs', () => {
	it('seed each municipality with an ubigeo no other spec uses', () => {
		const owner = new Map<string, string>();
		const clashes: string[] = [];
		for (const file of readdirSync('tests/e2e').filter((f) => f.endsWith('.spec.ts'))) {
			for (const [, ubigeo] of readFileSync(`tests/e2e/${file}`, 'utf8').matchAll(/ubigeo: '(\d{6})'/g)) {
				const first = owner.get(ubigeo);
				if (first && first !== file) clashes.push(`${ubigeo}: ${first} and ${file}`);
				else owner.set(ubigeo, file);
			}
		}
		expect(clashes).toEqual([]);
	});
});
