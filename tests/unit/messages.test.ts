import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadTranslator } from '../../src/lib/i18n';

type Tree = { [k: string]: string | Tree };
const read = (l: string): Tree => JSON.parse(readFileSync(`messages/${l}.json`, 'utf8'));
const flat = (o: Tree, p = ''): string[] =>
	Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? flat(v, `${p}${k}.`) : [`${p}${k}`]));
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('messages', () => {
	it('Spanish and Quechua carry the same keys', () => {
		const es = new Set(flat(read('es')).map(base));
		const qu = new Set(flat(read('qu')).map(base));
		expect([...es].filter((k) => !qu.has(k))).toEqual([]);
		expect([...qu].filter((k) => !es.has(k))).toEqual([]);
	});
	it('Quechua uses only the single plural form "other"', () => {
		expect(flat(read('qu')).filter((k) => /_(zero|one|two|few|many)$/.test(k))).toEqual([]);
	});
	it('no Quechua value is left as the Spanish sentence', () => {
		const leaves = (o: Tree, p = ''): [string, string][] =>
			Object.entries(o).flatMap(([k, v]) =>
				typeof v === 'object' ? leaves(v, `${p}${k}\u0000`) : [[base(`${p}${k}`), v] as [string, string]]
			);
		const qu = new Map(leaves(read('qu')));
		const untranslated = leaves(read('es')).filter(([k, v]) => v.split(' ').length > 4 && qu.get(k) === v);
		expect(untranslated).toEqual([]);
	});
	it('finds keys that contain dots (audit event types)', async () => {
		const es = await loadTranslator('es');
		expect(es('audit.types.municipality.created')).toBe('Municipalidad creada');
	});
	it('pins Quechua plurals to one form on every host', async () => {
		const qu = await loadTranslator('qu');
		expect(qu('home.verifiedResidents', { count: 1, n: '1' })).toBe('1 llaqtamasi chiqaqchasqa.');
		const es = await loadTranslator('es');
		expect(es('home.verifiedResidents', { count: 1, n: '1' })).toBe('1 vecino verificado.');
		expect(es('home.verifiedResidents', { count: 2, n: '2' })).toBe('2 vecinos verificados.');
	});
});
