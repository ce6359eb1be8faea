/**
 * Browser only: re-encodes a photo through a canvas (≤ 1600 px on the long side, JPEG) before it is uploaded.
 * Anything the browser cannot do (decode, canvas, toBlob) leaves the file as it is: the server accepts the original
 * and shrinks it itself, as it does when JavaScript is off. EXIF orientation is applied by the decode and every
 * metadata block (GPS, camera) is left behind by the re-encode.
 */
import { keepShrunk, shrinkPlan, SHRINK_QUALITY } from '$lib/domain/photo-shrink';

const SHRINKABLE = /^image\/(jpeg|png|webp)$/;

export async function shrinkPhoto(file: File): Promise<File> {
	if (!SHRINKABLE.test(file.type) || typeof createImageBitmap !== 'function') return file;
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		return file;
	}
	try {
		const plan = shrinkPlan(bitmap.width, bitmap.height, file.size);
		if (!plan) return file;
		const canvas = document.createElement('canvas');
		canvas.width = plan.width;
		canvas.height = plan.height;
		const ctx = canvas.getContext('2d');
		if (!ctx) return file;
		// A transparent PNG becomes a JPEG on white, not on black.
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, plan.width, plan.height);
		ctx.imageSmoothingQuality = 'high';
		ctx.drawImage(bitmap, 0, 0, plan.width, plan.height);
		const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', SHRINK_QUALITY));
		canvas.width = canvas.height = 0; // release the pixels now: phones have little memory
		if (!blob || !keepShrunk(file.size, blob.size)) return file;
		const name = file.name.replace(/\.[A-Za-z0-9]{1,5}$/, '') + '.jpg';
		return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
	} catch {
		return file;
	} finally {
		bitmap.close();
	}
}

/** Puts files back into a file input (browsers without DataTransfer keep what the person chose). */
export function replaceFiles(input: HTMLInputElement, files: File[]): boolean {
	try {
		const dt = new DataTransfer();
		for (const f of files) dt.items.add(f);
		input.files = dt.files;
		return input.files?.length === files.length;
	} catch {
		return false;
	}
}
