import { UserError } from '../../domain/errors';
import type { Role } from '../db/schema/people';

/**
 * The one place that decides who may do what. Every load function and action asks here; hiding a button is
 * never the check. Roles are per municipality: an actor only holds roles in the municipality they belong to.
 */
export interface Actor {
	userId: number;
	personId: number;
	municipalityId: number;
	roles: ReadonlySet<Role>;
	verified: boolean;
	/** Holds the installation-level role (see INSTALLATION_POLICY); a municipality's roles never imply it. */
	installationAdmin?: boolean;
}

type Rule = { roles: readonly Role[]; verifiedResident?: boolean; anyUser?: boolean; committeeInTerm?: boolean };

/**
 * What the actor is beyond their roles, established by the feature module that knows it: a seat on a round's Comité
 * de Vigilancia with a current term is per round and per date, so no role can stand for it.
 */
export interface Standing {
	committeeInTerm?: boolean;
}

const STAFF: Role[] = ['admin', 'official'];

export const POLICY = {
	'admin.access': { roles: ['admin', 'official', 'technical', 'council_secretary', 'auditor'] },
	'municipality.settings': { roles: ['admin'] },
	'roles.manage': { roles: ['admin'] },
	'zones.manage': { roles: ['admin'] },
	'census.import': { roles: STAFF },
	'residents.view': { roles: STAFF },
	'residents.verify': { roles: STAFF },
	'residents.moveVerification': { roles: STAFF },
	'residents.issueResetCode': { roles: STAFF },
	'rounds.manage': { roles: STAFF },
	'rounds.phase': { roles: STAFF },
	'agents.manage': { roles: STAFF },
	'proposals.submit': { roles: [], verifiedResident: true },
	'proposals.fileOnBehalf': { roles: STAFF },
	'proposals.translate': { roles: [...STAFF, 'technical'] },
	'proposals.evaluate': { roles: ['technical'] },
	'proposals.score': { roles: STAFF },
	'ballot.cast': { roles: [], verifiedResident: true },
	'voting.station': { roles: STAFF },
	/** few staff: a Comité de Vigilancia member in term (who keyed neither version) resolves a batch's differences */
	'voting.resolveAsCommittee': { roles: [], committeeInTerm: true },
	'voting.turnout': { roles: [...STAFF, 'auditor'] },
	'results.compute': { roles: STAFF },
	'results.publish': { roles: STAFF },
	'council.manage': { roles: ['admin', 'council_secretary'] },
	'workshops.manage': { roles: STAFF },
	'acta.manage': { roles: STAFF },
	'acta.readScan': { roles: [...STAFF, 'auditor'] },
	'execution.manage': { roles: STAFF },
	'observations.file': { roles: ['auditor'] },
	'observations.answer': { roles: STAFF },
	'audit.export': { roles: ['admin', 'auditor'] },
	'audio.manage': { roles: STAFF },
	/** the per-voter files of budgets kept private (fewer than k voters), to recount MES: accredited auditors only */
	'results.auditorFiles': { roles: ['auditor'] },
	'account.self': { roles: [], anyUser: true }
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;

export function can(actor: Actor | null, action: Action, municipalityId: number, standing: Standing = {}): boolean {
	if (!actor || actor.municipalityId !== municipalityId) return false;
	const rule: Rule = POLICY[action];
	if (rule.anyUser) return true;
	if (rule.verifiedResident && actor.verified) return true;
	if (rule.committeeInTerm && standing.committeeInTerm) return true;
	return rule.roles.some((r) => actor.roles.has(r));
}

/** The roles that allow `action` (none for a resident's own acts). */
export function rolesFor(action: Action): readonly Role[] {
	return (POLICY[action] as Rule).roles;
}

/**
 * Throws a translated refusal (403, or 401-like "login first" when nobody is logged in). A refusal for want of a
 * role names the roles that would allow it (`params.roles`, comma-separated codes), so the page can say which role
 * is needed and who in the municipality can grant it (http/role-hint.ts).
 */
export function authorize(
	actor: Actor | null,
	action: Action,
	municipalityId: number,
	standing: Standing = {}
): asserts actor is Actor {
	if (!actor) throw new UserError('loginRequired', {}, 403);
	if (!can(actor, action, municipalityId, standing)) {
		const rule: Rule = POLICY[action];
		if (rule.verifiedResident && rule.roles.length === 0) throw new UserError('notVerified', {}, 403);
		if (rule.committeeInTerm && rule.roles.length === 0) throw new UserError('committee.notInTerm', {}, 403);
		throw new UserError('forbidden', rule.roles.length ? { roles: rule.roles.join(',') } : {}, 403);
	}
}

/**
 * Installation-wide actions: they belong to no municipality, so no municipality's role grants them (security review
 * M9: any municipality's admin could create municipalities and claim a real district's ubigeo). The installation
 * role is held by the first-run admin; on installations older than the role, migration 0020 gave it to the admins of
 * the first municipality. Creating the very first municipality needs no one (the installation is empty).
 */
export const INSTALLATION_POLICY = {
	'municipalities.create': 'installationAdmin'
} as const satisfies Record<string, 'installationAdmin'>;

export type InstallationAction = keyof typeof INSTALLATION_POLICY;

export function canInInstallation(actor: Actor | null, _action: InstallationAction): boolean {
	return Boolean(actor?.installationAdmin);
}

/** Throws a translated 403 naming the installation role (or "log in first" when nobody is logged in). */
export function authorizeInstallation(actor: Actor | null, action: InstallationAction): asserts actor is Actor {
	if (!actor) throw new UserError('loginRequired', {}, 403);
	if (!canInInstallation(actor, action)) throw new UserError('setup.installationOnly', {}, 403);
}
