// Reading Accept-Language at its edges: weights, spacing and case, q=0 meaning "not this one", variants of Quechua.
import { describe, expect, it } from 'vitest';
import { fromAcceptLanguage } from './locale';

describe('fromAcceptLanguage', () => {
	it('the highest weight wins, whatever the order written', () => {
		expect(fromAcceptLanguage('es;q=0.5, qu;q=0.9')).toBe('qu');
		expect(fromAcceptLanguage('qu;q=0.4,es;q=0.6')).toBe('es');
		expect(fromAcceptLanguage('en, qu;q=0.2, es;q=0.3')).toBe('es');
	});

	it('no weight means 1; a tag before a weighted one keeps its place', () => {
		expect(fromAcceptLanguage('qu;q=0.9, es')).toBe('es');
		expect(fromAcceptLanguage('es-PE, qu;q=1')).toBe('es');
	});

	it('q=0 means not acceptable; an unreadable weight is ignored', () => {
		expect(fromAcceptLanguage('qu;q=0, es;q=0.1')).toBe('es');
		expect(fromAcceptLanguage('qu;q=0')).toBeNull();
		expect(fromAcceptLanguage('qu;q=abc, es;q=0.1')).toBe('es');
		expect(fromAcceptLanguage('qu; level=1; q=0, es;q=0.1')).toBe('es');
	});

	it('spaces and case do not matter', () => {
		expect(fromAcceptLanguage('  QU-PE ; q=0.8 ,  ES ; q=0.7')).toBe('qu');
		expect(fromAcceptLanguage('en;q=0.9,  Es-pe ;q=0.8')).toBe('es');
		expect(fromAcceptLanguage('es;q=0.5,qu; q=0.6')).toBe('qu');
	});

	it('every Quechua code means Quechua; empty parts and other languages mean nothing', () => {
		for (const tag of ['qu', 'quz', 'quy', 'que', 'qu-BO', 'quz-PE']) expect(fromAcceptLanguage(tag)).toBe('qu');
		for (const tag of ['qux', 'q', 'u', 'en', ',', ' ; q=1', '']) expect(fromAcceptLanguage(tag)).toBeNull();
	});
});
