/**
 * The Content-Security-Policy (security review L7) as configured: no inline script but SvelteKit's own (nonce/hash)
 * and the ballot's counters (their hash, computed from the very string BallotMeter.svelte inlines). The page-level
 * check (headers on a real response, no violation in a browser) is tests/e2e/hostile.spec.ts and the e2e fixture.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import config from '../../svelte.config.js';
import { BALLOT_METER_SCRIPT } from '../../src/lib/components/ballot-meter-script.js';
import { SECURITY_HEADERS } from '../../src/lib/server/http';

const csp = config.kit!.csp!;
const d = csp.directives!;

describe('Content-Security-Policy', () => {
	it('SvelteKit adds hashes (never a nonce: cached pages would serve it again) for its inline scripts; nothing inline runs otherwise', () => {
		expect(csp.mode).toBe('hash');
		expect(d['script-src']).toContain('self');
		expect(d['script-src']).not.toContain('unsafe-inline');
		expect(d['script-src']).not.toContain('unsafe-eval');
		expect(d['default-src']).toEqual(['self']);
		expect(d['object-src']).toEqual(['none']);
		expect(d['frame-ancestors']).toEqual(['none']);
		expect(d['base-uri']).toEqual(['self']);
		expect(d['form-action']).toEqual(['self']);
	});

	it('allows the ballot counters by the hash of the script BallotMeter.svelte inlines', () => {
		const hash = `sha256-${createHash('sha256').update(BALLOT_METER_SCRIPT).digest('base64')}`;
		expect(d['script-src']).toContain(hash);
		const component = readFileSync('src/lib/components/BallotMeter.svelte', 'utf8');
		expect(component).toContain("import { BALLOT_METER_SCRIPT as code } from './ballot-meter-script.js'");
		expect(component).toContain('{@html `<script>${code}</script>`}');
	});

	it('the recount worker and the audio and photos load from this site', () => {
		expect(d['worker-src']).toContain('self');
		expect(d['media-src']).toContain('self');
		expect(d['img-src']).toContain('self');
	});
});

describe('security headers on every response', () => {
	it('lists nosniff, the referrer policy, no framing, the permissions policy and the opener policy', () => {
		expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
		expect(SECURITY_HEADERS['Referrer-Policy']).toBe('same-origin');
		expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
		expect(SECURITY_HEADERS['Permissions-Policy']).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(self\)/);
		expect(SECURITY_HEADERS['Cross-Origin-Opener-Policy']).toBe('same-origin');
	});
});
