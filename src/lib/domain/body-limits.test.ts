import { describe, it, expect } from 'vitest';
import { BODY_LIMITS, bodyFamily, bodyLimit, declaredTooLarge } from './body-limits';

const MB = 1024 * 1024;

describe('body limit per route family', () => {
	it('gives the census import its 70 MB and nothing else as much', () => {
		expect(bodyFamily('/cusco/admin/census')).toBe('census');
		expect(bodyLimit('/cusco/admin/census')).toBe(70 * MB);
		expect(
			Math.max(
				...Object.entries(BODY_LIMITS)
					.filter(([f]) => f !== 'census')
					.map(([, v]) => v)
			)
		).toBeLessThan(70 * MB);
	});

	it('gives photo and document uploads their own caps', () => {
		for (const p of [
			'/cusco/rounds/3/propose',
			'/cusco/rounds/3/proposals/12/edit',
			'/cusco/admin/rounds/3/file',
			'/cusco/admin/rounds/3/execution/7'
		])
			expect(bodyFamily(p), p).toBe('photos');
		for (const p of [
			'/cusco/admin/rounds/new',
			'/cusco/admin/rounds/3',
			'/cusco/admin/rounds/3/acta',
			'/cusco/admin/rounds/3/agents',
			'/cusco/admin/council/sessions/4',
			'/cusco/rounds/3/observations'
		])
			expect(bodyFamily(p), p).toBe('document');
		expect(bodyFamily('/cusco/admin/rounds/3/audio')).toBe('audio');
		// three 8 MB photos fit; a 20 MB PDF fits; a 1 MB recording fits
		expect(bodyLimit('/cusco/rounds/3/propose')).toBeGreaterThan(3 * 8 * MB);
		expect(bodyLimit('/cusco/admin/rounds/3/acta')).toBeGreaterThan(20 * MB);
		expect(bodyLimit('/cusco/admin/rounds/3/audio')).toBeGreaterThan(1 * MB);
	});

	it('holds every other route to about 1 MB, look-alike paths included', () => {
		for (const p of [
			'/cusco/login',
			'/cusco/signup',
			'/cusco/rounds/3/vote',
			'/cusco/admin/census/extra',
			'/cusco/admin/rounds/3/voting',
			'/cusco/admin/rounds/3/acta/firmada.pdf',
			'/cusco/rounds/3/propose/x',
			'/language',
			'/'
		])
			expect(bodyLimit(p), p).toBe(1 * MB);
	});

	it('judges a declared Content-Length against the limit, and leaves a missing one to counting', () => {
		expect(declaredTooLarge('/cusco/login', String(MB + 1))).toBe(true);
		expect(declaredTooLarge('/cusco/login', String(MB))).toBe(false);
		expect(declaredTooLarge('/cusco/admin/census', String(60 * MB))).toBe(false);
		expect(declaredTooLarge('/cusco/admin/census', String(71 * MB))).toBe(true);
		expect(declaredTooLarge('/cusco/login', null)).toBe(false);
		expect(declaredTooLarge('/cusco/login', 'abc')).toBe(false);
	});
});
