/** Field-level helpers shared by the `.pb` reader's sections (pb.ts, votes.ts). */
import { PbError } from './types';

export function isMissing(v: string | undefined): boolean {
	return v === undefined || v === '' || (v.length === 4 && v.toLowerCase() === 'none');
}

/** Header fields with trailing empty names dropped (a trailing ";"), with a warning. */
export function headerOf(fields: string[], line: number, warn: (m: string) => void): string[] {
	let n = fields.length;
	while (n > 1 && fields[n - 1] === '') n--;
	if (n < fields.length) warn(`line ${line}: trailing empty column name(s) ignored`);
	return fields.slice(0, n);
}

export function checkHeader(header: string[], line: number) {
	const seen = new Set<string>();
	for (const h of header) {
		if (h === '') throw new PbError('empty column name in header', line);
		if (seen.has(h.toLowerCase())) throw new PbError(`column "${h}" appears twice in the header`, line);
		seen.add(h.toLowerCase());
	}
}

/**
 * The row's fields, exactly as many as the header has. Trailing empty fields are dropped; a short row
 * is padded with empty fields when it still holds every required column (`need` = highest required
 * column index); anything else is an error naming the line.
 */
export function rowFields(
	f: string[],
	line: number,
	n: number,
	need: number,
	section: string,
	warn: (m: string) => void
): string[] {
	if (f.length === n) return f;
	if (f.length > n) {
		if (f.slice(n).every((x) => x === '')) {
			warn(`line ${line}: trailing empty field(s) ignored`);
			return f.slice(0, n);
		}
		throw new PbError(`${section} row has ${f.length} fields but the header has ${n} (unquoted ";"?)`, line);
	}
	if (f.length > need) {
		warn(`line ${line}: ${section} row has ${f.length} fields but the header has ${n}; the missing ones are empty`);
		return [...f, ...Array<string>(n - f.length).fill('')];
	}
	throw new PbError(`${section} row has ${f.length} fields but the header has ${n}`, line);
}
