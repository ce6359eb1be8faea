import { describe, it, expect } from 'vitest';
import { buildActaContent, committeeRoleProblem, issueProblems, phaseAllowsDraft, phaseAllowsIssue } from './acta';

const base = {
	municipality: { name: 'Saylla', kind: 'distrital' as const, ubigeo: '080107' },
	round: { id: 1, fiscalYear: 2027, titleEs: 'PP 2027', titleQu: null },
	result: { version: 1, inputHash: 'abc' },
	signingDate: '2027-02-10',
	place: 'Local comunal',
	budgets: [
		{
			zoneName: 'Sector Norte',
			budgetCents: 60_000_00,
			projects: [
				{ proposalId: 7, seq: 1, title: 'Agua', costCents: 30_000_00 },
				{ proposalId: 9, seq: 3, title: 'Parque', costCents: 20_000_00 }
			]
		},
		{ zoneName: null, budgetCents: 40_000_00, projects: [] }
	],
	cofinancing: [
		{ proposalId: 7, source: 'GORE', amountCents: 10_000_00 },
		{ proposalId: 7, source: 'Faena', amountCents: 1_50 }
	],
	commitments: [
		{ actorKind: 'organisation' as const, actorName: 'Club de Madres', text: 'Faena' },
		{ actorKind: 'government' as const, actorName: 'GORE Cusco', text: 'Cofinanciar' },
		{ actorKind: 'municipality' as const, actorName: 'MD Saylla', text: 'PIA' }
	],
	committee: [
		{ agentId: 2, fullName: 'Zoila Apaza', organisation: 'JV', role: 'member' as const },
		{ agentId: 1, fullName: 'Ana Ccori', organisation: 'CM', role: 'member' as const },
		{ agentId: 3, fullName: 'Pedro Tupa', organisation: 'CC', role: 'president' as const }
	],
	signers: [
		{ agentId: 2, fullName: 'Zoila Apaza', organisation: 'JV' },
		{ agentId: 1, fullName: 'Ana Ccori', organisation: 'CM' }
	]
};

describe('acta content', () => {
	it('adds co-financing on top of the participatory-budget amount, per project, per budget and overall', () => {
		const c = buildActaContent(base);
		const [agua, parque] = c.budgets[0].projects;
		expect(agua.cofinancingCents).toBe(10_000_00 + 1_50);
		expect(agua.totalCents).toBe(40_001_50);
		expect(parque.cofinancing).toEqual([]);
		expect(parque.totalCents).toBe(20_000_00);
		expect(c.budgets[0]).toMatchObject({ ppCents: 50_000_00, cofinancingCents: 10_001_50 });
		expect(c.budgets[1]).toMatchObject({ ppCents: 0, cofinancingCents: 0 });
		expect(c.totals).toEqual({ ppCents: 50_000_00, cofinancingCents: 10_001_50, totalCents: 60_001_50 });
	});

	it('orders commitments municipality → government → organisations, committee by role then name, signers by name', () => {
		const c = buildActaContent(base);
		expect(c.commitments.map((x) => x.actorKind)).toEqual(['municipality', 'government', 'organisation']);
		expect(c.committee.map((x) => x.fullName)).toEqual(['Pedro Tupa', 'Ana Ccori', 'Zoila Apaza']);
		expect(c.signers.map((x) => x.fullName)).toEqual(['Ana Ccori', 'Zoila Apaza']);
	});

	it('one president and one secretary at most; any number of members', () => {
		expect(committeeRoleProblem(['president'], 'president')).toBe('acta.committeeRoleTaken');
		expect(committeeRoleProblem(['president'], 'secretary')).toBeNull();
		expect(committeeRoleProblem(['member', 'member'], 'member')).toBeNull();
	});

	it('cannot be issued without date, place, projects or committee', () => {
		expect(issueProblems(buildActaContent(base))).toEqual([]);
		expect(
			issueProblems(buildActaContent({ ...base, signingDate: null, place: null, committee: [], budgets: [] }))
		).toEqual(['acta.noDate', 'acta.noPlace', 'acta.noProjects', 'acta.noCommittee']);
	});

	it('drafting from Resultados, issuing from Formalización', () => {
		expect(phaseAllowsDraft('votacion')).toBe(false);
		expect(phaseAllowsDraft('resultados')).toBe(true);
		expect(phaseAllowsIssue('resultados')).toBe(false);
		expect(phaseAllowsIssue('formalizacion')).toBe(true);
		expect(phaseAllowsIssue('seguimiento')).toBe(true);
	});
});
