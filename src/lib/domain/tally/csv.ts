/**
 * `;`-separated CSV with standard double-quote escaping, as pabulib uses it.
 * A quoted field may contain `;`, `""` (an escaped quote) and line breaks.
 */

export interface CsvRecord {
	/** fields, trimmed, unquoted */
	fields: string[];
	/** 1-based line number where the record starts */
	line: number;
}

export class CsvError extends Error {
	constructor(
		message: string,
		readonly line: number
	) {
		super(message);
		this.name = 'CsvError';
	}
}

/**
 * Splits a whole text into records. Empty lines are returned as records with a single empty field
 * (callers decide whether to skip them). Accepts `\n`, `\r\n` and a leading BOM.
 */
export function parseCsv(text: string): CsvRecord[] {
	const out: CsvRecord[] = [];
	forEachCsvRecord(text, (fields, line) => {
		out.push({ fields, line });
	});
	return out;
}

/** Where reading stopped: the start of the next record and its line number. */
export interface CsvPosition {
	pos: number;
	line: number;
}

/**
 * The fields of the unquoted line text[pos, end) (a trailing `\r` dropped), split on `;`, each trimmed
 * when it starts or ends with white space.
 */
export function splitPlainLine(text: string, pos: number, end: number): string[] {
	let raw = text.slice(pos, end);
	if (raw.endsWith('\r')) raw = raw.slice(0, -1);
	const parts = raw.split(';');
	for (let i = 0; i < parts.length; i++) {
		const x = parts[i];
		const n = x.length;
		if (n > 0 && (x.charCodeAt(0) <= 32 || x.charCodeAt(n - 1) <= 32)) parts[i] = x.trim();
	}
	return parts;
}

/**
 * Streaming form of parseCsv: calls `visit` for each record (no intermediate array of records). When
 * `visit` returns true, reading stops after that record and the position of the next one is returned
 * (pass it as `from` to go on); otherwise the whole text is read and null is returned.
 */
export function forEachCsvRecord(
	text: string,
	visit: (fields: string[], line: number) => boolean | void,
	from?: CsvPosition
): CsvPosition | null {
	let pos = from ? from.pos : text.charCodeAt(0) === 0xfeff ? 1 : 0;
	const len = text.length;
	let line = from ? from.line : 1;
	// position of the next quote character (searched once, not once per line: that would be quadratic)
	let quote = text.indexOf('"', pos);
	while (pos < len) {
		let end = text.indexOf('\n', pos);
		if (end === -1) end = len;
		if (quote !== -1 && quote < pos) quote = text.indexOf('"', pos);
		if (quote === -1 || quote > end) {
			// fast path: no quotes on this line
			const stop = visit(splitPlainLine(text, pos, end), line);
			pos = end + 1;
			line++;
			if (stop === true) return { pos, line };
			continue;
		}
		// slow path: a state machine that may span several physical lines
		const startLine = line;
		const fields: string[] = [];
		let field = '';
		let i = pos;
		let inQuotes = false;
		let wasQuoted = false;
		for (;;) {
			if (i >= len) {
				if (inQuotes) throw new CsvError('unterminated quoted field', startLine);
				fields.push(wasQuoted ? field : field.trim());
				pos = len;
				break;
			}
			const ch = text[i];
			if (inQuotes) {
				if (ch === '"') {
					if (text[i + 1] === '"') {
						field += '"';
						i += 2;
						continue;
					}
					inQuotes = false;
					i++;
					continue;
				}
				if (ch === '\n') line++;
				field += ch;
				i++;
				continue;
			}
			if (ch === '"') {
				if (field.trim() === '' && !wasQuoted) {
					field = '';
					inQuotes = true;
					wasQuoted = true;
					i++;
					continue;
				}
				// a stray quote inside an unquoted field is kept literally (as Python's csv does)
				field += ch;
				i++;
				continue;
			}
			if (ch === ';') {
				fields.push(wasQuoted ? field.trim() : field.trim());
				field = '';
				wasQuoted = false;
				i++;
				continue;
			}
			if (ch === '\n' || ch === '\r') {
				fields.push(field.trim());
				if (ch === '\r' && text[i + 1] === '\n') i++;
				pos = i + 1;
				break;
			}
			field += ch;
			i++;
		}
		const stop = visit(fields, startLine);
		line++;
		if (stop === true) return { pos, line };
	}
	return null;
}

const NEEDS_QUOTES = /[;"\r\n]|^\s|\s$/;

/** Quotes a field when needed (contains `;`, `"`, a line break, or edge whitespace). */
export function csvField(value: string): string {
	if (!NEEDS_QUOTES.test(value)) return value;
	return `"${value.replace(/"/g, '""')}"`;
}

export function csvLine(fields: readonly string[]): string {
	return fields.map(csvField).join(';');
}
