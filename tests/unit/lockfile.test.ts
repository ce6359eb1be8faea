/**
 * `npm ci` refuses a lock that lacks any package some locked package asks for, optional ones included (npm 11 once
 * wrote a lock without rollup's other-platform builds and then refused it). This keeps the lock complete so CI can
 * run `npm ci` with no fallback.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

interface Entry {
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	peerDependenciesMeta?: Record<string, { optional?: boolean }>;
	dev?: boolean;
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, Entry> };
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Entry;

/** Node's lookup: <from>/node_modules/<name>, then each enclosing node_modules up to the root. */
function resolves(from: string, name: string): boolean {
	let base = from;
	for (;;) {
		if (lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
		if (!base) return false;
		const i = base.lastIndexOf('/node_modules/');
		base = i < 0 ? '' : base.slice(0, i);
	}
}

describe('package-lock.json', () => {
	it("records package.json's dependencies exactly as package.json asks", () => {
		const root = lock.packages[''];
		expect(root.dependencies).toEqual(pkg.dependencies);
		expect(root.devDependencies).toEqual(pkg.devDependencies);
	});

	it('records every dependency of every locked package, optional platform builds included', () => {
		const missing: string[] = [];
		for (const [key, entry] of Object.entries(lock.packages)) {
			const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
			if (key === '') Object.assign(wanted, entry.devDependencies);
			for (const name of Object.keys(wanted)) if (!resolves(key, name)) missing.push(`${key || '(root)'} → ${name}`);
		}
		expect(missing).toEqual([]);
	});
});
