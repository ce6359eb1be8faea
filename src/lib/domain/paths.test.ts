import { describe, it, expect } from 'vitest';
import { sameSitePath } from './paths';

describe('redirects only to paths of this site (security review L3)', () => {
	it('keeps same-site paths', () => {
		expect(sameSitePath('/san-jeronimo/rounds/2?x=1#a')).toBe('/san-jeronimo/rounds/2?x=1#a');
		expect(sameSitePath('/')).toBe('/');
	});
	it('refuses backslash, TAB, protocol-relative, absolute and junk targets', () => {
		for (const bad of [
			'/\\example.org/phish',
			'/\texample.org',
			'/\t/example.org',
			'//example.org',
			'\\\\example.org',
			'https://example.org',
			'javascript:alert(1)',
			'/%0a/example.org\n',
			'',
			null,
			['/'],
			'/' + 'a'.repeat(3000)
		])
			expect(sameSitePath(bad, '/x'), String(bad)).toBe('/x');
	});
});
