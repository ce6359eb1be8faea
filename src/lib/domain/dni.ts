/**
 * Peruvian DNI: 8 digits plus RENIEC's check character (digit or letter), computed with weights
 * 3,2,7,6,5,4,3,2 mod 11. The printed card shows the check character after a hyphen.
 */
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const CHECK_DIGITS = '67890112345';
const CHECK_LETTERS = 'KABCDEFGHIJ';

export type DniError = 'dni.format' | 'dni.check';
export type DniResult = { ok: true; dni: string } | { ok: false; error: DniError };

function checkIndex(digits: string): number {
	let sum = 0;
	for (let i = 0; i < 8; i++) sum += Number(digits[i]) * WEIGHTS[i];
	const key = 11 - (sum % 11);
	return key === 11 ? 0 : key;
}

/** The two accepted check characters (digit form, letter form) for 8 digits. */
export function dniCheckCharacters(digits: string): [string, string] {
	const i = checkIndex(digits);
	return [CHECK_DIGITS[i], CHECK_LETTERS[i]];
}

/** Accepts "12345678-9", "12345678 9" or "123456789"; returns the normalised 8-digit number. */
export function parseDni(input: string): DniResult {
	const compact = input.replace(/[\s-]/g, '').toUpperCase();
	if (!/^\d{8}[0-9A-K]$/.test(compact)) return { ok: false, error: 'dni.format' };
	const digits = compact.slice(0, 8);
	const [digit, letter] = dniCheckCharacters(digits);
	const given = compact[8];
	if (given !== digit && given !== letter) return { ok: false, error: 'dni.check' };
	return { ok: true, dni: digits };
}

/** Only the 8 digits, for looking up a voter or a census row where the check character is not printed. */
export function parseDniDigits(input: string): string | null {
	const compact = input.replace(/[\s-]/g, '');
	if (/^\d{8}$/.test(compact)) return compact;
	const full = parseDni(compact);
	return full.ok ? full.dni : null;
}
