/**
 * Free text a person types (names, titles, proposals, observations, council texts, reasons), checked before it is
 * stored. Pure: the form-field parsers in server/platform/validation.ts call it for every text field.
 *
 * - NFC: the same word typed two ways ("é" as one character or as e + accent) is stored one way, so search,
 *   comparison and the published files agree.
 * - Line breaks: multi-line fields keep LF and TAB (a browser sends CRLF; it is stored as LF). Single-line fields
 *   (names, titles, places) refuse both: an input box cannot send them, a crafted request can.
 * - Refused: control characters (C0 but those two, DEL, C1: a NUL made a name "not empty" and reached the CSVs),
 *   bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: they make a text read differently from what
 *   it is) and lone surrogates (half of a character; invalid in every file format the app writes).
 */
export type TextProblem = 'control' | 'bidi' | 'surrogate';
export type TextCheck = { ok: true; text: string } | { ok: false; problem: TextProblem };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Trims, normalises (NFC, CRLF → LF in multi-line fields) and refuses the characters above. */
export function cleanText(raw: string, multiline = false): TextCheck {
	if (LONE_SURROGATE.test(raw)) return { ok: false, problem: 'surrogate' };
	let s = raw.normalize('NFC');
	if (multiline) s = s.replace(/\r\n?/g, '\n');
	s = s.trim();
	if (BIDI_CONTROL.test(s)) return { ok: false, problem: 'bidi' };
	if ((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(s)) return { ok: false, problem: 'control' };
	return { ok: true, text: s };
}

/**
 * Personal data that must not go into a public text (proposals, observations, answers): an e-mail address, a
 * Peruvian mobile number (9 digits starting with 9, optionally +51, spaces or dashes allowed) or a DNI-like number
 * (8 digits on their own, optionally with the check character). Amounts ("S/ 1 234 567,50", "12345678.50") and CUIs
 * (7 digits) are not taken for either. Returns what was found, or null.
 */
export function personalDataIn(text: string): 'email' | 'phone' | 'dni' | null {
	if (/[^\s@]+@[^\s@]+\.[a-z]{2,}/i.test(text)) return 'email';
	if (/(?<![\d.,])\d{8}(?:-\w)?(?![\d]|[.,]\d)/.test(text)) return 'dni';
	const compact = text.replace(/(\d)[ -](?=\d)/g, '$1');
	if (/(?<![\d.,])(?:\+?51)?9\d{8}(?![\d.,]\d)/.test(compact)) return 'phone';
	return null;
}
