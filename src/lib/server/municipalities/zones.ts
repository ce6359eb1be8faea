import { and, asc, eq, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { cleanField } from '../platform/validation';

export function listZones(db: Db, municipalityId: number) {
	return db.select().from(zones).where(eq(zones.municipalityId, municipalityId)).orderBy(asc(zones.name)).all();
}

/** The zones offered for anything new (rounds, census rows, verifications, workshops): not retired. */
export function listActiveZones(db: Db, municipalityId: number) {
	return db
		.select()
		.from(zones)
		.where(and(eq(zones.municipalityId, municipalityId), isNull(zones.retiredAt)))
		.orderBy(asc(zones.name))
		.all();
}

/** Zones a form offers: those not retired, plus any retired zone the record already uses (`keep`). */
export function zonesOffered(db: Db, municipalityId: number, keep: readonly (number | null)[]) {
	const kept = new Set(keep);
	return listZones(db, municipalityId).filter((z) => !z.retiredAt || kept.has(z.id));
}

export function createZone(db: Db, actor: Actor | null, municipalityId: number, input: { code: string; name: string }) {
	authorize(actor, 'zones.manage', municipalityId);
	const code = input.code.trim();
	const name = cleanField(input.name, 'zoneName');
	if (!name || name.length > 120) throw new UserError('zone.name');
	if (!/^[\p{L}\p{N}_-]{1,20}$/u.test(code)) throw new UserError('zone.code');
	return writeTx(db, (tx) => {
		const clash = tx
			.select()
			.from(zones)
			.where(and(eq(zones.municipalityId, municipalityId), eq(zones.code, code)))
			.get();
		if (clash) throw new UserError('zone.duplicate', { code }, 409);
		const zone = tx.insert(zones).values({ municipalityId, code, name, createdAt: Date.now() }).returning().get();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'zone.created',
			payload: { zoneId: zone.id, code, name }
		});
		return zone;
	});
}

export function renameZone(db: Db, actor: Actor | null, municipalityId: number, zoneId: number, name: string) {
	authorize(actor, 'zones.manage', municipalityId);
	const clean = cleanField(name, 'zoneName');
	if (!clean || clean.length > 120) throw new UserError('zone.name');
	writeTx(db, (tx) => {
		const zone = tx
			.select()
			.from(zones)
			.where(and(eq(zones.id, zoneId), eq(zones.municipalityId, municipalityId)))
			.get();
		if (!zone) throw new UserError('notFound', {}, 404);
		tx.update(zones).set({ name: clean }).where(eq(zones.id, zoneId)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'zone.renamed',
			payload: { zoneId, from: zone.name, to: clean }
		});
	});
}

/**
 * Retires a zone (or offers it again): it stays in every past round, census row and proposal that names it, and is
 * no longer offered for new rounds, census rows or verifications.
 */
export function setZoneRetired(db: Db, actor: Actor | null, municipalityId: number, zoneId: number, retired: boolean) {
	authorize(actor, 'zones.manage', municipalityId);
	return writeTx(db, (tx) => {
		const zone = Number.isInteger(zoneId)
			? tx
					.select()
					.from(zones)
					.where(and(eq(zones.id, zoneId), eq(zones.municipalityId, municipalityId)))
					.get()
			: undefined;
		if (!zone) throw new UserError('notFound', {}, 404);
		if (Boolean(zone.retiredAt) === retired) return zone;
		tx.update(zones)
			.set({ retiredAt: retired ? Date.now() : null })
			.where(eq(zones.id, zoneId))
			.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: retired ? 'zone.retired' : 'zone.restored',
			payload: { zoneId, code: zone.code, name: zone.name }
		});
		return zone;
	});
}
