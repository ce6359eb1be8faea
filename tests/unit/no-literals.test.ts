/**
 * Every string a person reads comes from messages/*.json. This fails on words written straight into a template, a
 * literal aria-label/title/alt/placeholder, a hard-coded number mark (N.º, #7) or literal PDF text in src/.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const walk = (dir: string): string[] =>
	readdirSync(dir).flatMap((f) => {
		const p = join(dir, f);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
const files = walk('src');
const svelte = files.filter((f) => f.endsWith('.svelte'));
const server = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

/** Words that are the same in both languages, or language names written in that language (endonyms). */
const ALLOWED = new Set([
	'Minka',
	'PDF',
	'CSV',
	'DNI',
	'CUI',
	'CCL',
	'ZIP',
	'JSON',
	'S/',
	'Runasimi',
	'Castellano',
	'Español',
	'quechua'
]);

/** Removes `{…}` expressions (balanced), so only literal template text remains. */
function withoutExpressions(s: string): string {
	let out = '';
	let depth = 0;
	for (const ch of s) {
		if (ch === '{') depth++;
		else if (ch === '}') depth = Math.max(0, depth - 1);
		else if (depth === 0) out += ch;
	}
	return out;
}

/** Literal words a person would read in a Svelte file's markup. */
export function templateLiterals(source: string): string[] {
	const markup = source
		.replace(/<script[\s\S]*?<\/script>/g, '')
		.replace(/<style[\s\S]*?<\/style>/g, '')
		.replace(/<!--[\s\S]*?-->/g, '')
		// Commands, file names and hashes for auditors are code, not prose.
		.replace(/<code>[\s\S]*?<\/code>/g, '');
	const found: string[] = [];
	for (const m of markup.matchAll(/\b(aria-label|title|alt|placeholder)="([^"{]*[A-Za-zÁ-úñ][^"{]*)"/g))
		found.push(`${m[1]}="${m[2]}"`);
	const text = withoutExpressions(markup).replace(/<[^>]*>/g, ' ');
	for (const word of text.split(/\s+/)) {
		const bare = word.replace(/^[(«"'¿¡]+|[)»"'.,:;!?]+$/g, '');
		if (/[A-Za-zÁ-úñ]{2,}/.test(bare) && !ALLOWED.has(bare)) found.push(bare);
	}
	return found;
}

describe('nothing a person reads bypasses messages/', () => {
	it('no literal words, labels or alt text in Svelte markup', () => {
		const bad = svelte.flatMap((f) => templateLiterals(readFileSync(f, 'utf8')).map((w) => `${f}: ${w}`));
		expect(bad).toEqual([]);
	});
	it('no hard-coded number marks (use common.number)', () => {
		const bad = [...svelte, ...server].flatMap((f) =>
			readFileSync(f, 'utf8')
				.split('\n')
				.map((line, i, all) => [line, i + 1, all[i - 1] ?? ''] as const)
				// A line may be exempted by a `literal-ok: reason` comment just above it.
				.filter(([line, , before]) => !/^\s*(\/\/|\*|\/\*)/.test(line) && !before.includes('literal-ok'))
				.filter(([line]) => /N\.?\s?[º°]\s?\{|N\.?\s?[º°]\s?\$\{|[>\s`]#\{|`#\$\{|['"]N\.?\s?[º°]['"]/.test(line))
				.map(([line, n]) => `${f}:${n}: ${line.trim()}`)
		);
		expect(bad).toEqual([]);
	});
	it('no literal text written into a PDF', () => {
		const bad = server.flatMap((f) =>
			readFileSync(f, 'utf8')
				.split('\n')
				.map((line, i) => [line, i + 1] as const)
				.filter(([line]) =>
					/\.text\(\s*(['"])[^'"]*[A-Za-zÁ-ú]{2,}|(?<![A-Za-z])Title:\s*[`'"][^`'"$]*[A-Za-z]{2,}/.test(line)
				)
				.map(([line, n]) => `${f}:${n}: ${line.trim()}`)
		);
		expect(bad).toEqual([]);
	});
	it('the checks notice', () => {
		expect(templateLiterals('<script>const a = 1;</script><p>Hola {t("x")}</p>')).toEqual(['Hola']);
		expect(templateLiterals('<img alt="Foto" src={x} />')).toEqual(['alt="Foto"']);
		expect(templateLiterals('<p>{t("a")} · S/ {n}</p><span>Minka</span><code>npm run x</code>')).toEqual([]);
	});
});
