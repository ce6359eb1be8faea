/**
 * Responsive variants of proposal photos: a few widths in AVIF and WebP, made once by sharp from the stored
 * (already re-encoded, metadata-free) JPEG, beside it in the uploads folder. A phone on a slow link downloads
 * a 720 px AVIF of ~50 KB instead of the 1600 px JPEG of ~450 KB.
 *
 * Made in the background, one photo at a time, after the upload is answered (AVIF encoding takes seconds on a
 * small server): `proposal_photo.variant_widths` stays NULL until the files exist, and the page offers only
 * what exists (the JPEG meanwhile). The same queue gives existing photos their variants when the server
 * starts (migration 0010 added the column empty).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { proposalPhotos } from '../db/schema';
import { uploadsDir } from './uploads';

/** 360: a phone at DPR 1; 720: a phone at DPR 2 (a 328 px wide column); 1080: tablets and desktops. */
export const VARIANT_WIDTHS = [360, 720, 1080] as const;
export const VARIANT_FORMATS = ['avif', 'webp'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];
export const VARIANT_TYPES: Record<VariantFormat, string> = { avif: 'image/avif', webp: 'image/webp' };

// AVIF at effort 2 is ~8× faster than the default for a few % more bytes; quality chosen so a detailed
// 720 px photo stays under 60 KB (bench:weight's fine-textured phone photo: 63 KB at 45, 54 KB at 42; a real street
// photo: 34 KB at 45, 30 KB at 42). WebP is the fallback for browsers without AVIF.
const ENCODE = {
	avif: (s: Sharp) => s.avif({ quality: 42, effort: 2 }),
	webp: (s: Sharp) => s.webp({ quality: 60 })
};

/** The stored file of one variant, relative to the uploads folder. */
export function variantPath(sha256: string, width: number, format: VariantFormat): string {
	return join('photos', `${sha256}-${width}.${format}`);
}

/** The widths a photo of this width gets: every standard width below it (never enlarged). */
export function widthsFor(photoWidth: number): number[] {
	return VARIANT_WIDTHS.filter((w) => w < photoWidth);
}

/** "360,720" → [360, 720]; NULL (not made yet) → []. */
export function parseWidths(text: string | null): number[] {
	if (!text) return [];
	return text
		.split(',')
		.map(Number)
		.filter((w) => (VARIANT_WIDTHS as readonly number[]).includes(w));
}

/** Makes the variant files of one stored photo (those already there are kept) and returns their widths. */
export async function makeVariants(photo: { filePath: string; sha256: string; width: number }): Promise<number[]> {
	const root = uploadsDir();
	const source = readFileSync(join(root, photo.filePath));
	const widths = widthsFor(photo.width);
	for (const w of widths) {
		for (const f of VARIANT_FORMATS) {
			const full = join(root, variantPath(photo.sha256, w, f));
			if (existsSync(full)) continue;
			const out = await ENCODE[f](sharp(source).resize({ width: w })).toBuffer();
			mkdirSync(dirname(full), { recursive: true });
			writeFileSync(full, out);
		}
	}
	return widths;
}

let running: Promise<void> | null = null;
let again = false;

/**
 * Makes the variants of every photo that has none yet, one at a time, in the background. Calls while it runs
 * make it look again when done (so a photo uploaded meanwhile is not missed). Resolves when the queue is empty.
 */
export function schedulePhotoVariants(db: Db): Promise<void> {
	if (running) {
		again = true;
		return running;
	}
	running = (async () => {
		do {
			again = false;
			const pending = db
				.select({
					id: proposalPhotos.id,
					filePath: proposalPhotos.filePath,
					sha256: proposalPhotos.sha256,
					width: proposalPhotos.width
				})
				.from(proposalPhotos)
				.where(isNull(proposalPhotos.variantWidths))
				.all();
			for (const ph of pending) {
				let widths: number[];
				try {
					widths = await makeVariants(ph);
				} catch (e) {
					// a missing or unreadable file: serve the JPEG as before, do not try again on every start
					console.error(`photo ${ph.id}: no variants`, e);
					widths = [];
				}
				db.update(proposalPhotos)
					.set({ variantWidths: widths.join(',') })
					.where(eq(proposalPhotos.id, ph.id))
					.run();
			}
		} while (again);
	})()
		// never a rejected promise: callers do not wait (a closed database at shutdown is not worth a crash)
		.catch((e) => console.error('photo variants:', e))
		.finally(() => {
			running = null;
		});
	return running;
}
