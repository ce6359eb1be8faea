/**
 * The map kept true (docs/architecture.md): every import in src/ and tests/support/ is read and checked against the
 * layering rules. Reads files as text with a regex (no TypeScript program), so it stays a fraction of a second.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = process.cwd();
const SERVER = 'src/lib/server';

function walk(dir: string, out: string[] = []): string[] {
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p, out);
		else if (/\.(ts|js|svelte)$/.test(name)) out.push(relative(ROOT, p).split(sep).join('/'));
	}
	return out;
}

/** Every module specifier in a file: static imports and re-exports, `import type`, and dynamic import('…'). */
export function specifiers(text: string): string[] {
	const out: string[] = [];
	const re =
		/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
	for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
	return out;
}

/** A specifier as a repository path (without extension) when it points inside the repo; null for packages. */
function target(from: string, spec: string): string | null {
	let p: string;
	if (spec.startsWith('$lib/')) p = join('src/lib', spec.slice(5));
	else if (spec === '$lib') p = 'src/lib';
	else if (spec.startsWith('.')) p = relative(ROOT, resolve(ROOT, dirname(from), spec));
	else return null;
	return p
		.split(sep)
		.join('/')
		.replace(/\.(ts|js)$/, '');
}

/** Feature folders: folders of src/lib/server with an index.ts, entered from outside only through it. */
const FEATURES = readdirSync(SERVER).filter((d) => existsSync(join(SERVER, d, 'index.ts')));

function featureOf(path: string): string | null {
	const m = new RegExp(`^${SERVER}/([^/]+)(/|$)`).exec(path);
	return m && FEATURES.includes(m[1]) ? m[1] : null;
}

/** Packages the pure domain may use: nothing that touches the server, the framework, the database or the disk. */
const DOMAIN_PACKAGES = [/^@oslojs\//, /^vitest$/, /^fast-check$/];

export interface Violation {
	file: string;
	spec: string;
	rule: string;
}

export function violations(file: string, text: string): Violation[] {
	const out: Violation[] = [];
	const from = featureOf(file);
	for (const spec of specifiers(text)) {
		const t = target(file, spec);
		if (file.startsWith('src/lib/domain/')) {
			if (t === null) {
				if (!DOMAIN_PACKAGES.some((r) => r.test(spec)))
					out.push({ file, spec, rule: 'the domain imports no framework, database or node: module' });
			} else if (!t.startsWith('src/lib/domain/')) out.push({ file, spec, rule: 'the domain imports only the domain' });
			continue;
		}
		if (t === null) continue;
		const to = featureOf(t);
		if (to && to !== from && t !== `${SERVER}/${to}` && t !== `${SERVER}/${to}/index`)
			out.push({ file, spec, rule: `enter ${SERVER}/${to} through its index.ts` });
		if (
			(file.startsWith(`${SERVER}/platform/`) || file.startsWith(`${SERVER}/db/`)) &&
			to !== null &&
			!file.endsWith('.test.ts')
		)
			out.push({ file, spec, rule: 'platform/ and db/ sit below the features and import none of them' });
	}
	return out;
}

const FILES = [...walk('src'), ...walk('tests/support')];

describe('the import map', () => {
	it('finds the files and their imports', () => {
		expect(FEATURES).toContain('voting');
		expect(FILES.length).toBeGreaterThan(200);
		expect(specifiers(`import { a } from './a';\nimport type { B } from "$lib/b";\nexport * from './c';`)).toEqual([
			'./a',
			'$lib/b',
			'./c'
		]);
		expect(specifiers(`const m = await import('../x/y');\nimport './side-effect';`)).toEqual([
			'../x/y',
			'./side-effect'
		]);
	});

	it('has no arrow pointing the wrong way', () => {
		const found = FILES.flatMap((f) => violations(f, readFileSync(f, 'utf8')));
		expect(found.map((v) => `${v.file}: '${v.spec}' — ${v.rule}`)).toEqual([]);
	});

	it('has one writer of proposals.status (proposal-status/status.ts, checked against the domain table)', () => {
		const writes = /\.update\(proposals\)\s*\.set\(\{[^}]*\bstatus\b|update\s+proposal\s+set\s[^;]*\bstatus\b/i;
		expect(writes.test(`tx.update(proposals)\n\t.set({ status: 'on_ballot', updatedAt: now })`)).toBe(true);
		const writers = FILES.filter(
			(f) => !f.endsWith('.test.ts') && !f.startsWith(`${SERVER}/demo/`) && writes.test(readFileSync(f, 'utf8'))
		);
		expect(writers).toEqual([`${SERVER}/proposal-status/status.ts`]);
	});

	it('would notice each kind of wrong arrow', () => {
		const rules = (file: string, text: string) => violations(file, text).map((v) => v.rule);
		expect(rules('src/lib/domain/x.ts', `import { db } from '../server/db/client';`)).toEqual([
			'the domain imports only the domain'
		]);
		expect(rules('src/lib/domain/x.ts', `import { readFileSync } from 'node:fs';`)).toHaveLength(1);
		expect(rules('src/lib/domain/x.ts', `import { eq } from 'drizzle-orm';`)).toHaveLength(1);
		expect(rules('src/lib/domain/x.ts', `import { error } from '@sveltejs/kit';`)).toHaveLength(1);
		expect(rules('src/lib/domain/tally/x.ts', `import { money } from '../money';`)).toEqual([]);
		expect(rules('src/routes/a/+page.server.ts', `import { castWebBallot } from '$lib/server/voting/web';`)).toEqual([
			'enter src/lib/server/voting through its index.ts'
		]);
		expect(rules('src/routes/a/+page.server.ts', `import { castWebBallot } from '$lib/server/voting';`)).toEqual([]);
		expect(rules(`${SERVER}/results/results.ts`, `import { turnout } from '../voting/counts';`)).toHaveLength(1);
		expect(rules(`${SERVER}/results/results.ts`, `import { turnout } from '../voting/index';`)).toEqual([]);
		expect(rules(`${SERVER}/voting/web.ts`, `import { paperFor } from './paper';`)).toEqual([]);
		expect(rules(`${SERVER}/platform/audit.ts`, `import { findRound } from '../rounds';`)).toHaveLength(1);
	});
});
