import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync, statSync, createReadStream } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { UserError } from '../../domain/errors';
import { eq } from 'drizzle-orm';
import { databasePath, type Db } from '../db/client';
import { rateLimits } from '../db/schema/index';
import { AUDIO_EXT, MAX_AUDIO_BYTES, audioRefusal, readAudio, type AudioFormat } from '../../domain/audio';

/** Where uploaded files live: MINKA_UPLOADS, or an `uploads` folder beside the database. */
export function uploadsDir(): string {
	return resolve(process.env.MINKA_UPLOADS ?? join(dirname(databasePath()), 'uploads'));
}

export const MAX_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS = 3;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];
/**
 * Pixels a photo may have, by the format its bytes say (not its name or declared type): phones shoot JPEG and HEIF at
 * 48–50 megapixels; PNG and WebP, which are rarely camera output, stop at 25.
 */
export const MAX_PIXELS: Record<string, number> = {
	jpeg: 50_000_000,
	heif: 50_000_000,
	png: 25_000_000,
	webp: 25_000_000
};
/**
 * Decompression bound: above 16 megapixels an image must carry at least one byte per 100 pixels. A real 48 MP photo
 * weighs 8–15 MB; a 49 MP PNG of 143 KB (a decompression bomb) is refused before sharp decodes it.
 */
export const BOMB_MIN_PIXELS = 16_000_000;
export const MIN_BYTES_PER_100_PIXELS = 1;

/**
 * The pixel bounds, before anything is decoded: null when the image may be decoded, else the bound it broke (the
 * per-format maximum, or BOMB_MIN_PIXELS when the file is too small for its pixel count).
 */
export function pixelBoundExceeded(format: string, pixels: number, bytes: number): number | null {
	const max = MAX_PIXELS[format] ?? 0;
	if (pixels > max) return max;
	if (pixels > BOMB_MIN_PIXELS && bytes * 100 < pixels * MIN_BYTES_PER_100_PIXELS) return BOMB_MIN_PIXELS;
	return null;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function store(relative: string, bytes: Uint8Array): string {
	const full = join(uploadsDir(), relative);
	mkdirSync(dirname(full), { recursive: true });
	if (!existsSync(full)) writeFileSync(full, bytes);
	return relative;
}

/**
 * A checked upload held in memory: `write()` puts it on disk. Every command that records an upload takes it in this
 * form and calls `write()` inside its transaction, after its permission and validation checks: a refused request
 * leaves no file behind (security review M4).
 */
export interface PreparedUpload {
	path: string;
	sha256: string;
	write: () => void;
}

/** What a command that records a file takes: a prepared upload (written by the command), or a path already stored. */
export type PendingUpload = { path: string; sha256: string; write?: () => void };

const prepared = (relative: string, bytes: Uint8Array, sha256: string): PreparedUpload => ({
	path: relative,
	sha256,
	write: () => void store(relative, bytes)
});

/** The non-empty File of a form field, or null when the field was left empty. */
export function formFile(value: FormDataEntryValue | null): File | null {
	return value && typeof value !== 'string' && value.size > 0 ? value : null;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * Whether the bytes are a PDF by its structure, not a marker somewhere: the header `%PDF-1.x`/`%PDF-2.x` at byte 0,
 * `startxref` and `%%EOF` in the trailer, and the cross-reference offset pointing inside the file at an `xref` table
 * or an `N G obj` cross-reference stream. An HTML page with `%PDF-` in a comment is refused.
 */
export function isPdf(bytes: Uint8Array): boolean {
	if (!/^%PDF-[12]\.\d/.test(latin1(bytes.subarray(0, 8)))) return false;
	const tail = latin1(bytes.subarray(Math.max(0, bytes.length - 1024)));
	const m = /startxref\s+(\d{1,12})\s+%%EOF\s*$/.exec(tail);
	if (!m) return false;
	const offset = Number(m[1]);
	if (offset <= 0 || offset >= bytes.length) return false;
	const at = latin1(bytes.subarray(offset, offset + 32));
	return /^xref\b/.test(at) || /^\d+\s+\d+\s+obj\b/.test(at);
}

/** Checks a PDF (its structure; size) and holds it, content-addressed, until `write()`. */
export async function preparePdf(file: File, folder: string): Promise<PreparedUpload> {
	if (file.size > MAX_PDF_BYTES) throw new UserError('upload.pdfTooLarge', { max: 20 });
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (!isPdf(bytes)) throw new UserError('upload.notPdf');
	const sha256 = sha256Hex(bytes);
	return prepared(join(folder, `${sha256}.pdf`), bytes, sha256);
}

export interface StoredPhoto {
	path: string;
	sha256: string;
	mimeType: string;
	width: number;
	height: number;
	bytes: number;
}

/**
 * Checks a photo by its content and re-encodes it to JPEG (≤ 1600 px, orientation applied, every metadata block
 * dropped), held in memory until `write()`. The format comes from the bytes (an SVG labelled image/png is refused),
 * the pixel count is bounded per format and against the file size before anything is decoded.
 */
export async function preparePhoto(file: File): Promise<PreparedPhoto> {
	const name = file.name.slice(0, 80);
	if (file.size > MAX_PHOTO_BYTES) throw new UserError('upload.photoTooLarge', { name, max: 8 });
	if (file.type && !PHOTO_TYPES.includes(file.type)) throw new UserError('upload.photoType', { name });
	const input = new Uint8Array(await file.arrayBuffer());
	let format: string | undefined;
	let pixels = 0;
	try {
		const meta = await sharp(input).metadata();
		format =
			meta.format === 'heif' || meta.format === 'jpeg' || meta.format === 'png' || meta.format === 'webp'
				? meta.format
				: undefined;
		pixels = (meta.width ?? 0) * (meta.height ?? 0) * Math.max(1, meta.pages ?? 1);
	} catch {
		format = undefined;
	}
	if (!format || !pixels) throw new UserError('upload.photoType', { name });
	const tooMany = pixelBoundExceeded(format, pixels, input.length);
	if (tooMany !== null) throw new UserError('upload.photoPixels', { name, max: Math.round(tooMany / 1_000_000) });
	let out: { data: Buffer; info: { width: number; height: number } };
	try {
		out = await sharp(input, { limitInputPixels: MAX_PIXELS[format], pages: 1 })
			.rotate()
			.resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
			.jpeg({ quality: 80, mozjpeg: true })
			.toBuffer({ resolveWithObject: true });
	} catch {
		throw new UserError('upload.photoType', { name });
	}
	const sha256 = sha256Hex(out.data);
	const relative = join('photos', `${sha256}.jpg`);
	return {
		...prepared(relative, out.data, sha256),
		mimeType: 'image/jpeg',
		width: out.info.width,
		height: out.info.height,
		bytes: out.data.length
	};
}

/** A photo checked and re-encoded, not yet on disk: the command that records it calls `write()` after its checks. */
export type PreparedPhoto = StoredPhoto & PreparedUpload;

/** Checks, re-encodes and stores a photo at once: for seeding the demo only (no permission is involved). */
export async function storePhoto(file: File): Promise<StoredPhoto> {
	const { write, ...photo } = await preparePhoto(file);
	write();
	return photo;
}

/** Bytes one account may send in uploads per day (photos, PDFs, attachments), counted before anything is written. */
export const UPLOAD_QUOTA_BYTES = 100 * 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Charges the files of a form to the account's daily quota, or refuses (429) when they do not fit; nothing is counted
 * then. One row per account in rate_limit (count = bytes).
 */
export function chargeUploadQuota(db: Db, userId: number, bytes: number, now = Date.now()) {
	if (bytes <= 0) return;
	const key = `upload:bytes:${userId}`;
	const row = db.select().from(rateLimits).where(eq(rateLimits.key, key)).get();
	const used = row && row.windowEndsAt > now ? row.count : 0;
	if (used + bytes > UPLOAD_QUOTA_BYTES)
		throw new UserError('upload.quota', { max: UPLOAD_QUOTA_BYTES / 1024 / 1024 }, 429);
	db.insert(rateLimits)
		.values({ key, count: bytes, windowEndsAt: now + DAY })
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: { count: used + bytes, windowEndsAt: row && row.windowEndsAt > now ? row.windowEndsAt : now + DAY }
		})
		.run();
}

/** Total size of the files in a form. */
export const formFileBytes = (form: FormData) =>
	[...form.values()].reduce((n, v) => n + (typeof v === 'string' ? 0 : v.size), 0);

/** A streaming Response for a stored upload (path relative to the uploads folder), or null when missing. */
export function streamUpload(relative: string, contentType: string, downloadName?: string): Response | null {
	const root = uploadsDir();
	const full = normalize(join(root, relative));
	if (!full.startsWith(root + sep) || !existsSync(full)) return null;
	const size = statSync(full).size;
	const headers: Record<string, string> = {
		'Content-Type': contentType,
		'Content-Length': String(size),
		'Cache-Control': 'public, max-age=31536000, immutable',
		'X-Content-Type-Options': 'nosniff'
	};
	if (downloadName) headers['Content-Disposition'] = `inline; filename="${downloadName.replace(/[^\w.-]/g, '_')}"`;
	return new Response(Readable.toWeb(createReadStream(full)) as ReadableStream, { headers });
}

/**
 * Reads a multipart form. A body above the server's limit (BODY_SIZE_LIMIT) cannot be read at all: that becomes a
 * translated refusal instead of an error page.
 */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (e) {
		const status = (e as { status?: number })?.status;
		if (status === 413 || /exceeds limit/i.test(String((e as Error)?.message ?? e)))
			throw new UserError('upload.bodyTooLarge', { max: 8 }, 400);
		throw new UserError('upload.unreadable');
	}
}

/**
 * Checks a short recording by its content (MP3, M4A or Ogg Opus; at most 1 MB and 3 minutes, timed from the
 * container's headers) and stores it as uploaded, content-addressed under `audio/`. No transcoding.
 */
export async function storeAudio(
	file: File
): Promise<{ path: string; sha256: string; format: AudioFormat; bytes: number; durationMs: number }> {
	if (file.size > MAX_AUDIO_BYTES) throw new UserError('upload.audioTooLarge', { max: 1 });
	const bytes = new Uint8Array(await file.arrayBuffer());
	const refusal = audioRefusal(bytes);
	if (refusal) throw new UserError(refusal.code, { max: refusal.code === 'upload.audioTooLong' ? 3 : 1 });
	const facts = readAudio(bytes)!;
	const sha256 = sha256Hex(bytes);
	return {
		path: store(join('audio', `${sha256}.${AUDIO_EXT[facts.format]}`), bytes),
		sha256,
		format: facts.format,
		bytes: bytes.length,
		durationMs: facts.durationMs
	};
}
