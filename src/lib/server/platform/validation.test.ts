/** The shared text readers every form goes through apply domain/text.ts (security review L5). */
import { describe, expect, it } from 'vitest';
import { cleanField, ML, optionalEmail, optionalText, publicText, requireText } from './validation';

const codeOf = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		const u = e as { code: string; params: Record<string, unknown> };
		return `${u.code}:${u.params.field}`;
	}
	return 'accepted';
};

describe('requireText / optionalText', () => {
	it('a name made only of NUL is refused as such, not taken as "not empty"', () => {
		expect(codeOf(() => requireText('\u0000\u0000', 'fullName'))).toBe('text.control:fullName');
		expect(codeOf(() => optionalText('x\u0000', 'organisation'))).toBe('text.control:organisation');
	});
	it('bidi overrides and lone surrogates are refused naming the field', () => {
		expect(codeOf(() => requireText('Ana\u202e', 'fullName'))).toBe('text.bidi:fullName');
		expect(codeOf(() => requireText('Ana\ud800', 'place'))).toBe('text.surrogate:place');
	});
	it('text areas keep line breaks, single lines refuse them', () => {
		expect(requireText('uno\r\ndos', 'agreementText', 100, ML)).toBe('uno\ndos');
		expect(codeOf(() => requireText('uno\ndos', 'place'))).toBe('text.control:place');
		expect(cleanField('  a\tb ', 'agenda', ML)).toBe('a\tb');
	});
	it('the length limit counts the normalised text, at the boundary', () => {
		expect(requireText('e\u0301'.repeat(10), 'name', 10)).toBe('é'.repeat(10));
		expect(codeOf(() => requireText('é'.repeat(11), 'name', 10))).toBe('tooLong:name');
	});
	it('publicText also refuses personal data', () => {
		expect(codeOf(() => publicText('DNI 45678912', 'proposals.title', 150))).toBe(
			'proposals.personal.dni:proposals.title'
		);
		expect(publicText('Losa deportiva', 'proposals.title', 150)).toBe('Losa deportiva');
	});
	it('an e-mail address with a control or bidi character is not an address', () => {
		expect(() => optionalEmail('ana\u0000@example.pe')).toThrow('email.format');
		expect(() => optionalEmail('ana\u202e@example.pe')).toThrow('email.format');
		expect(optionalEmail(' Ana@Example.pe ')).toBe('ana@example.pe');
	});
});
