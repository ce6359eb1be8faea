import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { rollEntries, passwordResets, persons, roleGrants, rounds, sessions, users, zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { verifyPassword } from '../auth/password';
import { authorize, type Actor } from '../platform/policy';

/**
 * Ley 29733: a resident may see every personal datum Minka keeps about them. Whether they voted in a round is
 * included; what they voted is not (that would let a receipt-like record prove a vote).
 */
export function myData(db: Db, actor: Actor | null) {
	authorize(actor, 'account.self', actor?.municipalityId ?? -1);
	const row = db
		.select({ person: persons, user: users, zone: zones.name })
		.from(users)
		.innerJoin(persons, eq(users.personId, persons.id))
		.leftJoin(zones, eq(persons.zoneId, zones.id))
		.where(eq(users.id, actor.userId))
		.get()!;
	// From the round's roll, keyed by the DNI: whether (and by which channel) they voted, never what.
	const voted = row.person.dniHmac
		? db
				.selectDistinct({ roundId: rollEntries.roundId, fiscalYear: rounds.fiscalYear, title: rounds.titleEs })
				.from(rollEntries)
				.innerJoin(rounds, eq(rollEntries.roundId, rounds.id))
				.where(and(eq(rollEntries.dniHmac, row.person.dniHmac), isNotNull(rollEntries.channel)))
				.all()
		: [];
	const roles = db
		.select({ role: roleGrants.role, grantedAt: roleGrants.grantedAt, revokedAt: roleGrants.revokedAt })
		.from(roleGrants)
		.where(eq(roleGrants.userId, actor.userId))
		.all();
	const iso = (t: number | null) => (t ? new Date(t).toISOString() : null);
	return {
		generatedAt: new Date().toISOString(),
		law: 'Ley 29733 de Protección de Datos Personales',
		person: {
			fullName: row.person.fullName,
			birthDate: row.person.birthDate,
			gender: row.person.gender,
			language: row.person.language,
			phone: row.person.phone,
			email: row.person.email,
			zone: row.zone,
			// The DNI itself is never stored: only its keyed fingerprint exists, so that is what the export can say.
			dni: row.person.dniHmac ? 'HMAC-SHA-256' : null,
			verifiedAt: iso(row.person.verifiedAt),
			verifiedMethod: row.person.verifiedMethod
		},
		account: {
			email: row.user.email,
			locale: row.user.locale,
			createdAt: iso(row.user.createdAt),
			privacyConsentAt: iso(row.user.privacyConsentAt),
			privacyNoticeVersion: row.user.privacyNoticeVersion
		},
		roles: roles.map((r) => ({ role: r.role, grantedAt: iso(r.grantedAt), revokedAt: iso(r.revokedAt) })),
		votedIn: voted.map((v) => ({ roundId: v.roundId, fiscalYear: v.fiscalYear, title: v.title }))
	};
}

/**
 * Deletes the account at the resident's request: personal data erased, sessions ended, roles revoked, login
 * disabled. A counted ballot stays counted (ballots never name anyone); the round's roll keeps only the DNI's HMAC,
 * so signing up again leads back to the same roll row, never to a second ballot. Records that must stay for the
 * process (a proposal they authored) keep pointing at the now anonymous person.
 */
export async function deleteMyAccount(db: Db, actor: Actor | null, password: unknown) {
	authorize(actor, 'account.self', actor?.municipalityId ?? -1);
	const user = db.select().from(users).where(eq(users.id, actor.userId)).get()!;
	if (!(await verifyPassword(user.passwordHash, typeof password === 'string' ? password : '')))
		throw new UserError('password.wrongCurrent');
	const now = Date.now();
	writeTx(db, (tx) => {
		// The last admin of a municipality cannot leave it without one (revokeRole refuses the same).
		const admins = tx
			.select({ userId: roleGrants.userId })
			.from(roleGrants)
			.where(
				and(
					eq(roleGrants.municipalityId, user.municipalityId),
					eq(roleGrants.role, 'admin'),
					isNull(roleGrants.revokedAt)
				)
			)
			.all();
		if (admins.some((a) => a.userId === user.id) && !admins.some((a) => a.userId !== user.id))
			throw new UserError('account.lastAdmin', {}, 409);
		tx.update(persons)
			.set({
				fullName: '—',
				dniHmac: null,
				pendingDniHmac: null,
				birthDate: null,
				gender: null,
				language: null,
				phone: null,
				email: null,
				zoneId: null,
				verifiedAt: null,
				verifiedMethod: null,
				verifiedByUserId: null
			})
			.where(eq(persons.id, user.personId))
			.run();
		tx.update(users).set({ email: null, passwordHash: '!deleted', disabledAt: now }).where(eq(users.id, user.id)).run();
		tx.update(roleGrants)
			.set({ revokedAt: now, revokedByUserId: user.id })
			.where(and(eq(roleGrants.userId, user.id), isNull(roleGrants.revokedAt)))
			.run();
		tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
		tx.delete(passwordResets).where(eq(passwordResets.userId, user.id)).run();
		appendAudit(tx, {
			municipalityId: user.municipalityId,
			actorUserId: user.id,
			type: 'account.deleted',
			payload: { userId: user.id, personId: user.personId },
			personal: true
		});
	});
}
