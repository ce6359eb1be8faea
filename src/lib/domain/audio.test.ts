/**
 * The audio reader on files built byte by byte: each bounds check and each refusal of readAudio meets an input that
 * sits exactly on it (the recordings in tests/fixtures are checked in tests/unit/audio-reader.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readAudio } from './audio';

const text = (s: string) => [...new TextEncoder().encode(s)];
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());
const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => u32be(n).reverse();

// ---------- MP3: frames of zeros behind a real header ----------

/** One frame: MPEG-1 (0xfb) or MPEG-2 (0xf3) Layer III, bitrate/rate byte as given, padded to its length. */
function frame(b1: number, b2: number, length: number): number[] {
	const f = new Array<number>(length).fill(0);
	f[0] = 0xff;
	f[1] = b1;
	f[2] = b2;
	return f;
}
// MPEG-1, 128 kbps (index 9), 44.1 kHz (index 0): 144 × 128000 / 44100 = 417 bytes, 1152 samples.
const F441 = frame(0xfb, 0x90, 417);
// The same with the padding bit: one byte longer.
const F441P = frame(0xfb, 0x92, 418);
// MPEG-1, 128 kbps, 48 kHz (index 1): 384 bytes.
const F48 = frame(0xfb, 0x94, 384);
// MPEG-2 Layer III, 64 kbps (V2 index 8), 24 kHz (index 1): 72 × 64000 / 24000 = 192 bytes, 576 samples.
const F2 = frame(0xf3, 0x84, 192);
const times = (f: number[], n: number) => Array.from({ length: n }, () => f).flat();
const ms441 = (n: number) => Math.round((n * 1152 * 1000) / 44100);

/** An ID3v2 tag whose declared (syncsafe) size is `size`, filled with text that holds no frame header. */
function id3(size: number, footer = false): number[] {
	const syncsafe = [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
	const body = text('x'.repeat(size));
	return [
		...text('ID3'),
		4,
		0,
		footer ? 0x10 : 0,
		...syncsafe,
		...body,
		...(footer ? [...text('3DI'), 4, 0, 0x10, ...syncsafe] : [])
	];
}

describe('MP3 frames', () => {
	it('sums each frame: MPEG-1 at 44.1 and 48 kHz, padded frames, MPEG-2', () => {
		expect(readAudio(bytes(times(F441, 10)))).toEqual({ format: 'mp3', durationMs: ms441(10) });
		expect(readAudio(bytes(times(F48, 10)))?.durationMs).toBe(240); // 10 × 1152 / 48000
		// a padded frame is one byte longer; counting it as shorter would lose the next frame
		expect(readAudio(bytes(times(F441P, 10)))?.durationMs).toBe(ms441(10));
		// MPEG-2: 576 samples a frame, bitrates from its own table
		expect(readAudio(bytes(times(F2, 10)))?.durationMs).toBe(240); // 10 × 576 / 24000
	});

	it('needs two frames in a row: two are a stream, one is not', () => {
		expect(readAudio(bytes(times(F441, 2)))?.durationMs).toBe(ms441(2));
		expect(readAudio(bytes(F441))).toBeNull();
	});

	it('refuses a stream whose sample rate changes', () => {
		expect(readAudio(bytes(times(F441, 3), times(F48, 3)))).toBeNull();
	});

	it('refuses reserved and unsupported headers: Layer II, MPEG version 1, free or bad bitrate, reserved rate', () => {
		const bad = [
			frame(0xfd, 0x90, 417), // Layer II
			frame(0xeb, 0x90, 417), // version bits 01: reserved
			frame(0xfb, 0x00, 417), // bitrate index 0: free format
			frame(0xfb, 0xf0, 417), // bitrate index 15: bad
			frame(0xfb, 0x9c, 417) // rate index 3: reserved
		];
		for (const f of bad) expect(readAudio(bytes(times(f, 4)))).toBeNull();
	});

	it('counts a cut last frame as nothing, and accepts it', () => {
		expect(readAudio(bytes(times(F441, 4), F441.slice(0, 200)))?.durationMs).toBe(ms441(4));
	});

	it('accepts after the frames only an ID3v1 tag, an APE tag or zero padding', () => {
		const frames = times(F441, 4);
		expect(readAudio(bytes(frames, text('TAG'), new Array(125).fill(32)))?.durationMs).toBe(ms441(4));
		expect(readAudio(bytes(frames, text('APETAGEX')))?.durationMs).toBe(ms441(4)); // the tag's id, to the last byte
		expect(readAudio(bytes(frames, new Array(100).fill(0)))?.durationMs).toBe(ms441(4));
		expect(readAudio(bytes(frames, text('<script>')))).toBeNull();
		expect(readAudio(bytes(frames, [0, 0, 1]))).toBeNull(); // padding is zeros only
		expect(readAudio(bytes(frames, text('APETAGE')))).toBeNull();
	});

	it('skips an ID3v2 tag by its declared size, however large, with or without its footer', () => {
		expect(readAudio(bytes(id3(5000), times(F441, 4)))?.durationMs).toBe(ms441(4));
		expect(readAudio(bytes(id3(5000, true), times(F441, 4)))?.durationMs).toBe(ms441(4));
		// no tag: bytes 6–9 are frame data, not a size
		expect(readAudio(bytes(times(F441, 4)))?.durationMs).toBe(ms441(4));
	});

	it('looks for the first frame within 2 KB after the tag, not further', () => {
		// the scan stops at 2048 bytes past the tag, where a frame may still start
		expect(readAudio(bytes(id3(20), new Array(2048).fill(0), times(F441, 4)))?.durationMs).toBe(ms441(4));
		expect(readAudio(bytes(id3(20), new Array(2049).fill(0), times(F441, 4)))).toBeNull();
		expect(readAudio(bytes(new Array(2048).fill(0), times(F441, 4)))?.durationMs).toBe(ms441(4));
		expect(readAudio(bytes(new Array(2049).fill(0), times(F441, 4)))).toBeNull();
	});
});

// ---------- M4A: ISO-BMFF boxes ----------

const box = (type: string, ...body: number[][]) => [...u32be(8 + body.flat().length), ...text(type), ...body.flat()];
const ftyp = box('ftyp', text('M4A '), u32be(0), text('isomM4A '));
/** mvhd version 0: timescale at +12, duration at +16; 100 bytes as written by encoders. */
function mvhd(timescale: number, duration: number, length = 100): number[] {
	const body = new Array<number>(length).fill(0);
	body.splice(12, 8, ...u32be(timescale), ...u32be(duration));
	return box('mvhd', body);
}
function mvhd1(timescale: number, high: number, low: number): number[] {
	const body = new Array<number>(112).fill(0);
	body[0] = 1;
	body.splice(20, 12, ...u32be(timescale), ...u32be(high), ...u32be(low));
	return box('mvhd', body);
}
const hdlr = (handler: string) => box('hdlr', u32be(0), u32be(0), text(handler), new Array(12).fill(0));
const track = (handler: string) => box('trak', box('mdia', hdlr(handler)));
const m4a = (...moov: number[][]) => bytes(ftyp, box('moov', ...moov));

describe('M4A boxes', () => {
	it('reads mvhd duration / timescale, in version 0 and version 1 (64-bit duration)', () => {
		expect(readAudio(m4a(mvhd(1000, 60_000), track('soun')))).toEqual({ format: 'm4a', durationMs: 60_000 });
		expect(readAudio(m4a(mvhd1(1000, 0, 60_000), track('soun')))?.durationMs).toBe(60_000);
		// 2^32 units at 2^22 a second: the high word counts
		expect(readAudio(m4a(mvhd1(2 ** 22, 1, 0), track('soun')))?.durationMs).toBe(1_024_000);
	});

	it('needs a sound track and no video track', () => {
		expect(readAudio(m4a(mvhd(1000, 5000)))).toBeNull();
		expect(readAudio(m4a(mvhd(1000, 5000), track('vide')))).toBeNull();
		expect(readAudio(m4a(mvhd(1000, 5000), track('soun'), track('vide')))).toBeNull();
	});

	it('refuses a timescale of 0, a zero duration, and an mvhd too short to hold them', () => {
		expect(readAudio(m4a(mvhd(0, 5000), track('soun')))).toBeNull();
		expect(readAudio(m4a(mvhd(1000, 0), track('soun')))).toBeNull();
		// 31 bytes of body: the duration field would be read from the next box
		expect(readAudio(m4a(mvhd(1000, 5000, 31), track('soun')))).toBeNull();
		expect(readAudio(m4a(mvhd(1000, 5000, 32), track('soun')))?.durationMs).toBe(5000);
	});

	it('ignores a handler box too short to name its handler', () => {
		// hdlr of 12 bytes: its handler field would be the next box's type ("soun", a box of our making)
		const short = box('trak', box('mdia', box('hdlr', u32be(0)), box('soun')));
		expect(readAudio(m4a(mvhd(1000, 5000), short))).toBeNull();
	});

	it('walks every box to the end: an empty box last, 64-bit sizes, size 0 "to the end"', () => {
		const good = m4a(mvhd(1000, 5000), track('soun'));
		expect(readAudio(bytes([...good], box('free')))?.durationMs).toBe(5000);
		// size 1: the real size follows in 64 bits (high word 0)
		const large = [...u32be(1), ...text('free'), ...u32be(0), ...u32be(20), 1, 2, 3, 4];
		expect(readAudio(bytes([...good], large))?.durationMs).toBe(5000);
		const huge = [...u32be(1), ...text('free'), ...u32be(1), ...u32be(20), 1, 2, 3, 4];
		expect(readAudio(bytes([...good], huge))).toBeNull();
		expect(readAudio(bytes([...good], [...u32be(1), ...text('free'), 0, 0, 0, 0]))).toBeNull(); // cut size
		// size 0: the box runs to the end of the file
		expect(readAudio(bytes([...good], u32be(0), text('mdat'), [9, 9, 9]))?.durationMs).toBe(5000);
	});

	it('refuses a box smaller than its header, one running past its parent, and trailing bytes', () => {
		const good = m4a(mvhd(1000, 5000), track('soun'));
		expect(readAudio(bytes([...good], u32be(4), text('free')))).toBeNull();
		expect(readAudio(bytes([...good], u32be(20), text('free')))).toBeNull();
		expect(readAudio(bytes([...good], [0, 0, 0]))).toBeNull();
	});

	it('follows moov/trak/mdia five levels deep, not six', () => {
		const nest = (levels: number, inner: number[]): number[] =>
			levels === 0 ? inner : box('trak', nest(levels - 1, inner));
		// moov is depth 0; four more trak levels put the hdlr at depth 5
		expect(readAudio(m4a(mvhd(1000, 5000), nest(4, hdlr('soun'))))?.durationMs).toBe(5000);
		expect(readAudio(m4a(mvhd(1000, 5000), nest(5, hdlr('soun'))))).toBeNull();
	});
});

// ---------- Ogg Opus: pages ----------

/** One Ogg page; granule -1 is "no packet ends here". */
function page(payload: number[], granule: number, serial = 7, version = 0): number[] {
	const lacing: number[] = [];
	let left = payload.length;
	while (left >= 255) {
		lacing.push(255);
		left -= 255;
	}
	lacing.push(left);
	const g =
		granule < 0
			? [...u32le(0xffffffff), ...u32le(0xffffffff)]
			: [...u32le(granule % 2 ** 32), ...u32le(Math.floor(granule / 2 ** 32))];
	return [
		...text('OggS'),
		version,
		0,
		...g,
		...u32le(serial),
		...u32le(0),
		...u32le(0),
		lacing.length,
		...lacing,
		...payload
	];
}
/** OpusHead with the given pre-skip (19 bytes). */
const head = (preSkip = 312, length = 19) =>
	[...text('OpusHead'), 1, 1, preSkip & 255, preSkip >> 8, ...u32le(48000), 0, 0, 0].slice(0, length);
const tags = text('OpusTags');
const audioPage = (granule: number, serial = 7) => page(new Array(300).fill(1), granule, serial);

describe('Ogg Opus pages', () => {
	it('reads (last granule − pre-skip) / 48 kHz; a page with no granule keeps the one before', () => {
		expect(readAudio(bytes(page(head(), 0), page(tags, 0), audioPage(312 + 48000)))).toEqual({
			format: 'opus',
			durationMs: 1000
		});
		expect(readAudio(bytes(page(head(), 0), audioPage(312 + 48000), audioPage(-1)))?.durationMs).toBe(1000);
		// beyond 2^32 samples: the high word counts
		expect(readAudio(bytes(page(head(0), 0), audioPage(2 ** 32)))?.durationMs).toBe(Math.round(2 ** 32 / 48));
	});

	it('needs the OpusHead page and one more: exactly two pages are a stream', () => {
		expect(readAudio(bytes(page(head(), 0), audioPage(312 + 4800)))?.durationMs).toBe(100);
		expect(readAudio(bytes(page(head(), 312 + 4800)))).toBeNull();
	});

	it('refuses no granule at all, a length of zero, and a granule before the pre-skip', () => {
		expect(readAudio(bytes(page(head(0), -1), audioPage(-1)))).toBeNull();
		expect(readAudio(bytes(page(head(), 0), audioPage(312)))).toBeNull();
		expect(readAudio(bytes(page(head(), 0), audioPage(311)))).toBeNull();
	});

	it('refuses a short OpusHead, another stream, a page of another version, and cut or trailing bytes', () => {
		const ok = [...page(head(), 0), ...audioPage(312 + 4800)];
		expect(readAudio(bytes(page(head(312, 18), 0), audioPage(312 + 4800)))).toBeNull();
		expect(readAudio(bytes(page(head(), 0), audioPage(312 + 4800, 8)))).toBeNull(); // chained stream
		expect(readAudio(bytes(page(head(), 0), page(new Array(300).fill(1), 5112, 7, 1)))).toBeNull();
		expect(readAudio(bytes(ok.slice(0, -1)))).toBeNull(); // payload cut
		const lastPage = ok.length - audioPage(0).length;
		expect(readAudio(bytes(ok.slice(0, lastPage + 28)))).toBeNull(); // lacing table cut
		expect(readAudio(bytes(ok.slice(0, lastPage + 26)))).toBeNull(); // page header cut
		expect(readAudio(bytes(ok, text('OggS')))).toBeNull();
		expect(readAudio(bytes(ok, [0]))).toBeNull();
	});
});
