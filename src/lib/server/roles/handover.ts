import { and, eq, isNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { writeTx, type Db } from '../db/client';
import { roleGrants, rounds, type Role } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { findAccount, grantRoleInTx, isRole, listStaff } from './roles';
import { rollOverview } from '../council';
import { openExecutions } from '../execution';
import { pendingObservations } from '../execution';
import { limaToday } from '../../domain/clock';

/** What a new team inherits: open projects, open (and overdue) observations, council terms ending or ended. */
export function handoverSummary(db: Db, actor: Actor | null, municipalityId: number, today = limaToday()) {
	authorize(actor, 'roles.manage', municipalityId);
	const roundTitles = new Map(
		db
			.select({ id: rounds.id, fiscalYear: rounds.fiscalYear, titleEs: rounds.titleEs, titleQu: rounds.titleQu })
			.from(rounds)
			.where(eq(rounds.municipalityId, municipalityId))
			.all()
			.map((r) => [r.id, r])
	);
	const roll = rollOverview(db, municipalityId, today);
	const byMember = new Map(roll.members.map((m) => [m.id, m]));
	return {
		today,
		staff: listStaff(db, actor, municipalityId),
		projects: openExecutions(db, municipalityId).map((p) => ({ ...p, round: roundTitles.get(p.roundId) ?? null })),
		observations: pendingObservations(db, municipalityId, today).map((o) => ({
			...o,
			round: roundTitles.get(o.roundId) ?? null
		})),
		councilTerms: roll.warnings
			.filter((w) => w.kind === 'expired' || w.kind === 'endsSoon')
			.map((w) => ({
				...w,
				fullName: byMember.get(w.memberId)?.fullName ?? '',
				role: byMember.get(w.memberId)?.role ?? null
			}))
	};
}

export interface HandoverInput {
	/** "userId:role" pairs of grants to revoke (departing officials). */
	revoke: string[];
	/** New officials: DNI or e-mail of an existing account, and the role to grant. */
	grant: { identifier: string; role: string }[];
}

/** Reads the guided form: checkboxes `revoke` = "userId:role", rows `grantId.N` / `grantRole.N`. */
export function parseHandoverForm(form: FormData): HandoverInput {
	const grant: HandoverInput['grant'] = [];
	for (const [k, v] of form.entries()) {
		const m = /^grantId\.(\d+)$/.exec(k);
		if (!m || typeof v !== 'string' || !v.trim()) continue;
		grant.push({ identifier: v.trim(), role: String(form.get(`grantRole.${m[1]}`) ?? '') });
	}
	return { revoke: form.getAll('revoke').map(String), grant };
}

/**
 * The handover in one transaction: revokes the departing officials' roles and grants the new team's, or changes
 * nothing when any line is wrong. Every past round, result, record and observation stays as it is.
 */
export function performHandover(db: Db, actor: Actor | null, municipalityId: number, input: HandoverInput) {
	authorize(actor, 'roles.manage', municipalityId);
	const revoke = input.revoke.map((s) => {
		const [u, role] = s.split(':');
		if (!/^\d+$/.test(u ?? '') || !isRole(role)) throw new UserError('handover.badLine');
		return { userId: Number(u), role: role as Role };
	});
	const grant = input.grant.map((g, i) => {
		if (!isRole(g.role)) throw new UserError('handover.roleMissing', { line: i + 1 });
		let account;
		try {
			account = findAccount(db, municipalityId, g.identifier);
		} catch (e) {
			if (e instanceof UserError) throw new UserError('handover.identifier', { line: i + 1 });
			throw e;
		}
		if (!account) throw new UserError('handover.noAccount', { line: i + 1 });
		return { userId: account.userId, fullName: account.fullName, role: g.role as Role };
	});
	if (!revoke.length && !grant.length) throw new UserError('handover.empty');
	return writeTx(db, (tx) => {
		const now = Date.now();
		for (const r of revoke) {
			const g = tx
				.select()
				.from(roleGrants)
				.where(
					and(
						eq(roleGrants.municipalityId, municipalityId),
						eq(roleGrants.userId, r.userId),
						eq(roleGrants.role, r.role),
						isNull(roleGrants.revokedAt)
					)
				)
				.get();
			if (!g) throw new UserError('notFound', {}, 404);
			tx.update(roleGrants).set({ revokedAt: now, revokedByUserId: actor.userId }).where(eq(roleGrants.id, g.id)).run();
			appendAudit(tx, {
				municipalityId,
				actorUserId: actor.userId,
				type: 'role.revoked',
				payload: { userId: r.userId, role: r.role }
			});
		}
		for (const g of grant) grantRoleInTx(tx, actor, municipalityId, g.userId, g.role);
		const admins = tx
			.select()
			.from(roleGrants)
			.where(
				and(eq(roleGrants.municipalityId, municipalityId), eq(roleGrants.role, 'admin'), isNull(roleGrants.revokedAt))
			)
			.all();
		if (!admins.length) throw new UserError('role.lastAdmin', {}, 409);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'handover.completed',
			payload: { revoked: revoke, granted: grant.map((g) => ({ userId: g.userId, role: g.role })) }
		});
		return { revoked: revoke.length, granted: grant.length };
	});
}
