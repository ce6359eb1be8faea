import { and, eq } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { AUDIO_MIME, type AudioFormat } from '../../domain/audio';
import { writeTx, type Db } from '../db/client';
import { audioClips, proposals } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { storeAudio, streamUpload } from '../platform/uploads';
import { findRound } from '../rounds';

export type AudioLocale = 'es' | 'qu';
export type AudioTarget = { kind: 'ballot' } | { kind: 'proposal'; proposalId: number };

export interface AudioClipView {
	id: number;
	target: 'ballot' | 'proposal';
	targetId: number;
	locale: AudioLocale;
	format: AudioFormat;
	bytes: number;
	durationMs: number;
	createdAt: number;
}

const view = {
	id: audioClips.id,
	target: audioClips.target,
	targetId: audioClips.targetId,
	locale: audioClips.locale,
	format: audioClips.format,
	bytes: audioClips.bytes,
	durationMs: audioClips.durationMs,
	createdAt: audioClips.createdAt
};

const readLocale = (v: unknown): AudioLocale => {
	if (v === 'es' || v === 'qu') return v;
	throw new UserError('audio.locale');
};

function checkTarget(db: Db, municipalityId: number, roundId: number, target: AudioTarget): number {
	if (target.kind === 'ballot') return 0;
	const p = Number.isInteger(target.proposalId)
		? db
				.select({ id: proposals.id })
				.from(proposals)
				.where(
					and(
						eq(proposals.id, target.proposalId),
						eq(proposals.roundId, roundId),
						eq(proposals.municipalityId, municipalityId)
					)
				)
				.get()
		: undefined;
	if (!p) throw new UserError('notFound', {}, 404);
	return p.id;
}

/**
 * Attaches (or replaces) the recording of a proposal or of the ballot's instructions, in one language. The file is
 * checked by content and stored as uploaded; the act is audited with the file's hash, format, size and length.
 */
export async function attachAudio(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	target: AudioTarget,
	localeInput: unknown,
	file: File | null
): Promise<AudioClipView> {
	authorize(actor, 'audio.manage', municipalityId);
	findRound(db, municipalityId, roundId);
	const targetId = checkTarget(db, municipalityId, roundId, target);
	const locale = readLocale(localeInput);
	if (!file) throw new UserError('audio.missing');
	const stored = await storeAudio(file);
	return writeTx(db, (tx) => {
		const where = and(
			eq(audioClips.roundId, roundId),
			eq(audioClips.target, target.kind),
			eq(audioClips.targetId, targetId),
			eq(audioClips.locale, locale)
		);
		const previous = tx.select({ sha256: audioClips.sha256 }).from(audioClips).where(where).get();
		tx.delete(audioClips).where(where).run();
		const row = tx
			.insert(audioClips)
			.values({
				municipalityId,
				roundId,
				target: target.kind,
				targetId,
				locale,
				filePath: stored.path,
				sha256: stored.sha256,
				format: stored.format,
				bytes: stored.bytes,
				durationMs: stored.durationMs,
				uploadedByUserId: actor.userId,
				createdAt: Date.now()
			})
			.returning(view)
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'audio.attached',
			payload: {
				roundId,
				target: target.kind,
				proposalId: targetId || null,
				locale,
				sha256: stored.sha256,
				format: stored.format,
				bytes: stored.bytes,
				durationMs: stored.durationMs,
				replaces: previous?.sha256 ?? null
			}
		});
		return row;
	});
}

/** Takes a recording off the ballot (the file stays in the uploads folder: the audit chain names its hash). */
export function removeAudio(db: Db, actor: Actor | null, municipalityId: number, roundId: number, clipId: number) {
	authorize(actor, 'audio.manage', municipalityId);
	return writeTx(db, (tx) => {
		const clip = Number.isInteger(clipId)
			? tx
					.select()
					.from(audioClips)
					.where(
						and(
							eq(audioClips.id, clipId),
							eq(audioClips.roundId, roundId),
							eq(audioClips.municipalityId, municipalityId)
						)
					)
					.get()
			: undefined;
		if (!clip) throw new UserError('notFound', {}, 404);
		tx.delete(audioClips).where(eq(audioClips.id, clip.id)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'audio.removed',
			payload: {
				roundId,
				target: clip.target,
				proposalId: clip.targetId || null,
				locale: clip.locale,
				sha256: clip.sha256
			}
		});
	});
}

/** Every recording of a round (both languages), for the officials' pages. */
export function listAudio(db: Db, municipalityId: number, roundId: number): AudioClipView[] {
	return db
		.select(view)
		.from(audioClips)
		.where(and(eq(audioClips.roundId, roundId), eq(audioClips.municipalityId, municipalityId)))
		.all();
}

/** The recordings a resident hears in their language: the instructions and one per proposal (by proposal id). */
export function ballotAudio(db: Db, municipalityId: number, roundId: number, locale: string) {
	const clips = listAudio(db, municipalityId, roundId).filter((c) => c.locale === locale);
	return {
		instructions: clips.find((c) => c.target === 'ballot')?.id ?? null,
		byProposal: Object.fromEntries(
			clips.filter((c) => c.target === 'proposal').map((c) => [c.targetId, c.id])
		) as Record<number, number>
	};
}

/** The stored file of a recording, streamed with its type; null when there is no such recording. */
export function audioResponse(db: Db, municipalityId: number, roundId: number, clipId: number): Response | null {
	if (!Number.isInteger(clipId)) return null;
	const clip = db
		.select({ filePath: audioClips.filePath, format: audioClips.format })
		.from(audioClips)
		.where(
			and(eq(audioClips.id, clipId), eq(audioClips.roundId, roundId), eq(audioClips.municipalityId, municipalityId))
		)
		.get();
	return clip ? streamUpload(clip.filePath, AUDIO_MIME[clip.format]) : null;
}
