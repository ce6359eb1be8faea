/**
 * Exact decimal numbers as scaled BigInts. Money is never a float in this engine: a value
 * `1234.56` is held as `{ int: 123456n, scale: 2 }`, and every amount of one election is brought
 * to a common scale (the largest number of decimals seen in `budget` and `cost`).
 */

export interface Decimal {
	/** value × 10^scale, exactly */
	int: bigint;
	/** number of decimal digits */
	scale: number;
}

const DEC_RE = /^([+-])?(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a plain decimal string (`"740793.05"`, `"1000000"`, `"-3"`, `"2.5e3"`). A decimal comma
 * is accepted (old pabulib files use it); `sawComma` tells the caller so it can warn.
 * Returns null when the text is not a number.
 */
export function parseDecimal(text: string): (Decimal & { sawComma: boolean }) | null {
	const s = text.trim();
	const m = DEC_RE.exec(s);
	if (!m) return null;
	const intPart = m[2] ?? '';
	const fracPart = m[3] ?? '';
	if (intPart === '' && fracPart === '') return null;
	const sawComma = s.includes(',');
	let digits = (intPart + fracPart).replace(/^0+(?=\d)/, '');
	if (digits === '') digits = '0';
	let scale = fracPart.length;
	let int = BigInt(digits);
	if (m[4] !== undefined) {
		const exp = Number(m[4]);
		if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return null;
		scale -= exp;
		if (scale < 0) {
			int *= 10n ** BigInt(-scale);
			scale = 0;
		}
	}
	if (m[1] === '-') int = -int;
	return normalise({ int, scale, sawComma }) as Decimal & { sawComma: boolean };
}

/** Removes trailing zero decimals: 12.500 → 12.5 (scale 1). */
export function normalise<T extends Decimal>(d: T): T {
	let { int, scale } = d;
	while (scale > 0 && int % 10n === 0n) {
		int /= 10n;
		scale--;
	}
	return { ...d, int, scale };
}

/** value of `d` expressed in units of 10^-target (target ≥ d.scale). */
export function toScale(d: Decimal, target: number): bigint {
	if (target < d.scale) throw new Error(`cannot rescale ${formatDecimal(d)} to ${target} decimals`);
	return d.int * 10n ** BigInt(target - d.scale);
}

/** Formats units (value × 10^scale) as a plain decimal string without trailing zeros. */
export function formatUnits(units: bigint, scale: number): string {
	const neg = units < 0n;
	let abs = neg ? -units : units;
	let s = scale;
	while (s > 0 && abs % 10n === 0n) {
		abs /= 10n;
		s--;
	}
	let str = abs.toString();
	if (s > 0) {
		str = str.padStart(s + 1, '0');
		str = `${str.slice(0, str.length - s)}.${str.slice(str.length - s)}`;
	}
	return (neg ? '-' : '') + str;
}

export function formatDecimal(d: Decimal): string {
	return formatUnits(d.int, d.scale);
}
