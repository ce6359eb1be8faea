import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { storePhoto, uploadsDir } from './uploads';
import { makeVariants, parseWidths, variantPath, widthsFor } from './photo-variants';

beforeAll(() => {
	process.env.DATABASE_URL = join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db');
});

describe('photo variants', () => {
	it('offers every standard width below the photo, never an enlargement', () => {
		expect(widthsFor(1600)).toEqual([360, 720, 1080]);
		expect(widthsFor(1080)).toEqual([360, 720]);
		expect(widthsFor(1081)).toEqual([360, 720, 1080]);
		expect(widthsFor(360)).toEqual([]);
		expect(parseWidths(null)).toEqual([]);
		expect(parseWidths('')).toEqual([]);
		expect(parseWidths('360,720,999')).toEqual([360, 720]);
	});

	it('makes AVIF and WebP files of those widths from the stored JPEG, once', async () => {
		const png = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#385' } })
			.png()
			.toBuffer();
		const stored = await storePhoto(new File([png], 'a.png', { type: 'image/png' }));
		const photo = { filePath: stored.path, sha256: stored.sha256, width: stored.width };
		expect(await makeVariants(photo)).toEqual([360, 720, 1080]);
		for (const w of [360, 720, 1080]) {
			const avif = await sharp(readFileSync(join(uploadsDir(), variantPath(stored.sha256, w, 'avif')))).metadata();
			expect([avif.format, avif.width]).toEqual(['heif', w]);
			const webp = await sharp(readFileSync(join(uploadsDir(), variantPath(stored.sha256, w, 'webp')))).metadata();
			expect([webp.format, webp.width]).toEqual(['webp', w]);
		}
		expect(existsSync(join(uploadsDir(), variantPath(stored.sha256, 1600, 'webp')))).toBe(false);
	});
});
