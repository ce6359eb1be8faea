/** Uploads checked by content, bounded in pixels and per account (security review M4, L4). */
import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { openDatabase, type Db } from '../db/client';
import {
	chargeUploadQuota,
	isPdf,
	preparePdf,
	preparePhoto,
	pixelBoundExceeded,
	uploadsDir,
	UPLOAD_QUOTA_BYTES
} from './uploads';
import { minimalPdf } from '../../../../tests/support/pdf';

let db: Db;
beforeAll(() => {
	process.env.DATABASE_URL = join(mkdtempSync(join(tmpdir(), 'minka-up-')), 't.db');
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(process.env.DATABASE_URL);
});

const CRC = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
const crc32 = (b: Buffer) => {
	let c = 0xffffffff;
	for (const x of b) c = CRC[(c ^ x) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
};
/** A PNG that claims width × height pixels in a few hundred bytes (a decompression bomb's header). */
function bombPng(width: number, height: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
		chunk('IEND', Buffer.alloc(0))
	]);
}

describe('photos are checked by what they are', () => {
	it('an SVG labelled image/png is refused', async () => {
		const svg = Buffer.from(
			'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd"/></svg>'
		);
		await expect(preparePhoto(new File([svg], 'a.png', { type: 'image/png' }))).rejects.toThrow('upload.photoType');
		await expect(preparePhoto(new File([svg], 'a.png'))).rejects.toThrow('upload.photoType');
	});

	it('PNG above 25 megapixels, and a tiny file claiming 20 megapixels, are refused before decoding', async () => {
		await expect(
			preparePhoto(new File([new Uint8Array(bombPng(7000, 7000))], 'b.png', { type: 'image/png' }))
		).rejects.toThrow('upload.photoPixels');
		await expect(
			preparePhoto(new File([new Uint8Array(bombPng(5000, 4000))], 'c.png', { type: 'image/png' }))
		).rejects.toThrow('upload.photoPixels');
	});

	it('pixel bounds at their edges: JPEG/HEIF 50 MP, PNG/WebP 25 MP, one byte per 100 pixels above 16 MP', () => {
		const roomy = 10_000_000; // bytes: enough for the ratio bound at every size below
		expect(pixelBoundExceeded('jpeg', 50_000_000, roomy)).toBeNull();
		expect(pixelBoundExceeded('jpeg', 50_000_001, roomy)).toBe(50_000_000);
		expect(pixelBoundExceeded('heif', 48_000_000, roomy)).toBeNull();
		expect(pixelBoundExceeded('png', 25_000_000, roomy)).toBeNull();
		expect(pixelBoundExceeded('png', 25_000_001, roomy)).toBe(25_000_000);
		expect(pixelBoundExceeded('webp', 25_000_001, roomy)).toBe(25_000_000);
		expect(pixelBoundExceeded('gif', 1, roomy)).toBe(0);
		// Decompression ratio: only above 16 MP, and at exactly one byte per 100 pixels it passes.
		expect(pixelBoundExceeded('png', 16_000_000, 10)).toBeNull();
		expect(pixelBoundExceeded('jpeg', 20_000_000, 200_000)).toBeNull();
		expect(pixelBoundExceeded('jpeg', 20_000_000, 199_999)).toBe(16_000_000);
		expect(pixelBoundExceeded('jpeg', 48_000_000, 143_000)).toBe(16_000_000);
	});

	it('a checked photo reaches the disk only when written', async () => {
		const small = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#385' } })
			.png()
			.toBuffer();
		const p = await preparePhoto(new File([small], 'ok.png', { type: 'image/png' }));
		expect(existsSync(join(uploadsDir(), p.path))).toBe(false);
		p.write();
		expect(existsSync(join(uploadsDir(), p.path))).toBe(true);
	});
});

describe('PDFs are parsed, not sniffed', () => {
	it('refuses a marker in an HTML comment, a header-only file and a broken cross-reference offset', async () => {
		const html = Buffer.from('<html><!-- %PDF-1.4 --><script>alert(1)</script></html>\n%%EOF');
		expect(isPdf(html)).toBe(false);
		await expect(
			preparePdf(new File([new Uint8Array(html)], 'a.pdf', { type: 'application/pdf' }), 'accreditations')
		).rejects.toThrow('upload.notPdf');
		expect(isPdf(Buffer.from('%PDF-1.4\n%%EOF\n'))).toBe(false);
		expect(
			isPdf(
				Buffer.from(
					minimalPdf()
						.toString('latin1')
						.replace(/startxref\n\d+/, 'startxref\n3')
				)
			)
		).toBe(false);
		expect(isPdf(Buffer.concat([Buffer.from(' '), minimalPdf()]))).toBe(false);
	});
	it('accepts a well-formed PDF and holds it until written', async () => {
		expect(isPdf(minimalPdf())).toBe(true);
		const p = await preparePdf(new File([new Uint8Array(minimalPdf('x'))], 'a.pdf'), 'observations');
		expect(existsSync(join(uploadsDir(), p.path))).toBe(false);
	});
});

describe('per-account upload quota', () => {
	it('counts bytes per account per day and refuses what does not fit, without counting it', () => {
		chargeUploadQuota(db, 7, UPLOAD_QUOTA_BYTES - 10);
		expect(() => chargeUploadQuota(db, 7, 11)).toThrow('upload.quota');
		chargeUploadQuota(db, 7, 10);
		chargeUploadQuota(db, 8, 11);
		expect(() => chargeUploadQuota(db, 7, 1)).toThrow('upload.quota');
		chargeUploadQuota(db, 7, 1, Date.now() + 25 * 60 * 60 * 1000);
	});
});
