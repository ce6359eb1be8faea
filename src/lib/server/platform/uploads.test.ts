import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { preparePdf, storePhoto, uploadsDir, readForm } from './uploads';
import { preparePhotos } from '../proposals';
import { minimalPdf } from '../../../../tests/support/pdf';

beforeAll(() => {
	process.env.DATABASE_URL = join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db');
});

describe('uploads', () => {
	it('stores a real PDF under its SHA-256 and refuses anything else', async () => {
		const pdf = new File([new Uint8Array(minimalPdf())], 'o.pdf', { type: 'application/pdf' });
		const r = await preparePdf(pdf, 'ordinances');
		r.write();
		expect(r.path).toBe(`ordinances/${r.sha256}.pdf`);
		expect(readFileSync(join(uploadsDir(), r.path)).subarray(0, 5).toString()).toBe('%PDF-');
		await expect(
			preparePdf(new File([Buffer.from('<html>not a pdf')], 'x.pdf', { type: 'application/pdf' }), 'ordinances')
		).rejects.toThrow('upload.notPdf');
		await expect(preparePdf(new File([Buffer.alloc(21 * 1024 * 1024)], 'big.pdf'), 'ordinances')).rejects.toThrow(
			'upload.pdfTooLarge'
		);
	});
	it('re-encodes photos to JPEG without metadata, and refuses oversized, fake or too many', async () => {
		const png = await sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#385' } })
			.png()
			.withMetadata({ exif: { IFD0: { Artist: 'Nombre Secreto' } } })
			.toBuffer();
		const stored = await storePhoto(new File([png], 'a.png', { type: 'image/png' }));
		expect(stored).toMatchObject({ mimeType: 'image/jpeg', width: 1600, height: 800 });
		const meta = await sharp(readFileSync(join(uploadsDir(), stored.path))).metadata();
		expect(meta.exif).toBeUndefined();
		await expect(
			storePhoto(new File([Buffer.alloc(30 * 1024 * 1024, 1)], 'big.jpg', { type: 'image/jpeg' }))
		).rejects.toThrow('upload.photoTooLarge');
		await expect(storePhoto(new File([Buffer.from('not an image')], 'x.jpg', { type: 'image/jpeg' }))).rejects.toThrow(
			'upload.photoType'
		);
		await expect(storePhoto(new File([png], 'x.gif', { type: 'image/gif' }))).rejects.toThrow('upload.photoType');
		const f = new File([png], 'a.png', { type: 'image/png' });
		await expect(preparePhotos([f, f, f, f])).rejects.toThrow('upload.tooManyPhotos');
		await expect(preparePhotos([f], 3)).rejects.toThrow('upload.tooManyPhotos');
	});
	it('turns a body over the server limit into a translated refusal', async () => {
		const failing = {
			formData: () =>
				Promise.reject(
					Object.assign(new Error('Content-length of 31457280 exceeds limit of 26214400 bytes.'), { status: 413 })
				)
		} as unknown as Request;
		await expect(readForm(failing)).rejects.toThrow('upload.bodyTooLarge');
	});
});
