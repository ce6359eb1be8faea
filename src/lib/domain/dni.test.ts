import { describe, it, expect } from 'vitest';
import { parseDni, dniCheckCharacters, parseDniDigits } from './dni';

describe('DNI check character (RENIEC weights 3,2,7,6,5,4,3,2 mod 11)', () => {
	it('computes the digit and letter forms', () => {
		// 1*3+2*2+3*7+4*6+5*5+6*4+7*3+8*2 = 138; 138 % 11 = 6; 11-6 = 5 → digit '1', letter 'E'
		expect(dniCheckCharacters('12345678')).toEqual(['1', 'E']);
		// all zeros: sum 0 → key 11 → index 0 → '6' / 'K'
		expect(dniCheckCharacters('00000000')).toEqual(['6', 'K']);
	});
	it('accepts both forms, with or without hyphen', () => {
		expect(parseDni('12345678-1')).toEqual({ ok: true, dni: '12345678' });
		expect(parseDni('12345678e')).toEqual({ ok: true, dni: '12345678' });
		expect(parseDni(' 12345678 1 ')).toEqual({ ok: true, dni: '12345678' });
	});
	it('rejects a wrong check character with its own error', () => {
		expect(parseDni('12345678-2')).toEqual({ ok: false, error: 'dni.check' });
		expect(parseDni('12345678-A')).toEqual({ ok: false, error: 'dni.check' });
	});
	it('rejects malformed input', () => {
		for (const bad of ['', '1234567-1', '123456789-1', 'ABCDEFGH-1', '12345678-Z', '12345678'])
			expect(parseDni(bad)).toEqual({ ok: false, error: 'dni.format' });
	});
	it('accepts 8 bare digits for look-ups', () => {
		expect(parseDniDigits('12345678')).toBe('12345678');
		expect(parseDniDigits('12345678-1')).toBe('12345678');
		expect(parseDniDigits('1234')).toBeNull();
	});
});
