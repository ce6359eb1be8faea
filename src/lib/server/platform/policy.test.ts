import { describe, it, expect } from 'vitest';
import {
	can,
	authorize,
	authorizeInstallation,
	canInInstallation,
	rolesFor,
	POLICY,
	type Actor,
	type Action
} from './policy';
import type { UserError } from '../../domain/errors';
import type { Role } from '../db/schema/people';

function actor(roles: Role[], verified = false, municipalityId = 1): Actor {
	return { userId: 1, personId: 1, municipalityId, roles: new Set(roles), verified };
}

const resident = actor([]);
const verified = actor([], true);

// (who, action) → allowed. Written out by hand from DESIGN.md §2, not derived from the policy table.
const table: [string, Actor, Action, boolean][] = [
	['admin', actor(['admin']), 'roles.manage', true],
	['official', actor(['official']), 'roles.manage', false],
	['admin', actor(['admin']), 'zones.manage', true],
	['official', actor(['official']), 'census.import', true],
	['technical', actor(['technical']), 'census.import', false],
	['auditor', actor(['auditor']), 'census.import', false],
	['official', actor(['official']), 'residents.verify', true],
	['council secretary', actor(['council_secretary']), 'residents.verify', false],
	['official', actor(['official']), 'rounds.manage', true],
	['technical', actor(['technical']), 'rounds.manage', false],
	['technical', actor(['technical']), 'proposals.evaluate', true],
	['official', actor(['official']), 'proposals.evaluate', false],
	['verified resident', verified, 'proposals.submit', true],
	['unverified resident', resident, 'proposals.submit', false],
	['verified resident', verified, 'ballot.cast', true],
	['unverified resident', resident, 'ballot.cast', false],
	['verified resident', verified, 'admin.access', false],
	['auditor', actor(['auditor']), 'admin.access', true],
	['auditor', actor(['auditor']), 'audit.export', true],
	['auditor', actor(['auditor']), 'results.publish', false],
	['auditor', actor(['auditor']), 'results.auditorFiles', true],
	['official', actor(['official']), 'results.auditorFiles', false],
	['official', actor(['official']), 'acta.manage', true],
	['auditor', actor(['auditor']), 'acta.manage', false],
	['auditor', actor(['auditor']), 'acta.readScan', true],
	['verified resident', verified, 'acta.readScan', false],
	['official', actor(['official']), 'results.publish', true],
	['council secretary', actor(['council_secretary']), 'council.manage', true],
	['official', actor(['official']), 'council.manage', false],
	['auditor', actor(['auditor']), 'voting.turnout', true],
	['technical', actor(['technical']), 'voting.station', false],
	['any user', resident, 'account.self', true]
];

/**
 * Every action, and exactly who may do it today (A admin, O official, T technical, S council secretary, U auditor,
 * V any verified resident, * any logged-in user), written out by hand rather than derived from POLICY: a
 * role added to or taken from any row of POLICY fails here.
 */
const WHO: Record<Action, string> = {
	'admin.access': 'AOTSU',
	'municipality.settings': 'A',
	'roles.manage': 'A',
	'zones.manage': 'A',
	'census.import': 'AO',
	'residents.view': 'AO',
	'residents.verify': 'AO',
	'residents.moveVerification': 'AO',
	'residents.issueResetCode': 'AO',
	'rounds.manage': 'AO',
	'rounds.phase': 'AO',
	'agents.manage': 'AO',
	'proposals.submit': 'V',
	'proposals.fileOnBehalf': 'AO',
	'proposals.translate': 'AOT',
	'proposals.evaluate': 'T',
	'proposals.score': 'AO',
	'ballot.cast': 'V',
	'voting.station': 'AO',
	'voting.resolveAsCommittee': '',
	'voting.turnout': 'AOU',
	'results.compute': 'AO',
	'results.publish': 'AO',
	'council.manage': 'AS',
	'workshops.manage': 'AO',
	'acta.manage': 'AO',
	'acta.readScan': 'AOU',
	'execution.manage': 'AO',
	'observations.file': 'U',
	'observations.answer': 'AO',
	'audit.export': 'AU',
	'audio.manage': 'AO',
	'results.auditorFiles': 'U',
	'account.self': '*'
};
const PEOPLE: [string, Actor][] = [
	['A', actor(['admin'])],
	['O', actor(['official'])],
	['T', actor(['technical'])],
	['S', actor(['council_secretary'])],
	['U', actor(['auditor'])],
	['V', verified]
];

describe('policy table, every row', () => {
	it('lists every action of POLICY', () => {
		expect(Object.keys(WHO).sort()).toEqual(Object.keys(POLICY).sort());
	});
	it.each(Object.entries(WHO) as [Action, string][])('%s: exactly %s', (action, who) => {
		for (const [letter, a] of PEOPLE)
			expect(can(a, action, 1), `${letter} → ${action}`).toBe(who === '*' || who.includes(letter));
		// An unverified resident with no role: only what any user may do.
		expect(can(resident, action, 1), `unverified → ${action}`).toBe(who === '*');
	});
});

describe('policy table', () => {
	it.each(table)('%s → %s = %s', (_who, a, action, allowed) => {
		expect(can(a, action, 1)).toBe(allowed);
	});
	it('a committee seat in term, not a role, allows resolving as the Comité de Vigilancia', () => {
		expect(can(resident, 'voting.resolveAsCommittee', 1, { committeeInTerm: true })).toBe(true);
		expect(can(resident, 'voting.resolveAsCommittee', 2, { committeeInTerm: true })).toBe(false);
		expect(can(actor(['admin']), 'voting.resolveAsCommittee', 1, { committeeInTerm: false })).toBe(false);
		expect(() => authorize(actor(['official']), 'voting.resolveAsCommittee', 1)).toThrowError('committee.notInTerm');
		// the standing opens only its own action
		expect(can(resident, 'voting.station', 1, { committeeInTerm: true })).toBe(false);
	});
	it('nobody acts in another municipality', () => {
		expect(can(actor(['admin']), 'roles.manage', 2)).toBe(false);
		expect(can(verified, 'ballot.cast', 2)).toBe(false);
	});
	it('anonymous visitors are refused with "login first"', () => {
		expect(() => authorize(null, 'ballot.cast', 1)).toThrowError('loginRequired');
		expect(() => authorize(resident, 'ballot.cast', 1)).toThrowError('notVerified');
		expect(() => authorize(actor(['auditor']), 'roles.manage', 1)).toThrowError('forbidden');
	});
	it('a refusal for want of a role names the roles that would allow it (the role hint)', () => {
		const refusal = (a: Actor, action: Action) => {
			try {
				authorize(a, action, 1);
			} catch (e) {
				return (e as UserError).params;
			}
		};
		expect(refusal(actor(['admin']), 'proposals.evaluate')).toEqual({ roles: 'technical' });
		expect(refusal(actor(['auditor']), 'rounds.manage')).toEqual({ roles: 'admin,official' });
		expect(rolesFor('voting.station')).toEqual(['admin', 'official']);
	});
});

describe('the installation-level role (review M9)', () => {
	const refusal = (a: Actor | null) => {
		try {
			authorizeInstallation(a, 'municipalities.create');
			return null;
		} catch (e) {
			const u = e as UserError;
			return [u.code, u.status];
		}
	};

	it('lets only its holder create municipalities; no municipality role implies it', () => {
		const holder = { ...actor([]), installationAdmin: true };
		expect(canInInstallation(holder, 'municipalities.create')).toBe(true);
		expect(refusal(holder)).toBeNull();
		for (const role of ['admin', 'official', 'technical', 'council_secretary', 'auditor'] as Role[]) {
			expect(canInInstallation(actor([role], true), 'municipalities.create')).toBe(false);
			expect(refusal(actor([role], true))).toEqual(['setup.installationOnly', 403]);
		}
		expect(refusal({ ...actor(['admin']), installationAdmin: false })).toEqual(['setup.installationOnly', 403]);
	});

	it('asks a visitor to log in first', () => {
		expect(canInInstallation(null, 'municipalities.create')).toBe(false);
		expect(refusal(null)).toEqual(['loginRequired', 403]);
	});
});
