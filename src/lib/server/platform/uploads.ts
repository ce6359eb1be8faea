import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync, statSync, createReadStream } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { UserError } from '../../domain/errors';
import { databasePath } from '../db/client';

/** Uploaded files live in the data folder, next to the database. */
/** Where uploaded files live: MINKA_UPLOADS, or an `uploads` folder beside the database. */
export function uploadsDir(): string {
	return resolve(process.env.MINKA_UPLOADS ?? join(dirname(databasePath()), 'uploads'));
}

export const MAX_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS = 3;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function store(relative: string, bytes: Uint8Array): string {
	const full = join(uploadsDir(), relative);
	mkdirSync(dirname(full), { recursive: true });
	if (!existsSync(full)) writeFileSync(full, bytes);
	return relative;
}

/** The non-empty File of a form field, or null when the field was left empty. */
export function formFile(value: FormDataEntryValue | null): File | null {
	return value && typeof value !== 'string' && value.size > 0 ? value : null;
}

/** Checks a PDF (really a PDF: `%PDF-` magic bytes; size) and stores it content-addressed. */
export async function storePdf(
	file: File,
	folder: 'ordinances' | 'accreditations'
): Promise<{ path: string; sha256: string }> {
	if (file.size > MAX_PDF_BYTES) throw new UserError('upload.pdfTooLarge', { max: 20 });
	const bytes = new Uint8Array(await file.arrayBuffer());
	const magic = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
	if (!magic.startsWith('%PDF-') && !(magic.includes('%PDF-') && magic.indexOf('%PDF-') < 1024))
		throw new UserError('upload.notPdf');
	const sha256 = sha256Hex(bytes);
	return { path: store(join(folder, `${sha256}.pdf`), bytes), sha256 };
}

export interface StoredPhoto {
	path: string;
	sha256: string;
	mimeType: string;
	width: number;
	height: number;
	bytes: number;
}

/** Checks type and size, re-encodes to JPEG (≤ 1600 px, orientation applied, every metadata block dropped). */
export async function storePhoto(file: File): Promise<StoredPhoto> {
	if (file.size > MAX_PHOTO_BYTES)
		throw new UserError('upload.photoTooLarge', { name: file.name.slice(0, 80), max: 8 });
	if (file.type && !PHOTO_TYPES.includes(file.type))
		throw new UserError('upload.photoType', { name: file.name.slice(0, 80) });
	let out: { data: Buffer; info: { width: number; height: number } };
	try {
		out = await sharp(new Uint8Array(await file.arrayBuffer()), { limitInputPixels: 50_000_000 })
			.rotate()
			.resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true })
			.jpeg({ quality: 80, mozjpeg: true })
			.toBuffer({ resolveWithObject: true });
	} catch {
		throw new UserError('upload.photoType', { name: file.name.slice(0, 80) });
	}
	const sha256 = sha256Hex(out.data);
	return {
		path: store(join('photos', `${sha256}.jpg`), out.data),
		sha256,
		mimeType: 'image/jpeg',
		width: out.info.width,
		height: out.info.height,
		bytes: out.data.length
	};
}

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
