import { describe, it, expect } from 'vitest';
import { dniHmac, resetSecretCacheForTests } from './secret';

describe('DNI HMAC', () => {
	it('is keyed: same DNI, same secret → same value; other secret → other value', () => {
		process.env.MINKA_SECRET = 'secret-one';
		resetSecretCacheForTests();
		const a = dniHmac('12345678');
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(dniHmac('12345678')).toBe(a);
		expect(dniHmac('12345679')).not.toBe(a);
		process.env.MINKA_SECRET = 'secret-two';
		resetSecretCacheForTests();
		expect(dniHmac('12345678')).not.toBe(a);
		expect(a).not.toContain('12345678');
	});
});
