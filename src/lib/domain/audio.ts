/**
 * Short recorded audio for the ballot (issue 16 point 5): MP3, M4A or Ogg Opus, recognised by content and timed
 * from the container's own headers (no decoding, no transcoding). Pure: bytes in, facts out; never throws on hostile
 * input, it answers null instead.
 *
 * Why our own reader and not a metadata library: we accept three containers and need two facts (which one, how
 * long). Walking MP3 frame headers, ISO-BMFF boxes down to `mvhd`, and Ogg pages to the last granule position is
 * about a hundred lines that read only fixed-size headers with bounds checks, and they add no dependency (and no
 * tag parsers, picture extractors or codecs) to the path that reads files from the outside.
 */

export const AUDIO_FORMATS = ['mp3', 'm4a', 'opus'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export const MAX_AUDIO_BYTES = 1024 * 1024;
export const MAX_AUDIO_MS = 3 * 60 * 1000;

export const AUDIO_MIME: Record<AudioFormat, string> = { mp3: 'audio/mpeg', m4a: 'audio/mp4', opus: 'audio/ogg' };
export const AUDIO_EXT: Record<AudioFormat, string> = { mp3: 'mp3', m4a: 'm4a', opus: 'opus' };

export interface AudioFacts {
	format: AudioFormat;
	durationMs: number;
}

const ascii = (b: Uint8Array, at: number, n: number) =>
	at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '';
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
const u32le = (b: Uint8Array, at: number) => ((b[at + 3] << 24) >>> 0) + (b[at + 2] << 16) + (b[at + 1] << 8) + b[at];

/** What the bytes are and how long they play, or null when they are none of the accepted audio containers. */
export function readAudio(bytes: Uint8Array): AudioFacts | null {
	try {
		if (ascii(bytes, 0, 4) === 'OggS') return withFormat('opus', opusDurationMs(bytes));
		if (ascii(bytes, 4, 4) === 'ftyp') return withFormat('m4a', m4aDurationMs(bytes));
		return withFormat('mp3', mp3DurationMs(bytes));
	} catch {
		return null;
	}
}

const withFormat = (format: AudioFormat, ms: number | null): AudioFacts | null =>
	ms !== null && Number.isFinite(ms) && ms > 0 ? { format, durationMs: Math.round(ms) } : null;

// ---------- MP3 (MPEG-1/2/2.5 Layer III frames, after an optional ID3v2 tag) ----------

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Frame {
	length: number;
	samples: number;
	rate: number;
}

function mp3Frame(b: Uint8Array, at: number): Frame | null {
	if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
	const version = (b[at + 1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved
	const layer = (b[at + 1] >> 1) & 3; // 1 = Layer III
	const bitrateIndex = b[at + 2] >> 4;
	const rateIndex = (b[at + 2] >> 2) & 3;
	if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
	const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
	const rate = RATES[version][rateIndex];
	const samples = version === 3 ? 1152 : 576;
	const padding = (b[at + 2] >> 1) & 1;
	return { length: Math.floor(((samples / 8) * kbps * 1000) / rate) + padding, samples, rate };
}

function mp3DurationMs(b: Uint8Array): number | null {
	let at = 0;
	if (ascii(b, 0, 3) === 'ID3' && b.length >= 10) {
		const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
		at = 10 + size + (b[5] & 0x10 ? 10 : 0);
	}
	// Encoders may pad the tag with a few zero bytes; the first frame must follow closely.
	const limit = Math.min(b.length, at + 2048);
	while (at < limit && !mp3Frame(b, at)) at++;
	let frames = 0;
	let seconds = 0;
	let first: Frame | null = null;
	for (let f = mp3Frame(b, at); f; f = mp3Frame(b, at)) {
		first ??= f;
		if (f.rate !== first.rate) return null;
		if (at + f.length > b.length) break; // a cut last frame still plays its whole length at most
		frames++;
		seconds += f.samples / f.rate;
		at += f.length;
	}
	// Two frames in a row at least, and after the last one only a cut frame, a tag (ID3v1 "TAG", APE) or zero padding.
	if (frames < 2) return null;
	const tail = b.subarray(at);
	const allowed =
		tail.length === 0 ||
		mp3Frame(b, at) !== null ||
		ascii(b, at, 3) === 'TAG' ||
		ascii(b, at, 8) === 'APETAGEX' ||
		tail.every((x) => x === 0);
	if (!allowed) return null;
	return seconds * 1000;
}

// ---------- M4A (ISO base media file: ftyp, then moov/mvhd for the duration, an audio track and no video) ----------

interface BoxFacts {
	durationMs: number | null;
	sound: boolean;
	video: boolean;
}

function walkBoxes(b: Uint8Array, start: number, end: number, facts: BoxFacts, depth: number): boolean {
	let at = start;
	while (at + 8 <= end) {
		let size = u32be(b, at);
		const type = ascii(b, at + 4, 4);
		let header = 8;
		if (size === 1) {
			if (at + 16 > end || u32be(b, at + 8) !== 0) return false; // 64-bit sizes beyond 4 GB: not ours
			size = u32be(b, at + 12);
			header = 16;
		} else if (size === 0) size = end - at;
		if (size < header || at + size > end) return false;
		const body = at + header;
		if (type === 'moov' || type === 'trak' || type === 'mdia') {
			if (depth > 4 || !walkBoxes(b, body, at + size, facts, depth + 1)) return false;
		} else if (type === 'mvhd' && body + 32 <= at + size) {
			const v1 = b[body] === 1;
			const timescale = u32be(b, body + (v1 ? 20 : 12));
			const duration = v1 ? u32be(b, body + 24) * 2 ** 32 + u32be(b, body + 28) : u32be(b, body + 16);
			if (timescale === 0) return false;
			facts.durationMs = (duration * 1000) / timescale;
		} else if (type === 'hdlr' && body + 12 <= at + size) {
			const handler = ascii(b, body + 8, 4);
			if (handler === 'soun') facts.sound = true;
			if (handler === 'vide') facts.video = true;
		}
		at += size;
	}
	return at === end;
}

function m4aDurationMs(b: Uint8Array): number | null {
	const facts: BoxFacts = { durationMs: null, sound: false, video: false };
	if (!walkBoxes(b, 0, b.length, facts, 0)) return null;
	return facts.sound && !facts.video ? facts.durationMs : null;
}

// ---------- Ogg Opus (OpusHead on the first page; the last page's granule position, less the pre-skip) ----------

function opusDurationMs(b: Uint8Array): number | null {
	let at = 0;
	let serial: number | null = null;
	let preSkip = 0;
	let granule = -1;
	let pages = 0;
	while (at < b.length) {
		if (ascii(b, at, 4) !== 'OggS' || at + 27 > b.length || b[at + 4] !== 0) return null;
		const segments = b[at + 26];
		if (at + 27 + segments > b.length) return null;
		let payload = 0;
		for (let i = 0; i < segments; i++) payload += b[at + 27 + i];
		const body = at + 27 + segments;
		if (body + payload > b.length) return null;
		const pageSerial = u32le(b, at + 14);
		if (pages === 0) {
			if (ascii(b, body, 8) !== 'OpusHead' || payload < 19) return null;
			serial = pageSerial;
			preSkip = b[body + 10] | (b[body + 11] << 8);
		} else if (pageSerial !== serial) return null; // one stream only: no chained or multiplexed files
		const low = u32le(b, at + 6);
		const high = u32le(b, at + 10);
		if (!(low === 0xffffffff && high === 0xffffffff)) granule = high * 2 ** 32 + low;
		pages++;
		at = body + payload;
	}
	if (pages < 2 || granule < preSkip) return null;
	return ((granule - preSkip) * 1000) / 48000;
}

/** The refusal for an audio file, or null when it may be stored: type by content, then size, then length. */
export function audioRefusal(
	bytes: Uint8Array
): { code: 'upload.audioType' | 'upload.audioTooLarge' | 'upload.audioTooLong' } | null {
	if (bytes.length > MAX_AUDIO_BYTES) return { code: 'upload.audioTooLarge' };
	const facts = readAudio(bytes);
	if (!facts) return { code: 'upload.audioType' };
	if (facts.durationMs > MAX_AUDIO_MS) return { code: 'upload.audioTooLong' };
	return null;
}
