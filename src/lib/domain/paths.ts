/**
 * A redirect target taken from a form or a query string, kept only when it is a path of this site.
 *
 * Browsers read `\` as `/` and drop TAB and line breaks inside URLs, so `/\evil.example`, `/\t/evil.example` and
 * `//evil.example` all leave the site; any of those, a control character, or anything not starting with `/` gives the
 * fallback instead.
 */
export function sameSitePath(value: unknown, fallback = '/'): string {
	if (typeof value !== 'string' || value.length > 2000) return fallback;
	if (!value.startsWith('/') || value.startsWith('//')) return fallback;
	// eslint-disable-next-line no-control-regex
	if (/[\\\u0000-\u001F\u007F\s]/.test(value)) return fallback;
	try {
		const url = new URL(value, 'http://minka.invalid');
		return url.origin === 'http://minka.invalid' ? value : fallback;
	} catch {
		return fallback;
	}
}
