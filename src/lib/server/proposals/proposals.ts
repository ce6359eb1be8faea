import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { UserError } from '../../domain/errors';
import { acceptsProposals } from '../../domain/phases';
import { writeTx, countRows, type Db } from '../db/client';
import {
	persons,
	proposalPhotos,
	proposals,
	zones,
	PROPOSAL_CATEGORIES,
	PROPOSAL_STATUSES,
	type ProposalCategory,
	type ProposalStatus
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, can, type Actor } from '../platform/policy';
import { moneyField, requireText, requireDni, ML, publicText } from '../platform/validation';
import { budgetFor, findRound, type Round } from '../rounds';
import { MAX_PHOTOS, preparePhoto, type PreparedPhoto } from '../platform/uploads';
import { dniHmac } from '../platform/secret';

export type Proposal = typeof proposals.$inferSelect;

export interface ProposalInput {
	originalLocale: 'es' | 'qu';
	title: string;
	description: string;
	category: ProposalCategory;
	zoneId: number | null;
	estimatedCostCents: number;
	beneficiaries: number;
	latitude: number | null;
	longitude: number | null;
}

/** Reads the proposal form (residents' and officials'); the budget checks happen in the command. */
export function parseProposalForm(form: FormData): ProposalInput {
	const originalLocale = form.get('originalLocale') === 'qu' ? 'qu' : 'es';
	const title = publicText(form.get('title'), 'proposals.title', 150);
	const description = publicText(form.get('description'), 'proposals.description', 5000, ML);
	const category = String(form.get('category') ?? '') as ProposalCategory;
	if (!PROPOSAL_CATEGORIES.includes(category)) throw new UserError('required', { field: 'proposals.category' });
	const z = String(form.get('zoneId') ?? '').trim();
	const zoneId = z === '' || z === 'wide' ? null : Number(z);
	if (zoneId !== null && !Number.isInteger(zoneId)) throw new UserError('zone.unknown');
	const costCents = moneyField(form.get('estimatedCost'), 'proposals.estimatedCost', {
		required: true,
		rename: { 'money.negative': 'proposals.costNegative' },
		positive: 'proposals.costNegative'
	})!;
	// A whole number; separators only between groups of three ("1 500", "1.500", "1,500"): "1.5" is not 15.
	const rawB = String(form.get('beneficiaries') ?? '').trim();
	if (!/^(?:\d{1,9}|\d{1,3}(?:[\s.,]\d{3}){1,2})$/.test(rawB)) throw new UserError('proposals.beneficiaries');
	const b = rawB.replace(/[\s.,]/g, '');
	if (Number(b) < 1) throw new UserError('proposals.beneficiaries');
	const lat = String(form.get('latitude') ?? '')
		.trim()
		.replace(',', '.');
	const lon = String(form.get('longitude') ?? '')
		.trim()
		.replace(',', '.');
	let latitude: number | null = null;
	let longitude: number | null = null;
	if (lat || lon) {
		latitude = Number(lat);
		longitude = Number(lon);
		// Peru lies within about 0°–18.5° S and 68°–81.5° W.
		if (!lat || !lon || !(latitude >= -18.5 && latitude <= 0.1) || !(longitude >= -81.5 && longitude <= -68))
			throw new UserError('proposals.location');
	}
	return {
		originalLocale,
		title,
		description,
		category,
		zoneId,
		estimatedCostCents: costCents,
		beneficiaries: Number(b),
		latitude,
		longitude
	};
}

function checkAgainstRound(tx: Db, municipalityId: number, round: Round, input: ProposalInput) {
	if (input.zoneId !== null) {
		const z = tx
			.select()
			.from(zones)
			.where(and(eq(zones.id, input.zoneId), eq(zones.municipalityId, municipalityId)))
			.get();
		if (!z) throw new UserError('zone.unknown');
	}
	const ceiling = budgetFor(tx, round, input.zoneId);
	if (ceiling <= 0) throw new UserError('proposals.noBudgetForZone');
	if (input.estimatedCostCents > ceiling)
		throw new UserError('proposals.costAboveCeiling', {
			max: (ceiling / 100).toLocaleString('es-PE', { minimumFractionDigits: 2 })
		});
}

export interface OnBehalf {
	fullName: string;
	dni: string | null;
}

export function parseOnBehalf(form: FormData): OnBehalf {
	const fullName = requireText(form.get('authorName'), 'proposals.authorName', 150);
	const raw = String(form.get('authorDni') ?? '').trim();
	return { fullName, dni: raw ? requireDni(raw) : null };
}

/**
 * Photos are checked and re-encoded (sharp) but not written: the command that records them writes them after its own
 * permission and validation checks, so a refused proposal leaves no file in the uploads folder.
 */
export async function preparePhotos(files: File[], already = 0): Promise<PreparedPhoto[]> {
	if (files.length + already > MAX_PHOTOS) throw new UserError('upload.tooManyPhotos', { max: MAX_PHOTOS });
	const out: PreparedPhoto[] = [];
	for (const f of files) out.push(await preparePhoto(f));
	return out;
}

/** The columns of a proposal photo row (the prepared upload's `write` and `path` are not columns). */
const photoRow = ({ write: _w, path, ...ph }: PreparedPhoto) => ({ ...ph, filePath: path });

export function submitProposal(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: ProposalInput,
	photos: PreparedPhoto[],
	onBehalf: OnBehalf | null = null
): Proposal {
	authorize(actor, onBehalf ? 'proposals.fileOnBehalf' : 'proposals.submit', municipalityId);
	if (photos.length > MAX_PHOTOS) throw new UserError('upload.tooManyPhotos', { max: MAX_PHOTOS });
	return writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (!acceptsProposals(round.phase)) throw new UserError('proposals.intakeClosed', {}, 409);
		checkAgainstRound(tx, municipalityId, round, input);
		let authorPersonId = actor.personId;
		if (onBehalf) {
			const hmac = onBehalf.dni ? dniHmac(onBehalf.dni) : null;
			const existing = hmac
				? tx
						.select()
						.from(persons)
						.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, hmac)))
						.get()
				: undefined;
			authorPersonId =
				existing?.id ??
				tx
					.insert(persons)
					.values({ municipalityId, fullName: onBehalf.fullName, dniHmac: hmac, createdAt: Date.now() })
					.returning()
					.get().id;
		}
		const seq =
			(tx
				.select({ m: sql<number>`coalesce(max(${proposals.seq}), 0)` })
				.from(proposals)
				.where(eq(proposals.roundId, roundId))
				.get()?.m ?? 0) + 1;
		const now = Date.now();
		const p = tx
			.insert(proposals)
			.values({
				...input,
				municipalityId,
				roundId,
				seq,
				authorPersonId,
				filedByUserId: onBehalf ? actor.userId : null,
				status: 'submitted',
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		// Every check passed: only now do the photos reach the disk.
		photos.forEach((ph, position) => {
			ph.write();
			tx.insert(proposalPhotos)
				.values({ proposalId: p.id, ...photoRow(ph), position, createdAt: now })
				.run();
		});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: onBehalf ? 'proposal.filedOnBehalf' : 'proposal.submitted',
			payload: {
				roundId,
				proposalId: p.id,
				seq,
				title: p.title,
				zoneId: p.zoneId,
				category: p.category,
				estimatedCostCents: p.estimatedCostCents,
				photos: photos.map((x) => x.sha256)
			}
		});
		return p;
	});
}

export function findProposal(db: Db, municipalityId: number, roundId: number, proposalId: number): Proposal {
	const p = Number.isInteger(proposalId)
		? db
				.select()
				.from(proposals)
				.where(
					and(
						eq(proposals.id, proposalId),
						eq(proposals.roundId, roundId),
						eq(proposals.municipalityId, municipalityId)
					)
				)
				.get()
		: undefined;
	if (!p) throw new UserError('notFound', {}, 404);
	return p;
}

/** Only the author (or an official for a proposal filed on someone's behalf) may edit, and only while intake is open. */
export function canEditProposal(actor: Actor | null, round: Round, p: Proposal): boolean {
	if (!actor || actor.municipalityId !== p.municipalityId || !acceptsProposals(round.phase) || p.status !== 'submitted')
		return false;
	return (
		p.authorPersonId === actor.personId ||
		(p.filedByUserId !== null && can(actor, 'proposals.fileOnBehalf', p.municipalityId))
	);
}

export function updateProposal(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	proposalId: number,
	input: ProposalInput,
	newPhotos: PreparedPhoto[],
	removePhotoIds: number[]
): Proposal {
	if (!actor) throw new UserError('loginRequired', {}, 403);
	return writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		const p = findProposal(tx, municipalityId, roundId, proposalId);
		if (!acceptsProposals(round.phase)) throw new UserError('proposals.intakeClosed', {}, 409);
		if (!canEditProposal(actor, round, p)) throw new UserError('forbidden', {}, 403);
		checkAgainstRound(tx, municipalityId, round, input);
		const current = tx.select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, p.id)).all();
		const keep = current.filter((ph) => !removePhotoIds.includes(ph.id));
		if (keep.length + newPhotos.length > MAX_PHOTOS) throw new UserError('upload.tooManyPhotos', { max: MAX_PHOTOS });
		for (const ph of current)
			if (removePhotoIds.includes(ph.id)) tx.delete(proposalPhotos).where(eq(proposalPhotos.id, ph.id)).run();
		const now = Date.now();
		const start = keep.reduce((m, ph) => Math.max(m, ph.position + 1), 0);
		newPhotos.forEach((ph, i) => {
			ph.write();
			tx.insert(proposalPhotos)
				.values({ proposalId: p.id, ...photoRow(ph), position: start + i, createdAt: now })
				.run();
		});
		const updated = tx
			.update(proposals)
			.set({ ...input, updatedAt: now })
			.where(eq(proposals.id, p.id))
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'proposal.edited',
			payload: {
				roundId,
				proposalId: p.id,
				title: input.title,
				estimatedCostCents: input.estimatedCostCents,
				zoneId: input.zoneId,
				photosAdded: newPhotos.map((x) => x.sha256),
				photosRemoved: removePhotoIds
			}
		});
		return updated;
	});
}

/** Adds or replaces the reviewed translation (into the language that is not the original). */
export function translateProposal(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	proposalId: number,
	form: FormData
) {
	authorize(actor, 'proposals.translate', municipalityId);
	const title = publicText(form.get('translatedTitle'), 'proposals.translatedTitle', 150);
	const description = publicText(form.get('translatedDescription'), 'proposals.translatedDescription', 5000, ML);
	writeTx(db, (tx) => {
		const p = findProposal(tx, municipalityId, roundId, proposalId);
		tx.update(proposals)
			.set({
				translatedTitle: title,
				translatedDescription: description,
				translatedByUserId: actor.userId,
				translatedAt: Date.now(),
				updatedAt: Date.now()
			})
			.where(eq(proposals.id, p.id))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'proposal.translated',
			payload: { roundId, proposalId, into: p.originalLocale === 'es' ? 'qu' : 'es', title }
		});
	});
}

export interface ProposalFilters {
	zone?: string;
	category?: string;
	status?: string;
	q?: string;
	page?: number;
	pageSize?: number;
}

export const PAGE_SIZE = 10;

/** The public list: server-side filters, text search over both languages, pages of 10. */
export function listProposals(db: Db, municipalityId: number, roundId: number, f: ProposalFilters) {
	const where: SQL[] = [eq(proposals.roundId, roundId), eq(proposals.municipalityId, municipalityId)];
	if (f.zone === 'wide') where.push(sql`${proposals.zoneId} is null`);
	else if (f.zone && /^\d+$/.test(f.zone)) where.push(eq(proposals.zoneId, Number(f.zone)));
	if (f.category && PROPOSAL_CATEGORIES.includes(f.category as ProposalCategory))
		where.push(eq(proposals.category, f.category as ProposalCategory));
	if (f.status && PROPOSAL_STATUSES.includes(f.status as ProposalStatus))
		where.push(eq(proposals.status, f.status as ProposalStatus));
	const q = (f.q ?? '').trim().slice(0, 100);
	if (q) {
		const pat = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
		const l = (col: SQLiteColumn) => sql`${col} like ${pat} escape '\\'`;
		where.push(
			or(
				l(proposals.title),
				l(proposals.description),
				l(proposals.translatedTitle),
				l(proposals.translatedDescription)
			)!
		);
	}
	const cond = and(...where);
	const total = countRows(db, proposals, cond);
	const pageSize = f.pageSize ?? PAGE_SIZE;
	const pages = Math.max(1, Math.ceil(total / pageSize));
	const page = Math.min(Math.max(1, Math.floor(f.page ?? 1) || 1), pages);
	const items = db
		.select({
			id: proposals.id,
			seq: proposals.seq,
			title: proposals.title,
			translatedTitle: proposals.translatedTitle,
			originalLocale: proposals.originalLocale,
			category: proposals.category,
			status: proposals.status,
			zoneId: proposals.zoneId,
			zoneName: zones.name,
			estimatedCostCents: proposals.estimatedCostCents,
			adjustedCostCents: proposals.adjustedCostCents,
			beneficiaries: proposals.beneficiaries,
			notFeasibleReason: proposals.notFeasibleReason
		})
		.from(proposals)
		.leftJoin(zones, eq(zones.id, proposals.zoneId))
		.where(cond)
		.orderBy(asc(proposals.seq))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	return { items, total, page, pages };
}

/** A proposal's public page: no author name unless filed publicly? Authors are residents: only "filed at a workshop" is shown. */
export function proposalDetail(db: Db, municipalityId: number, roundId: number, proposalId: number) {
	const p = findProposal(db, municipalityId, roundId, proposalId);
	const zone = p.zoneId ? db.select().from(zones).where(eq(zones.id, p.zoneId)).get() : null;
	const photos = db
		.select()
		.from(proposalPhotos)
		.where(eq(proposalPhotos.proposalId, p.id))
		.orderBy(asc(proposalPhotos.position))
		.all();
	return { proposal: p, zone: zone ?? null, photos };
}

export function proposalsByAuthor(db: Db, municipalityId: number, roundId: number, personId: number) {
	return db
		.select()
		.from(proposals)
		.where(
			and(
				eq(proposals.municipalityId, municipalityId),
				eq(proposals.roundId, roundId),
				eq(proposals.authorPersonId, personId)
			)
		)
		.orderBy(desc(proposals.id))
		.all();
}

export function findPhoto(db: Db, municipalityId: number, photoId: number) {
	if (!Number.isInteger(photoId)) return undefined;
	return db
		.select({
			filePath: proposalPhotos.filePath,
			mimeType: proposalPhotos.mimeType,
			sha256: proposalPhotos.sha256,
			variantWidths: proposalPhotos.variantWidths
		})
		.from(proposalPhotos)
		.innerJoin(proposals, eq(proposals.id, proposalPhotos.proposalId))
		.where(and(eq(proposalPhotos.id, photoId), eq(proposals.municipalityId, municipalityId)))
		.get();
}

export function proposalCount(db: Db, roundId: number) {
	return countRows(db, proposals, eq(proposals.roundId, roundId));
}
