import { describe, expect, it } from 'vitest';
import { cleanText, personalDataIn } from './text';

const ok = (raw: string, multiline = false) => {
	const r = cleanText(raw, multiline);
	if (!r.ok) throw new Error(`refused ${JSON.stringify(raw)}: ${r.problem}`);
	return r.text;
};
const problem = (raw: string, multiline = false) => {
	const r = cleanText(raw, multiline);
	return r.ok ? null : r.problem;
};

describe('free text is normalised and checked (security review L5)', () => {
	it('stores NFC: an accent typed as a combining mark becomes one character', () => {
		const decomposed = 'Pumacahua, Ca\u0301ceres, n\u0303an';
		expect(ok(decomposed)).toBe('Pumacahua, Cáceres, ñan');
		expect(ok(decomposed).length).toBe(decomposed.length - 2);
	});

	it('trims', () => {
		expect(ok('  Yaku wasi \n', true)).toBe('Yaku wasi');
	});

	it('refuses NUL and other control characters, and a name made only of them', () => {
		expect(problem('Juan\u0000')).toBe('control');
		expect(problem('\u0000\u0000')).toBe('control');
		expect(problem('a\u001bb')).toBe('control');
		expect(problem('a\u0085b', true)).toBe('control');
	});

	it('single-line fields refuse line breaks and TAB; multi-line fields keep LF and TAB and store CRLF as LF', () => {
		expect(problem('Juan\nPérez')).toBe('control');
		expect(problem('Juan\r\nPérez')).toBe('control');
		expect(problem('Juan\tPérez')).toBe('control');
		expect(ok('Primero:\r\n\t- agua\r\n\t- desagüe', true)).toBe('Primero:\n\t- agua\n\t- desagüe');
		expect(ok('a\rb', true)).toBe('a\nb');
		expect(problem('a\u000bb', true)).toBe('control');
	});

	it('refuses bidirectional overrides and isolates', () => {
		for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])
			expect(problem(`factura${c}fdp.exe`, true)).toBe('bidi');
	});

	it('refuses lone surrogates, keeps whole emoji', () => {
		expect(problem('agua \ud83d')).toBe('surrogate');
		expect(problem('\ude00 agua')).toBe('surrogate');
		expect(problem('\ude00\ud83d')).toBe('surrogate');
		expect(ok('agua 💧 para todos')).toBe('agua 💧 para todos');
	});

	it('boundaries: the characters just outside each refused range are kept', () => {
		// C0 ends at U+001F, DEL is U+007F, C1 ends at U+009F; bidi ranges are U+202A–202E and U+2066–2069.
		expect(problem('a\u001fb')).toBe('control');
		expect(ok('a\u0020b')).toBe('a b');
		expect(ok('a~b')).toBe('a~b');
		expect(problem('a\u007fb')).toBe('control');
		expect(problem('a\u0080b')).toBe('control');
		expect(problem('a\u009fb')).toBe('control');
		expect(ok('a\u00a0b')).toBe('a\u00a0b');
		expect(ok('a\u2029b', true)).toBe('a\u2029b');
		expect(ok('1\u202f000')).toBe('1\u202f000');
		expect(ok('a\u2064b')).toBe('a\u2064b');
		expect(ok('a\u206ab')).toBe('a\u206ab');
		expect(ok('Ñuñoa ÁÉÍÓÚ ü ‘q’ «x» — ¿? ¡!')).toBe('Ñuñoa ÁÉÍÓÚ ü ‘q’ «x» — ¿? ¡!');
		expect(ok("Qusqu llaqtapi p'unchaw")).toBe("Qusqu llaqtapi p'unchaw");
	});
});

describe('personal data in public texts (proposals, observations)', () => {
	it('finds e-mails, mobile numbers and DNI-like numbers', () => {
		expect(personalDataIn('escríbame a juana.q@gmail.com')).toBe('email');
		expect(personalDataIn('juan@example.pe')).toBe('email');
		expect(personalDataIn('llamar al 987 654 321')).toBe('phone');
		expect(personalDataIn('cel 987-654-321')).toBe('phone');
		expect(personalDataIn('celular +51987654321')).toBe('phone');
		expect(personalDataIn('celular 51 987654321')).toBe('phone');
		expect(personalDataIn('mi DNI 45678912')).toBe('dni');
		expect(personalDataIn('DNI 70003800, cel 987654321')).toBe('dni');
		expect(personalDataIn('DNI 45678912-3')).toBe('dni');
	});

	it('leaves amounts, dates, CUIs and counts alone', () => {
		expect(personalDataIn('La obra costó S/ 1 234 567,50 y el CUI es 2456789, avance 45 % al 15/06/2026.')).toBeNull();
		expect(personalDataIn('Monto 12345678.50 soles')).toBeNull();
		expect(personalDataIn('Beneficia a 1200 familias; 7 cuadras; teléfono de la posta en el local comunal')).toBeNull();
	});

	it('boundaries: 7 and 9 digits are not a DNI; 8 digits not starting with 9 are not a phone', () => {
		expect(personalDataIn('código 1234567')).toBeNull();
		expect(personalDataIn('código 123456789')).toBeNull();
		expect(personalDataIn('código 12345678')).toBe('dni');
		expect(personalDataIn('número 887654321')).toBeNull();
		expect(personalDataIn('número 987654321')).toBe('phone');
	});
});
