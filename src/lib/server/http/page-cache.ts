import type { RequestEvent } from '@sveltejs/kit';
import { dataVersion } from '../db/read-cache';

/**
 * Public pages that every anonymous reader of a language sees alike, kept rendered and compressed until the data
 * changes (db/read-cache.ts's version: any write moves it). At metropolitan scale the published results page is 200
 * rows read by thousands at once; rendering and compressing it for each of them is what made it slow. Only a GET
 * without a query string and without any cookie but the language one is served from here, and only a 200 that sets
 * no cookie is kept.
 */
export const CACHED_PAGES = new Set(['/[municipality]/rounds/[roundId=id]/results']);

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

export function pageCacheKey(event: RequestEvent, locale: string, allowedCookies: string[]): string | null {
	if (event.request.method !== 'GET' || event.url.search || !CACHED_PAGES.has(event.route.id ?? '')) return null;
	if (event.cookies.getAll().some((c) => !allowedCookies.includes(c.name))) return null;
	return `${event.url.pathname}|${locale}|${encodingOf(event.request)}`;
}

/** The cached response for key, or the one respond() makes (kept when it may be). */
export async function cachedPage(db: Db, key: string | null, respond: () => Promise<Response>): Promise<Response> {
	const version = key ? dataVersion(db) : null;
	if (!key || version === null) return respond();
	let entries = caches.get(db.$client);
	if (!entries) caches.set(db.$client, (entries = new Map()));
	const hit = entries.get(key);
	if (hit && hit.version === version)
		return new Response(hit.body, { status: hit.status, headers: new Headers(hit.headers) });
	const response = await respond();
	if (response.status !== 200 || response.headers.has('set-cookie') || !response.body) return response;
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
