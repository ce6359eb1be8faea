import { describe, it, expect } from 'vitest';
import { load } from '../../src/routes/+layout';

// A key present in es.json only (qu pins plurals to "other", so the _one form exists only in Spanish).
const ONLY_IN_SPANISH = 'home.verifiedResidents_one';

describe('the layout translator (server and browser)', () => {
	it('falls back to Spanish for a key missing in Quechua, never the raw key', async () => {
		const data = { locale: 'qu' as const, municipality: null, me: null };
		const { t } = (await load({ data } as unknown as Parameters<typeof load>[0])) as {
			t: (k: string, o?: object) => string;
		};
		expect(t(ONLY_IN_SPANISH, { n: '1' })).toBe('1 vecino verificado.');
		expect(t('nav.login')).toBe('Yaykuy');
	});
});
