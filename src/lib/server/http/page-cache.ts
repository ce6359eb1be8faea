import type { RequestEvent } from '@sveltejs/kit';
import { dataVersion } from '../db/read-cache';

/**
 * Pages kept rendered and compressed until the data changes (db/read-cache.ts's version: any write, on this connection
 * or another, moves it), so a page many people reload costs one render per change of the data instead of one per
 * request. Only a GET without a query string (and not SvelteKit's `__data.json` for client-side navigation, whose
 * path is the page's) whose cookies are only those allowed is served from here, and only a 200 that sets no cookie
 * is kept (a renewed session sets one).
 * - CACHED_PAGES: public pages every anonymous reader of a language sees alike. At metropolitan scale the published
 *   results page is 200 rows read by thousands at once.
 * - SESSION_CACHED_PAGES: an official's page kept for that session alone (the key holds the session id, which the hook
 *   has just validated, so an expired session never reaches it). The turnout page was 5 ms of rendering per reload
 *   for 2 KB. A page listed here must be a function of the data, the session and the language only; a load that also
 *   depends on the clock (an open voting window closes at midnight) sets `locals.noPageCache`.
 * A role change, a cast or a logout is a write, so the next request renders again (page-cache.test.ts).
 */
export const CACHED_PAGES = new Set(['/[municipality]/rounds/[roundId=id]/results']);
export const SESSION_CACHED_PAGES = new Set(['/[municipality]/admin/rounds/[roundId=id]/voting']);

interface Entry {
	version: string;
	status: number;
	headers: [string, string][];
	body: ArrayBuffer;
}

type Db = Parameters<typeof dataVersion>[0];
const caches = new WeakMap<object, Map<string, Entry>>();
const LIMIT = 100;

function encodingOf(request: Request): string {
	const accept = request.headers.get('accept-encoding') ?? '';
	return /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : '';
}

/** The key a page is kept under, or null when it may not be kept. sessionId: the validated session's, or null. */
export function pageCacheKey(
	event: RequestEvent,
	locale: string,
	allowedCookies: string[],
	sessionId: string | null = null
): string | null {
	if (event.request.method !== 'GET' || event.url.search || event.isDataRequest) return null;
	if (!(sessionId ? SESSION_CACHED_PAGES : CACHED_PAGES).has(event.route.id ?? '')) return null;
	if (event.cookies.getAll().some((c) => !allowedCookies.includes(c.name))) return null;
	return `${sessionId ? `s:${sessionId}` : ''}|${event.url.pathname}|${locale}|${encodingOf(event.request)}`;
}

/** The cached response for key, or the one respond() makes (kept when it may be). */
export async function cachedPage(
	db: Db,
	key: string | null,
	respond: () => Promise<Response>,
	/** asked after respond(): false when the page turned out to depend on more than the data (locals.noPageCache) */
	keep: () => boolean = () => true
): Promise<Response> {
	const version = key ? dataVersion(db) : null;
	if (!key || version === null) return respond();
	let entries = caches.get(db.$client);
	if (!entries) caches.set(db.$client, (entries = new Map()));
	const hit = entries.get(key);
	if (hit && hit.version === version)
		return new Response(hit.body, { status: hit.status, headers: new Headers(hit.headers) });
	const response = await respond();
	if (response.status !== 200 || response.headers.has('set-cookie') || !response.body || !keep()) return response;
	const body = await response.arrayBuffer();
	const headers = [...response.headers];
	// kept only if nothing was written meanwhile (else the page may mix two versions of the data)
	if (dataVersion(db) === version) {
		entries.delete(key);
		entries.set(key, { version, status: response.status, headers, body });
		if (entries.size > LIMIT) entries.delete(entries.keys().next().value!);
	}
	return new Response(body, { status: response.status, headers: new Headers(headers) });
}
