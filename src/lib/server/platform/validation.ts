import { UserError } from '../../domain/errors';
import { parseDni } from '../../domain/dni';
import { cleanText, personalDataIn } from '../../domain/text';
import { parseSoles, type MoneyParse } from '../../domain/money';
import { MIN_PASSWORD_LENGTH } from '../auth/password';

/** Options of the free-text readers: `multiline` for text areas (keeps LF and TAB; refuses them otherwise). */
export interface TextOptions {
	multiline?: boolean;
}
/** The options of a text area (descriptions, observations, reasons, agreements). */
export const ML: TextOptions = { multiline: true };

/**
 * Any free text a person typed, trimmed and checked by domain/text.ts (NFC; control characters, bidirectional
 * overrides and lone surrogates refused with a message naming the field). Not a string: ''.
 */
export function cleanField(value: unknown, field: string, opts: TextOptions = {}): string {
	if (typeof value !== 'string') return '';
	const r = cleanText(value, opts.multiline);
	if (!r.ok) throw new UserError(`text.${r.problem}`, { field });
	return r.text;
}

/** Shared field checks for forms; each throws a UserError naming the field. */
export function requireText(value: unknown, field: string, max = 200, opts: TextOptions = {}): string {
	const s = cleanField(value, field, opts);
	if (!s) throw new UserError('required', { field });
	if (s.length > max) throw new UserError('tooLong', { field, max });
	return s;
}

export function optionalText(value: unknown, field: string, max = 200, opts: TextOptions = {}): string | null {
	const s = cleanField(value, field, opts);
	if (!s) return null;
	if (s.length > max) throw new UserError('tooLong', { field, max });
	return s;
}

/**
 * Text that is published (proposals): also refuses e-mail addresses, phone numbers and DNIs, saying why (the
 * proposal is public; the author's identity is already recorded with the account).
 */
export function publicText(value: unknown, field: string, max: number, opts: TextOptions = {}): string {
	const s = requireText(value, field, max, opts);
	const found = personalDataIn(s);
	if (found) throw new UserError(`proposals.personal.${found}`, { field });
	return s;
}

type MoneyError = Extract<MoneyParse, { ok: false }>['error'];

/**
 * The one money field reader (soles → céntimos, see domain/money.ts). Blank: null, or `required` naming the field.
 * `rename` swaps the parser's codes for a form's own message; `positive` refuses zero with the code given.
 */
export function moneyField(
	value: unknown,
	field: string,
	opts: { required?: boolean; positive?: string; rename?: Partial<Record<MoneyError, string>> } = {}
): number | null {
	const s = typeof value === 'string' ? value.trim() : '';
	if (!s) {
		if (opts.required) throw new UserError('required', { field });
		return null;
	}
	const r = parseSoles(s);
	if (!r.ok) throw new UserError(opts.rename?.[r.error] ?? r.error, { field });
	if (opts.positive && r.cents <= 0) throw new UserError(opts.positive, { field });
	return r.cents;
}

export function requireDni(value: unknown): string {
	const r = parseDni(typeof value === 'string' ? value : '');
	if (!r.ok) throw new UserError(r.error);
	return r.dni;
}

export function requireDate(value: unknown, field: string): string {
	const s = typeof value === 'string' ? value.trim() : '';
	const iso = normaliseDate(s);
	if (!iso) throw new UserError('date.format', { field });
	return iso;
}

/** "2026-03-01" or "01/03/2026" → "2026-03-01"; null when not a real calendar date. */
export function normaliseDate(s: string): string | null {
	let y: number, m: number, d: number;
	let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)))
		[d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
	else return null;
	const date = new Date(Date.UTC(y, m - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
	return date.toISOString().slice(0, 10);
}

export function requireBirthDate(value: unknown): string {
	const iso = requireDate(value, 'birthDate');
	const today = new Date().toISOString().slice(0, 10);
	if (iso > today || iso < '1900-01-01') throw new UserError('birthDate.range');
	return iso;
}

export function optionalEmail(value: unknown): string | null {
	const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!s) return null;
	if (s.length > 200 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) || !cleanText(s).ok) throw new UserError('email.format');
	return s;
}

/** Peruvian mobile numbers: 9 digits starting with 9, optionally prefixed +51. */
export function optionalPhone(value: unknown): string | null {
	const s = typeof value === 'string' ? value.replace(/[\s-]/g, '') : '';
	if (!s) return null;
	const m = /^(?:\+?51)?(9\d{8})$/.exec(s);
	if (!m) throw new UserError('phone.format');
	return m[1];
}

export function requireNewPassword(password: unknown, confirmation: unknown): string {
	const p = typeof password === 'string' ? password : '';
	if (p.length < MIN_PASSWORD_LENGTH) throw new UserError('password.short', { min: MIN_PASSWORD_LENGTH });
	if (p.length > 200) throw new UserError('tooLong', { field: 'password', max: 200 });
	if (p !== confirmation) throw new UserError('password.mismatch');
	return p;
}

export function ageOn(birthDate: string, onDate: string): number {
	const [by, bm, bd] = birthDate.split('-').map(Number);
	const [y, m, d] = onDate.split('-').map(Number);
	return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
