/**
 * How large a request body each route family may send. The server as a whole accepts up to BODY_SIZE_LIMIT (70M in
 * src/cli/start.js) because the census import needs it; every other route refuses a bigger body before reading it
 * (hooks.server.ts), with the translated 413 page. Each cap is its largest legitimate upload plus room for the rest of
 * the form and the multipart framing.
 */

const MB = 1024 * 1024;

export const BODY_LIMITS = {
	/** The census file: 64 MB plain or gzipped (residents/census-job.ts MAX_CENSUS_UPLOAD). */
	census: 70 * MB,
	/** Up to three photos of 8 MB each (platform/uploads.ts MAX_PHOTOS × MAX_PHOTO_BYTES). */
	photos: 26 * MB,
	/** One PDF of up to 20 MB (ordinance, signed actas, accreditation, an observation's attachment). */
	document: 22 * MB,
	/** One recording of at most 1 MB (the ballot's and proposals' audio). */
	audio: 2 * MB,
	/** Every other form: text fields only. */
	default: 1 * MB
} as const;

export type BodyFamily = keyof typeof BODY_LIMITS;

const M = '^/[^/]+';
const ID = '\\d+';
const FAMILIES: [RegExp, BodyFamily][] = [
	[new RegExp(`${M}/admin/census/?$`), 'census'],
	[new RegExp(`${M}/rounds/${ID}/propose/?$`), 'photos'],
	[new RegExp(`${M}/rounds/${ID}/proposals/${ID}/edit/?$`), 'photos'],
	[new RegExp(`${M}/admin/rounds/${ID}/file/?$`), 'photos'],
	[new RegExp(`${M}/admin/rounds/${ID}/execution/${ID}/?$`), 'photos'],
	[new RegExp(`${M}/admin/rounds/new/?$`), 'document'],
	[new RegExp(`${M}/admin/rounds/${ID}/?$`), 'document'],
	[new RegExp(`${M}/admin/rounds/${ID}/acta/?$`), 'document'],
	[new RegExp(`${M}/admin/rounds/${ID}/agents/?$`), 'document'],
	[new RegExp(`${M}/admin/council/sessions/${ID}/?$`), 'document'],
	[new RegExp(`${M}/rounds/${ID}/observations/?$`), 'document'],
	[new RegExp(`${M}/admin/rounds/${ID}/audio(/.*)?$`), 'audio']
];

/** The route family of a path (without query string). */
export function bodyFamily(pathname: string): BodyFamily {
	for (const [re, family] of FAMILIES) if (re.test(pathname)) return family;
	return 'default';
}

/** The largest body, in bytes, a request to this path may carry. */
export function bodyLimit(pathname: string): number {
	return BODY_LIMITS[bodyFamily(pathname)];
}

/**
 * Whether a declared Content-Length is over the path's limit. A missing or unreadable header is not judged here (a
 * chunked body is counted while it is read).
 */
export function declaredTooLarge(pathname: string, contentLength: string | null): boolean {
	if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return false;
	return Number(contentLength) > bodyLimit(pathname);
}
