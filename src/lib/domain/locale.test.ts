import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { negotiateLocale, fromAcceptLanguage, LOCALES } from './locale';

describe('locale negotiation', () => {
	it('prefers the saved user preference over everything', () => {
		expect(
			negotiateLocale({ userPreference: 'qu', cookie: 'es', acceptLanguage: 'es', municipalityDefault: 'es' })
		).toBe('qu');
		expect(
			negotiateLocale({ userPreference: 'es', cookie: 'qu', acceptLanguage: 'qu', municipalityDefault: 'qu' })
		).toBe('es');
	});
	it('then the cookie, over a Quechua municipality and a Quechua browser alike', () => {
		expect(negotiateLocale({ cookie: 'qu', acceptLanguage: 'es-PE', municipalityDefault: 'es' })).toBe('qu');
		expect(negotiateLocale({ cookie: 'es', acceptLanguage: 'quz-PE', municipalityDefault: 'qu' })).toBe('es');
	});
	it('a Quechua-default municipality serves Quechua to a Spanish phone (es-PE)', () => {
		expect(negotiateLocale({ acceptLanguage: 'es-PE,es;q=0.9', municipalityDefault: 'qu' })).toBe('qu');
		expect(negotiateLocale({ acceptLanguage: 'es-PE, qu;q=0.5', municipalityDefault: 'qu' })).toBe('qu');
		expect(negotiateLocale({ acceptLanguage: 'en-US', municipalityDefault: 'qu' })).toBe('qu');
	});
	it('a browser that asks for Quechua first gets it even where the default is Spanish', () => {
		expect(negotiateLocale({ acceptLanguage: 'en;q=1, quz-PE;q=0.9, es;q=0.5', municipalityDefault: 'es' })).toBe('qu');
		// Quechua accepted but ranked below Spanish: that browser does not ask for Quechua.
		expect(negotiateLocale({ acceptLanguage: 'es-PE, qu;q=0.5', municipalityDefault: 'es' })).toBe('es');
	});
	it('without a municipality (home, setup): Accept-Language, then Spanish', () => {
		expect(negotiateLocale({ acceptLanguage: 'es-PE' })).toBe('es');
		expect(negotiateLocale({ acceptLanguage: 'quy' })).toBe('qu');
		expect(negotiateLocale({})).toBe('es');
		expect(negotiateLocale({ cookie: 'fr' })).toBe('es');
	});
	it('reads Accept-Language with q values and Quechua variants', () => {
		expect(fromAcceptLanguage('es-PE,es;q=0.9')).toBe('es');
		expect(fromAcceptLanguage('en-US')).toBeNull();
		expect(fromAcceptLanguage('qu;q=0, es;q=0.1')).toBe('es');
		expect(fromAcceptLanguage('que-PE')).toBe('qu');
	});
	it('property: a valid own choice always wins; otherwise Quechua only when asked for first or the default', () => {
		const maybe = fc.option(fc.constantFrom('es', 'qu', 'fr', ''), { nil: null });
		const header = fc.option(
			fc
				.array(
					fc.tuple(fc.constantFrom('es', 'es-PE', 'qu', 'quz', 'quy', 'en', 'fr'), fc.integer({ min: 0, max: 10 }))
				)
				.map((parts) => parts.map(([tag, q]) => `${tag};q=${q / 10}`).join(', ')),
			{ nil: null }
		);
		fc.assert(
			fc.property(maybe, maybe, header, maybe, (userPreference, cookie, acceptLanguage, municipalityDefault) => {
				const got = negotiateLocale({ userPreference, cookie, acceptLanguage, municipalityDefault });
				expect(LOCALES).toContain(got);
				const own = [userPreference, cookie].find((x) => x === 'es' || x === 'qu');
				const asked = fromAcceptLanguage(acceptLanguage);
				const municipal = municipalityDefault === 'es' || municipalityDefault === 'qu' ? municipalityDefault : null;
				expect(got).toBe(own ?? (asked === 'qu' ? 'qu' : (municipal ?? asked ?? 'es')));
			})
		);
	});
});
