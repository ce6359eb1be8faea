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
	it('writes exact soles', () => {
		expect(centsToSolesString(123450)).toBe('1234.5');
		expect(centsToSolesString(100)).toBe('1');
		expect(centsToSolesString(101)).toBe('1.01');
	});
});
