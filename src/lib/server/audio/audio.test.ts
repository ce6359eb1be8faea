import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { audioClips, municipalities, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { seedVotedRound } from '../../../../tests/support/results-seed';
import { auditEventsOfType } from '../platform/audit';
import { uploadsDir } from '../platform/uploads';
import type { Actor } from '../platform/policy';
import { attachAudio, audioResponse, ballotAudio, listAudio, removeAudio } from './audio';

const file = (name: string, bytes?: Uint8Array) =>
	new File([Uint8Array.from(bytes ?? readFileSync(`tests/fixtures/audio/${name}`))], name);

let db: Db;
let mId: number;
let official: Actor;
let resident: Actor;
let seeded: ReturnType<typeof seedVotedRound>;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-audio-'));
	process.env.DATABASE_URL = join(dir, 't.db');
	delete process.env.MINKA_UPLOADS;
	db = openDatabase(join(dir, 't.db'));
	const base = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 'a',
				ubigeo: '080199',
				name: 'A',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: mu.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const mk = (name: string, dni: string) =>
			createAccount(tx, mu.id, {
				fullName: name,
				dni,
				birthDate: '1980-01-01',
				email: null,
				passwordHash: 'x',
				locale: 'es'
			});
		return { mu, z, off: mk('Edwin Ccorimanya', '70000137'), res: mk('Pedro Quispe', '70000141') };
	});
	mId = base.mu.id;
	const actor = (a: typeof base.off, roles: string[]): Actor => ({
		userId: a.user.id,
		personId: a.person.id,
		municipalityId: mId,
		roles: new Set(roles as never[]),
		verified: true
	});
	official = actor(base.off, ['official']);
	resident = actor(base.res, []);
	seeded = seedVotedRound(db, { municipalityId: mId, zoneId: base.z.id, authorPersonId: base.res.person.id });
});

const rows = () => db.select().from(audioClips).all();

describe('ballot recordings', () => {
	it('an official attaches a recording per language to the instructions and a proposal; stored as uploaded, audited', async () => {
		const r = seeded.round.id;
		const es = await attachAudio(db, official, mId, r, { kind: 'ballot' }, 'es', file('ballot-es.mp3'));
		const qu = await attachAudio(
			db,
			official,
			mId,
			r,
			{ kind: 'proposal', proposalId: seeded.ids.water },
			'qu',
			file('ballot-qu.opus')
		);
		expect([es.format, qu.format]).toEqual(['mp3', 'opus']);
		const stored = rows().find((c) => c.id === es.id)!;
		// Byte for byte what was uploaded (no transcoding), under the uploads folder.
		expect(readFileSync(join(uploadsDir(), stored.filePath))).toEqual(
			readFileSync('tests/fixtures/audio/ballot-es.mp3')
		);
		expect(stored.filePath).toMatch(/^audio\/[0-9a-f]{64}\.mp3$/);
		expect(ballotAudio(db, mId, r, 'qu')).toEqual({ instructions: null, byProposal: { [seeded.ids.water]: qu.id } });
		expect(ballotAudio(db, mId, r, 'es')).toEqual({ instructions: es.id, byProposal: {} });
		const events = auditEventsOfType(db, mId, 'audio.attached');
		expect(events).toHaveLength(2);
		const res = audioResponse(db, mId, r, qu.id)!;
		expect(res.headers.get('Content-Type')).toBe('audio/ogg');
		expect(audioResponse(db, mId + 1, r, qu.id)).toBeNull();
	});

	it('a new upload replaces the old one (one per target and language), and removal is audited', async () => {
		const r = seeded.round.id;
		const again = await attachAudio(db, official, mId, r, { kind: 'ballot' }, 'es', file('ballot-qu.m4a'));
		expect(
			listAudio(db, mId, r)
				.filter((c) => c.target === 'ballot' && c.locale === 'es')
				.map((c) => c.id)
		).toEqual([again.id]);
		removeAudio(db, official, mId, r, again.id);
		expect(ballotAudio(db, mId, r, 'es').instructions).toBeNull();
		expect(auditEventsOfType(db, mId, 'audio.removed')).toHaveLength(1);
		// The file stays: the audit chain names its hash, and backups carry the uploads folder.
		expect(existsSync(join(uploadsDir(), 'audio'))).toBe(true);
	});

	it('refuses wrong content, too long and too big with a translated code, and changes nothing', async () => {
		const r = seeded.round.id;
		const before = rows().length;
		const audits = auditEventsOfType(db, mId, 'audio.attached').length;
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(200)]);
		const mp3 = new Uint8Array(readFileSync('tests/fixtures/audio/ballot-es.mp3'));
		const id3 = 10 + ((mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9]);
		const frames = mp3.subarray(id3);
		const long = new Uint8Array(frames.length * 50); // 50 × 3.85 s: over 3 minutes, under 1 MB
		for (let i = 0; i < 50; i++) long.set(frames, i * frames.length);
		const big = new Uint8Array(1024 * 1024 + 1);
		big.set(mp3);
		const target = { kind: 'proposal' as const, proposalId: seeded.ids.road };
		await expect(attachAudio(db, official, mId, r, target, 'es', file('photo.mp3', png))).rejects.toMatchObject({
			code: 'upload.audioType'
		});
		await expect(attachAudio(db, official, mId, r, target, 'es', file('long.mp3', long))).rejects.toMatchObject({
			code: 'upload.audioTooLong'
		});
		await expect(attachAudio(db, official, mId, r, target, 'es', file('big.mp3', big))).rejects.toMatchObject({
			code: 'upload.audioTooLarge'
		});
		await expect(attachAudio(db, official, mId, r, target, 'fr', file('ballot-es.mp3'))).rejects.toMatchObject({
			code: 'audio.locale'
		});
		await expect(attachAudio(db, official, mId, r, target, 'es', null)).rejects.toMatchObject({
			code: 'audio.missing'
		});
		await expect(
			attachAudio(db, official, mId, r, { kind: 'proposal', proposalId: 999_999 }, 'es', file('ballot-es.mp3'))
		).rejects.toMatchObject({ code: 'notFound' });
		expect(rows().length).toBe(before);
		expect(auditEventsOfType(db, mId, 'audio.attached')).toHaveLength(audits);
	});

	it('only officials and admins attach or remove recordings', async () => {
		const r = seeded.round.id;
		await expect(
			attachAudio(db, resident, mId, r, { kind: 'ballot' }, 'qu', file('ballot-qu.opus'))
		).rejects.toMatchObject({ code: 'forbidden' });
		const clip = await attachAudio(db, official, mId, r, { kind: 'ballot' }, 'qu', file('ballot-qu.opus'));
		expect(() => removeAudio(db, resident, mId, r, clip.id)).toThrow();
		expect(ballotAudio(db, mId, r, 'qu').instructions).toBe(clip.id);
	});
});
