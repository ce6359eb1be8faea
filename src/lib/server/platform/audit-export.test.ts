/**
 * Issue 17 point 5: the audit export for gzip clients is served from completed pages compressed once. The bytes must
 * decompress to exactly the document the plain stream writes, across cached pages, a fresh tail and later appends.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gunzipSync } from 'node:zlib';
import { openDatabase, writeTx, type Db } from '../db/client';
import { appendAudit, AUDIT_EXPORT_PAGE, auditExportStream } from './audit';
import { auditExportGzipStream, cachedAuditPages, cachedAuditTailHead } from './audit-export';
import { crc32Combine, crc32CombineRepeated, gzipEnd, GZIP_HEADER, gzipPieceSync, storedPiece } from './gzip';
import { seedTown } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: { id: number; slug: string; ubigeo: string; name: string };
const at = new Date('2027-06-10T12:00:00.000Z');

const append = (n: number, from = 0) =>
	writeTx(db, (tx) => {
		for (let i = 0; i < n; i++)
			appendAudit(tx, {
				municipalityId: town.id,
				actorUserId: null,
				type: 'test.event',
				payload: { i: from + i, note: 'ñandú «x»' }
			});
	});

const plain = () => new Response(auditExportStream(db, town, at)).text();
const gzipped = async () =>
	gunzipSync(Buffer.from(await new Response(auditExportGzipStream(db, town, at)).arrayBuffer())).toString();

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-audit-export-')), 'test.db'));
	const t = seedTown(db, '080109');
	town = { id: t.municipalityId, slug: t.slug, ubigeo: '080109', name: 'Town 080109' };
});

describe('gzip pieces', () => {
	it('combines CRC-32s as zlib would compute them over the whole text', () => {
		const a = Buffer.from('{"events":[\n');
		const b = Buffer.from('x'.repeat(70_000) + 'ñ');
		expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
		expect(crc32Combine(crc32(a), crc32(''), 0)).toBe(crc32(a));
	});
	it('the repeated-length combine (its shift computed once) agrees with the plain one, again and again', () => {
		const b = Buffer.from('y'.repeat(123_457));
		for (const head of ['{"exportedAt":"2027-06-10T12:00:00.000Z"', '{"exportedAt":"2027-06-10T12:00:00.001Z"', '']) {
			const a = Buffer.from(head);
			expect(crc32CombineRepeated(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
		}
		for (const [x, y, n] of [
			[0xffffffff, 0x12345678, 1],
			[0x80000000, 0, 35_184_559],
			[1, 0xdeadbeef, 0]
		])
			expect(crc32CombineRepeated(x, y, n)).toBe(crc32Combine(x, y, n));
	});
	it('pieces compressed apart make one valid gzip stream', () => {
		const texts = ['{"a":[', '1,2,3,'.repeat(5000), '4]}'];
		const pieces = texts.map(gzipPieceSync);
		const crc = pieces.reduce((c, p) => crc32Combine(c, p.crc, p.length), 0);
		const len = pieces.reduce((s, p) => s + p.length, 0);
		const gz = Buffer.concat([GZIP_HEADER, ...pieces.map((p) => p.bytes), gzipEnd(crc, len)]);
		expect(gunzipSync(gz).toString()).toBe(texts.join(''));
	});
	it('stored pieces (empty, short, over one 64 KB block) sit among compressed ones in one valid stream', () => {
		const texts = ['', '{"exportedAt":"ñ"', 'ab'.repeat(40_000), '1,2,3,'.repeat(5000), '\n]}\n'];
		const pieces = texts.map((t, i) => (i === 3 ? gzipPieceSync(t) : storedPiece(t)));
		expect(pieces[0].bytes).toHaveLength(0);
		expect(pieces[2].bytes.length).toBe(80_000 + 2 * 5);
		const crc = pieces.reduce((c, p) => crc32Combine(c, p.crc, p.length), 0);
		const len = pieces.reduce((s, p) => s + p.length, 0);
		const gz = Buffer.concat([GZIP_HEADER, ...pieces.map((p) => p.bytes), gzipEnd(crc, len)]);
		expect(gunzipSync(gz).toString()).toBe(texts.join(''));
	});
});

describe('audit export, gzip from cached pages', () => {
	it('is the same document as the plain stream; completed pages are cached, the unfinished one is not', async () => {
		append(2 * AUDIT_EXPORT_PAGE + 500);
		const doc = await plain();
		expect(await gzipped()).toBe(doc);
		expect(cachedAuditPages(db, town.id)).toBe(2);
		// served again from the cache: still the same bytes once decompressed
		expect(await gzipped()).toBe(doc);
		JSON.parse(doc);
	});

	it('after more events: the cache grows by the pages now complete and the document follows the chain', async () => {
		append(AUDIT_EXPORT_PAGE, 5000);
		expect(await gzipped()).toBe(await plain());
		expect(cachedAuditPages(db, town.id)).toBe(3);
	});

	it('readers arriving together share the pages being compressed and all get the document', async () => {
		const other = openDatabase(db.$client.name);
		const docs = await Promise.all(
			Array.from({ length: 5 }, () =>
				new Response(auditExportGzipStream(other, town, at)).arrayBuffer().then((b) => gunzipSync(Buffer.from(b)))
			)
		);
		const doc = await plain();
		for (const d of docs) expect(d.toString()).toBe(doc);
		expect(cachedAuditPages(other, town.id)).toBe(3);
	});

	it('a warm request writes its header, the completed pages as one shared buffer, then its tail: no copy per request', async () => {
		const chunks = async () => {
			const out: Uint8Array[] = [];
			const reader = auditExportGzipStream(db, town, at).getReader();
			for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
			return out;
		};
		await chunks();
		const [a, b] = [await chunks(), await chunks()];
		expect(a).toHaveLength(3);
		expect(b[1]).toBe(a[1]);
		expect(gunzipSync(Buffer.concat(b)).toString()).toBe(await plain());
	});

	it('the end of the chain is kept for its head: served again unchanged, made again after one more event', async () => {
		const doc = await plain();
		expect(await gzipped()).toBe(doc);
		const events = () => JSON.parse(doc).events as { seq: number }[];
		const head = events().at(-1)!.seq;
		expect(cachedAuditTailHead(db, town.id)).toBe(head);
		expect(await gzipped()).toBe(doc);
		append(1, 9000);
		const after = await plain();
		expect(await gzipped()).toBe(after);
		expect(JSON.parse(after).events.at(-1)).toMatchObject({ seq: head + 1 });
		expect(cachedAuditTailHead(db, town.id)).toBe(head + 1);
		// another connection's append (a worker, a CLI) is seen too
		const other = openDatabase(db.$client.name);
		writeTx(other, (tx) =>
			appendAudit(tx, { municipalityId: town.id, actorUserId: null, type: 'test.event', payload: { i: -1 } })
		);
		other.$client.close();
		const third = await gzipped();
		expect(third).toBe(await plain());
		expect(JSON.parse(third).events.at(-1)).toMatchObject({ seq: head + 2 });
	});

	it('a chain of whole pages only ends right (no separator after the last page), cold and warm', async () => {
		const t = seedTown(db, '080110');
		const whole = { id: t.municipalityId, slug: t.slug, ubigeo: '080110', name: 'Town 080110' };
		writeTx(db, (tx) => {
			for (let i = 0; i < 2 * AUDIT_EXPORT_PAGE; i++)
				appendAudit(tx, { municipalityId: whole.id, actorUserId: null, type: 'test.event', payload: { i } });
		});
		const doc = await new Response(auditExportStream(db, whole, at)).text();
		const gz = async () =>
			gunzipSync(Buffer.from(await new Response(auditExportGzipStream(db, whole, at)).arrayBuffer())).toString();
		expect(await gz()).toBe(doc);
		expect(cachedAuditPages(db, whole.id)).toBe(2);
		expect(await gz()).toBe(doc);
		expect(JSON.parse(doc).events).toHaveLength(2 * AUDIT_EXPORT_PAGE);
		// then a short unfinished page (sent stored) behind the cached ones
		writeTx(db, (tx) => {
			for (let i = 0; i < 3; i++)
				appendAudit(tx, { municipalityId: whole.id, actorUserId: null, type: 'test.event', payload: { i } });
		});
		const longer = await new Response(auditExportStream(db, whole, at)).text();
		expect(await gz()).toBe(longer);
		expect(JSON.parse(longer).events).toHaveLength(2 * AUDIT_EXPORT_PAGE + 3);
	});

	it('a chain that is not the cached one (a restored backup) is read again, not served from the cache', async () => {
		await gzipped();
		expect(cachedAuditPages(db, town.id)).toBe(3);
		// rewrite the chain behind the cache (the append-only trigger set aside, as only a restore could)
		db.$client.exec('DROP TRIGGER audit_event_no_update');
		db.$client.prepare("UPDATE audit_event SET hash = 'rewritten-' || seq WHERE municipality_id = ?").run(town.id);
		expect(await gzipped()).toBe(await plain());
		expect(await gzipped()).toContain('rewritten-');
	});
});
