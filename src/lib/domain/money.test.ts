import { describe, it, expect } from 'vitest';
import { parseSoles, centsToSolesString } from './money';

describe('parseSoles', () => {
	it.each([
		['1 234 567,50', 123456750],
		['1234567.50', 123456750],
		['1,234,567.50', 123456750],
		['1.234.567,50', 123456750],
		['S/ 1 500', 150000],
		['S/. 2500,5', 250050],
		['0,01', 1],
		['1,500', 150000],
		['1.500', 150000],
		['1500', 150000],
		['12.3', 1230]
	])('%s → %i céntimos', (input, cents) => {
		expect(parseSoles(input)).toEqual({ ok: true, cents });
	});
	it.each(['', 'abc', '1,2,3', '12.345,678', '1.2345', ',50', '1 23,4.5'])('rejects %j', (input) => {
		expect(parseSoles(input)).toEqual({ ok: false, error: 'money.format' });
	});
	it('rejects negatives clearly', () => {
		expect(parseSoles('-100')).toEqual({ ok: false, error: 'money.negative' });
	});
	it('edges: the S/ prefix only at the start, a bare decimal mark, the largest amount', () => {
		expect(parseSoles('S/1500')).toEqual({ ok: true, cents: 150000 });
		expect(parseSoles('s/. 1500')).toEqual({ ok: true, cents: 150000 });
		for (const bad of ['1S/500', 'x12', '12x', '1,500,00', '1.234,'])
			expect(parseSoles(bad)).toEqual({ ok: false, error: 'money.format' });
		expect(parseSoles('10000000000000')).toEqual({ ok: true, cents: 1e15 });
		expect(parseSoles('10000000000000,01')).toEqual({ ok: false, error: 'money.tooLarge' });
	});
	it('writes exact soles', () => {
		expect(centsToSolesString(0)).toBe('0');
		expect(centsToSolesString(1)).toBe('0.01');
		expect(centsToSolesString(10)).toBe('0.1');
		expect(centsToSolesString(-150)).toBe('-1.5');
		expect(centsToSolesString(123450)).toBe('1234.5');
		expect(centsToSolesString(100)).toBe('1');
		expect(centsToSolesString(101)).toBe('1.01');
	});
});
