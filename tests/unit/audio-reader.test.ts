// Here rather than beside src/lib/domain/audio.ts: it reads the recordings in tests/fixtures, and the domain imports no node: module.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { audioRefusal, MAX_AUDIO_BYTES, MAX_AUDIO_MS, readAudio } from '../../src/lib/domain/audio';

// Tiny recordings made once with espeak-ng and ffmpeg (see tests/fixtures/audio/README.md); ffprobe says ~3.8 s each.
const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/audio/${name}`));
const mp3 = fixture('ballot-es.mp3');
const m4a = fixture('ballot-qu.m4a');
const opus = fixture('ballot-qu.opus');

const near = (ms: number | undefined, expected: number, slack = 150) => {
	expect(ms).toBeGreaterThan(expected - slack);
	expect(ms).toBeLessThan(expected + slack);
};

/** The MP3's frames (after its ID3 tag) repeated: a valid stream `times` as long. */
function longerMp3(times: number): Uint8Array {
	const id3 = mp3[0] === 0x49 ? 10 + ((mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9]) : 0;
	const body = mp3.subarray(id3);
	const out = new Uint8Array(body.length * times);
	for (let i = 0; i < times; i++) out.set(body, i * body.length);
	return out;
}

/** The M4A with its mvhd duration set to `seconds` (the container's own length field). */
function m4aLasting(seconds: number): Uint8Array {
	const b = m4a.slice();
	const at = Buffer.from(b).indexOf('mvhd') + 4;
	const view = new DataView(b.buffer);
	const timescale = view.getUint32(at + 12);
	view.setUint32(at + 16, seconds * timescale);
	return b;
}

/** The Opus file with its last page's granule position set to `seconds` of 48 kHz samples. */
function opusLasting(seconds: number): Uint8Array {
	const b = opus.slice();
	const last = Buffer.from(b).lastIndexOf('OggS');
	const view = new DataView(b.buffer);
	const granule = seconds * 48000 + 312;
	view.setUint32(last + 6, granule % 2 ** 32, true);
	view.setUint32(last + 10, Math.floor(granule / 2 ** 32), true);
	return b;
}

describe('readAudio: container recognised by content, length from its headers', () => {
	it('reads MP3, M4A and Ogg Opus recordings and their length', () => {
		expect(readAudio(mp3)?.format).toBe('mp3');
		near(readAudio(mp3)?.durationMs, 3852);
		expect(readAudio(m4a)?.format).toBe('m4a');
		near(readAudio(m4a)?.durationMs, 3775);
		expect(readAudio(opus)?.format).toBe('opus');
		near(readAudio(opus)?.durationMs, 3781);
	});
	it('computes the length exactly from the headers (not only near what ffprobe says)', () => {
		// MP3: 162 MPEG-1 Layer III frames of 1152 samples at 48 kHz = 3888 ms.
		expect(readAudio(mp3)).toEqual({ format: 'mp3', durationMs: 3888 });
		// M4A: mvhd duration / timescale.
		expect(readAudio(m4a)).toEqual({ format: 'm4a', durationMs: 3775 });
		// Opus: (last granule − pre-skip) / 48 kHz.
		expect(readAudio(opus)).toEqual({ format: 'opus', durationMs: 3774 });
		expect(readAudio(opusLasting(60))?.durationMs).toBe(60_000);
		expect(readAudio(m4aLasting(60))?.durationMs).toBe(60_000);
	});
	it('refuses what is not one of them, whatever the file is called', () => {
		const wav = new Uint8Array([...Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), ...new Uint8Array(64)]);
		const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'));
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(64)]);
		for (const bytes of [wav, pdf, png, new Uint8Array(0), new Uint8Array(4096)]) expect(readAudio(bytes)).toBeNull();
		// An MP3 header followed by text: one frame is not a stream.
		expect(readAudio(new Uint8Array([...mp3.subarray(0, 600), ...Buffer.from('<script>'.repeat(200))]))).toBeNull();
		// A cut M4A (a box running past the end) and an Ogg stream that is not Opus.
		expect(readAudio(m4a.subarray(0, 1000))).toBeNull();
		const vorbis = opus.slice();
		vorbis.set(Buffer.from('OpusTags'), Buffer.from(vorbis).indexOf('OpusHead'));
		expect(readAudio(vorbis)).toBeNull();
	});
	it('never throws on arbitrary bytes, nor on a real header followed by garbage', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(mp3, m4a, opus, new Uint8Array(0)),
				fc.nat(20000),
				fc.uint8Array({ maxLength: 3000 }),
				(head, cut, tail) => {
					const bytes = new Uint8Array([...head.subarray(0, cut), ...tail]);
					const facts = readAudio(bytes);
					return facts === null || (facts.durationMs > 0 && Number.isFinite(facts.durationMs));
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe('audioRefusal: type, 1 MB, 3 minutes', () => {
	it('accepts the short recordings', () => {
		for (const b of [mp3, m4a, opus]) expect(audioRefusal(b)).toBeNull();
	});
	it('refuses a recording over 3 minutes, by each container', () => {
		const long = longerMp3(Math.ceil((MAX_AUDIO_MS + 5000) / 3852));
		expect(long.length).toBeLessThan(MAX_AUDIO_BYTES);
		expect(audioRefusal(long)).toEqual({ code: 'upload.audioTooLong' });
		expect(audioRefusal(m4aLasting(181))).toEqual({ code: 'upload.audioTooLong' });
		expect(audioRefusal(m4aLasting(179))).toBeNull();
		expect(audioRefusal(opusLasting(181))).toEqual({ code: 'upload.audioTooLong' });
		expect(audioRefusal(opusLasting(179))).toBeNull();
		// the boundary itself: exactly 3 minutes is allowed
		expect(audioRefusal(m4aLasting(180))).toBeNull();
		expect(audioRefusal(opusLasting(180))).toBeNull();
	});
	it('accepts a file of exactly 1 MB and refuses one byte more', () => {
		const exact = new Uint8Array(MAX_AUDIO_BYTES);
		exact.set(opusLasting(10));
		expect(audioRefusal(exact)?.code).not.toBe('upload.audioTooLarge');
		const over = new Uint8Array(MAX_AUDIO_BYTES + 1);
		over.set(opusLasting(10));
		expect(audioRefusal(over)).toEqual({ code: 'upload.audioTooLarge' });
	});
	it('refuses a file over 1 MB before reading it', () => {
		const big = new Uint8Array(MAX_AUDIO_BYTES + 1);
		big.set(mp3);
		expect(audioRefusal(big)).toEqual({ code: 'upload.audioTooLarge' });
		expect(audioRefusal(longerMp3(Math.ceil(MAX_AUDIO_BYTES / mp3.length) + 1))).toEqual({
			code: 'upload.audioTooLarge'
		});
	});
	it('refuses other content as the wrong type', () => {
		expect(audioRefusal(new Uint8Array(Buffer.from('ID3 not really')))).toEqual({ code: 'upload.audioType' });
	});
});
