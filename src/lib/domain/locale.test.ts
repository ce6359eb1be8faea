import { describe, it, expect } from 'vitest';
import { negotiateLocale, fromAcceptLanguage } from './locale';

describe('locale negotiation', () => {
	it('prefers the saved user preference over everything', () => {
		expect(
			negotiateLocale({ userPreference: 'qu', cookie: 'es', acceptLanguage: 'es', municipalityDefault: 'es' })
		).toBe('qu');
	});
	it('then the cookie', () => {
		expect(negotiateLocale({ cookie: 'qu', acceptLanguage: 'es-PE', municipalityDefault: 'es' })).toBe('qu');
	});
	it('then Accept-Language, honouring q values and Quechua variants', () => {
		expect(negotiateLocale({ acceptLanguage: 'en;q=1, quz-PE;q=0.9, es;q=0.5', municipalityDefault: 'es' })).toBe('qu');
		expect(fromAcceptLanguage('es-PE,es;q=0.9')).toBe('es');
		expect(fromAcceptLanguage('en-US')).toBeNull();
	});
	it('then the municipality default, then Spanish', () => {
		expect(negotiateLocale({ acceptLanguage: 'en', municipalityDefault: 'qu' })).toBe('qu');
		expect(negotiateLocale({})).toBe('es');
		expect(negotiateLocale({ cookie: 'fr' })).toBe('es');
	});
});
