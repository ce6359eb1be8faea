/**
 * Shrinking a photo in the browser before it is uploaded (a phone's 4–5 MB photo becomes a few hundred KB on a slow
 * link). Pure: the decision and the size; the canvas work is in components/rounds/shrink-photo.ts. The server still
 * checks, re-encodes and strips every photo it receives (platform/uploads.ts): this only saves the resident's data.
 */

/** The server keeps photos at most this many pixels on the long side: nothing larger is worth sending. */
export const SHRINK_MAX_SIDE = 1600;
/** JPEG quality of the re-encode: high, since the server encodes once more. */
export const SHRINK_QUALITY = 0.85;
/** A photo already within the size and this light is sent as it is (re-encoding would gain little). */
export const SHRINK_KEEP_BYTES = 400 * 1024;

/** The size to re-encode to, or null to send the file as it is. */
export function shrinkPlan(width: number, height: number, bytes: number): { width: number; height: number } | null {
	if (!(width > 0 && height > 0)) return null;
	const long = Math.max(width, height);
	if (long <= SHRINK_MAX_SIDE && bytes <= SHRINK_KEEP_BYTES) return null;
	const scale = Math.min(1, SHRINK_MAX_SIDE / long);
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Keep the re-encoded file only when it is lighter than the original. */
export function keepShrunk(originalBytes: number, shrunkBytes: number): boolean {
	return shrunkBytes > 0 && shrunkBytes < originalBytes;
}
