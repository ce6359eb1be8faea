import { eq, and, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { prepared } from '../db/prepared';
import { auditEvents } from '../db/schema/index';
import { AUDIT_EXPORT_PAGE, auditExportHead, auditExportPageText, lastEvent, publicAuditPage } from './audit';
import {
	GZIP_HEADER,
	crc32Combine,
	crc32CombineRepeated,
	gzipEnd,
	gzipPiece,
	storedPiece,
	type GzipPiece
} from './gzip';

/**
 * The public audit export (`minka-audit-chain/2`) gzip-compressed, for clients that accept gzip. The chain is
 * append-only, so each completed page of AUDIT_EXPORT_PAGE events is serialised and compressed once and kept (per
 * connection and municipality), and the completed pages are kept joined in one buffer: a request sends its own header
 * (the export time), that one shared buffer (one write: at metropolitan scale 4 MB that the socket takes without
 * JavaScript per page), then the unfinished last page and the trailer, with the CRCs combined. The header and a short
 * last page go out stored, not compressed (gzip.ts storedPiece: no compressor set up per request). Pages not yet cached
 * are compressed on the thread pool and the stream yields between them, so a long chain never holds the event loop.
 * The bytes decompress to exactly the document auditExportStream writes.
 */
interface CachedPage extends GzipPiece {
	lastSeq: number;
	lastHash: string;
	/** CRC-32 and length of the events text from the first page through this one (one combine per request) */
	prefixCrc: number;
	prefixLength: number;
}

interface ChainCache {
	pages: CachedPage[];
	/** the bytes of the first `count` pages in one buffer (the pages' own bytes are views into it) */
	joined: { bytes: Buffer; count: number } | null;
	/** the page being compressed, shared by the requests that reach it together */
	building: Map<number, Promise<CachedPage>>;
	/** the end of the chain after the completed pages (unfinished page, closing), compressed for the chain's head */
	tail: CachedTail | null;
}

interface CachedTail {
	after: number;
	first: boolean;
	headSeq: number;
	headHash: string;
	piece: GzipPiece;
}

const caches = new WeakMap<object, Map<number, ChainCache>>();

function chainCache(db: Db, municipalityId: number): ChainCache {
	let perDb = caches.get(db.$client);
	if (!perDb) caches.set(db.$client, (perDb = new Map()));
	let c = perDb.get(municipalityId);
	if (!c) perDb.set(municipalityId, (c = { pages: [], joined: null, building: new Map(), tail: null }));
	return c;
}

/** The cache still describes this chain: its last cached event is there with the same hash (a restored backup is not). */
function stillValid(db: Db, municipalityId: number, c: ChainCache): boolean {
	const last = c.pages.at(-1);
	if (!last) return true;
	const row = prepared(db, 'auditExport.hashAt', () =>
		db
			.select({ hash: auditEvents.hash })
			.from(auditEvents)
			.where(and(eq(auditEvents.municipalityId, sql.placeholder('m')), eq(auditEvents.seq, sql.placeholder('seq'))))
			.prepare()
	).get({ m: municipalityId, seq: last.lastSeq });
	return row?.hash === last.lastHash;
}

const nextTurn = () => new Promise((ok) => setImmediate(ok));

/** An unfinished last page up to this many characters goes out stored (a few events): no compressor per request. */
const STORED_TAIL = 8192;

/** The completed pages in one buffer, joined again only when pages were added since (one copy per new page). */
function joinedPages(cache: ChainCache): { bytes: Buffer; count: number } {
	const pages = cache.pages;
	if (cache.joined?.count !== pages.length) {
		const bytes = Buffer.concat(pages.map((p) => p.bytes));
		// the pages now point into the joined buffer, so the bytes are held once
		let at = 0;
		for (const p of pages) {
			const length = p.bytes.length;
			p.bytes = bytes.subarray(at, at + length);
			at += length;
		}
		cache.joined = { bytes, count: pages.length };
	}
	return cache.joined;
}

export function auditExportGzipStream(
	db: Db,
	m: { id: number; slug: string; ubigeo: string; name: string },
	exportedAt = new Date()
): ReadableStream<Uint8Array> {
	const cache = chainCache(db, m.id);
	if (!stillValid(db, m.id, cache)) {
		cache.pages = [];
		cache.joined = null;
		cache.building = new Map();
		cache.tail = null;
	}
	const pages = cache.pages;
	// The CRC of what was sent: the header, the pages from the cache (their running CRC), then what was made here.
	const head = storedPiece(auditExportHead(m, exportedAt));
	let prefix = { prefixCrc: 0, prefixLength: 0 };
	let tailCrc = 0;
	let tailLength = 0;
	const cached = (p: CachedPage) => {
		prefix = p;
		return p.bytes;
	};
	const made = (p: GzipPiece) => {
		tailCrc = crc32Combine(tailCrc, p.crc, p.length);
		tailLength += p.length;
		return p.bytes;
	};
	const end = () => {
		const crc = crc32Combine(
			crc32CombineRepeated(head.crc, prefix.prefixCrc, prefix.prefixLength),
			tailCrc,
			tailLength
		);
		return gzipEnd(crc, head.length + prefix.prefixLength + tailLength);
	};
	let k = 0;
	let after = 0;
	/** once a page was not complete, nothing after it is cached (its position could hold other events later) */
	let caching = true;
	return new ReadableStream<Uint8Array>(
		{
			start(c) {
				c.enqueue(Buffer.concat([GZIP_HEADER, head.bytes]));
			},
			async pull(c) {
				if (caching && cache.pages === pages) {
					// every page already cached, in one write
					if (k === 0 && pages.length > 1) {
						const joined = joinedPages(cache);
						const last = pages[joined.count - 1];
						c.enqueue(joined.bytes);
						prefix = last;
						after = last.lastSeq;
						k = joined.count;
						return;
					}
					const ready = pages[k] ?? (await cache.building.get(k));
					if (ready) {
						c.enqueue(cached(ready));
						after = ready.lastSeq;
						k++;
						await nextTurn();
						return;
					}
				}
				// the end of the chain unchanged since a request compressed it: the same bytes (no read, no compressor)
				const head = lastEvent(db, m.id) ?? { seq: 0, hash: '' };
				const tail = cache.tail;
				if (
					tail &&
					tail.after === after &&
					tail.first === (k === 0) &&
					tail.headSeq === head.seq &&
					tail.headHash === head.hash
				) {
					c.enqueue(Buffer.concat([made(tail.piece), end()]));
					c.close();
					return;
				}
				const page = publicAuditPage(db, m.id, after, AUDIT_EXPORT_PAGE);
				if (page.length < AUDIT_EXPORT_PAGE) {
					// the end of the chain as read now: the unfinished page, the closing and the trailer in one write
					const text = (page.length ? auditExportPageText(k === 0, page, true) : '') + '\n]}\n';
					const piece = text.length <= STORED_TAIL ? storedPiece(text) : await gzipPiece(text);
					const read = page.at(-1) ?? head;
					// kept for the head it was read at (what was appended meanwhile is read by the next request)
					if (read.seq === head.seq && read.hash === head.hash)
						cache.tail = { after, first: k === 0, headSeq: head.seq, headHash: head.hash, piece };
					c.enqueue(Buffer.concat([made(piece), end()]));
					c.close();
					return;
				}
				const text = auditExportPageText(k === 0, page, false);
				const last = page[page.length - 1];
				if (caching && cache.pages === pages && pages.length === k) {
					const at = k;
					const before = at ? pages[at - 1] : { prefixCrc: 0, prefixLength: 0 };
					const job = gzipPiece(text, 9)
						.then((p) => {
							const done = {
								...p,
								lastSeq: last.seq,
								lastHash: last.hash,
								prefixCrc: crc32Combine(before.prefixCrc, p.crc, p.length),
								prefixLength: before.prefixLength + p.length
							};
							if (cache.pages === pages && pages.length === at) pages.push(done);
							return done;
						})
						.finally(() => cache.building.delete(at));
					cache.building.set(at, job);
					c.enqueue(cached(await job));
				} else {
					caching = false;
					c.enqueue(made(await gzipPiece(text)));
				}
				after = last.seq;
				k++;
			}
		},
		{ highWaterMark: 1 }
	);
}

/** How many completed pages of a municipality's export are held compressed (tests and diagnostics). */
export function cachedAuditPages(db: Db, municipalityId: number): number {
	return caches.get(db.$client)?.get(municipalityId)?.pages.length ?? 0;
}

/** The chain head the cached end of a municipality's export was made for (tests and diagnostics); null: none. */
export function cachedAuditTailHead(db: Db, municipalityId: number): number | null {
	return caches.get(db.$client)?.get(municipalityId)?.tail?.headSeq ?? null;
}
