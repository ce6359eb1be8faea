/**
 * Exact rational numbers on BigInt. Always reduced, denominator > 0.
 * Used wherever a comparison decides an outcome (MES affordability and ties, Phragmén loads).
 */

export interface Rat {
	readonly n: bigint;
	readonly d: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
	if (a < 0n) a = -a;
	if (b < 0n) b = -b;
	while (b !== 0n) {
		const t = a % b;
		a = b;
		b = t;
	}
	return a;
}

export function rat(n: bigint, d: bigint = 1n): Rat {
	if (d === 0n) throw new RangeError('rational with zero denominator');
	if (d < 0n) {
		n = -n;
		d = -d;
	}
	if (d === 1n) return { n, d };
	const g = gcd(n, d);
	return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export const ZERO: Rat = { n: 0n, d: 1n };
export const ONE: Rat = { n: 1n, d: 1n };

export function add(a: Rat, b: Rat): Rat {
	if (a.d === b.d) return rat(a.n + b.n, a.d);
	return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rat, b: Rat): Rat {
	if (a.d === b.d) return rat(a.n - b.n, a.d);
	return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Rat, b: Rat): Rat {
	return rat(a.n * b.n, a.d * b.d);
}

export function mulInt(a: Rat, k: bigint): Rat {
	return rat(a.n * k, a.d);
}

export function div(a: Rat, b: Rat): Rat {
	if (b.n === 0n) throw new RangeError('division by zero');
	return rat(a.n * b.d, a.d * b.n);
}

export function divInt(a: Rat, k: bigint): Rat {
	if (k === 0n) throw new RangeError('division by zero');
	return rat(a.n, a.d * k);
}

export function cmp(a: Rat, b: Rat): number {
	const x = a.n * b.d;
	const y = b.n * a.d;
	return x < y ? -1 : x > y ? 1 : 0;
}

export function min(a: Rat, b: Rat): Rat {
	return cmp(a, b) <= 0 ? a : b;
}

function bitLength(x: bigint): number {
	if (x < 0n) x = -x;
	return x === 0n ? 0 : x.toString(16).length * 4;
}

/** Nearest double (within a couple of ulps); safe for huge numerators/denominators. */
export function toNumber(a: Rat): number {
	let { n, d } = a;
	const nb = bitLength(n);
	const db = bitLength(d);
	if (nb < 1000 && db < 1000) return Number(n) / Number(d);
	const shift = BigInt(Math.max(nb, db) - 900);
	n = n >> shift;
	d = d >> shift;
	if (d === 0n) return n < 0n ? -Infinity : Infinity;
	return Number(n) / Number(d);
}

export function toString(a: Rat): string {
	return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
