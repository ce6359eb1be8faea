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
	let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	const len = text.length;
	let line = 1;
	while (pos < len) {
		let end = text.indexOf('\n', pos);
		if (end === -1) end = len;
		const quote = text.indexOf('"', pos);
		if (quote === -1 || quote > end) {
			// fast path: no quotes on this line
			let raw = text.slice(pos, end);
			if (raw.endsWith('\r')) raw = raw.slice(0, -1);
			const parts = raw.split(';');
			for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
			out.push({ fields: parts, line });
			pos = end + 1;
			line++;
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
		out.push({ fields, line: startLine });
		line++;
	}
	return out;
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
