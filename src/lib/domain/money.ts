/**
 * Money is integer céntimos of PEN everywhere. Parsing accepts Peruvian and international writing:
 * "1 234 567,50", "1234567.50", "1,234,567.50", "1.234.567,50", "S/ 1 500".
 */
export type MoneyParse =
	{ ok: true; cents: number } | { ok: false; error: 'money.format' | 'money.negative' | 'money.tooLarge' };

export function parseSoles(input: string): MoneyParse {
	const s = input
		.trim()
		.replace(/^S\/\.?\s*/i, '')
		.replace(/[\s\u00a0\u202f']/g, '');
	if (s.startsWith('-')) return { ok: false, error: 'money.negative' };
	if (!/^\d[\d.,]*$/.test(s)) return { ok: false, error: 'money.format' };
	let intPart = s;
	let frac = '';
	const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
	if (lastSep >= 0) {
		const sep = s[lastSep];
		const mixed = s.includes('.') && s.includes(',');
		const after = s.slice(lastSep + 1);
		const occurrences = s.split(sep).length - 1;
		// Decimal mark: the last separator when both kinds appear, or a single one followed by 1-2 digits.
		const isDecimal = mixed || (occurrences === 1 && after.length >= 1 && after.length <= 2);
		if (isDecimal) {
			if (after.length < 1 || after.length > 2) return { ok: false, error: 'money.format' };
			intPart = s.slice(0, lastSep);
			frac = after;
		}
		const groups = intPart.split(/[.,]/);
		if (groups.length > 1) {
			const grouping = new Set(intPart.replace(/\d/g, ''));
			if (
				grouping.size > 1 ||
				groups[0].length < 1 ||
				groups[0].length > 3 ||
				groups.slice(1).some((g) => g.length !== 3)
			)
				return { ok: false, error: 'money.format' };
		}
		intPart = groups.join('');
	}
	if (!/^\d+$/.test(intPart)) return { ok: false, error: 'money.format' };
	const cents = Number(intPart) * 100 + Number(frac.padEnd(2, '0'));
	if (!Number.isSafeInteger(cents) || cents > 1e15) return { ok: false, error: 'money.tooLarge' };
	return { ok: true, cents };
}

/** Exact decimal soles for exports: 123450 → "1234.5", 100 → "1". */
export function centsToSolesString(cents: number): string {
	const whole = Math.trunc(cents / 100);
	const frac = Math.abs(cents % 100);
	if (frac === 0) return String(whole);
	return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}
