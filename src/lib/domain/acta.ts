/**
 * The Acta de Acuerdos y Compromisos of a round (Formalización). Pure: the acta module loads the published result,
 * the co-financing, commitments and committee rows; this file decides when the acta may change and what it says.
 */
import { PHASES, type Phase } from './round-rules';

export const ACTA_STATUSES = ['draft', 'issued'] as const;
export type ActaStatus = (typeof ACTA_STATUSES)[number];
/** Who commits: the municipality, an organisation of the agents (sociedad civil), another level of government. */
export const COMMITMENT_ACTORS = ['municipality', 'organisation', 'government'] as const;
export type CommitmentActor = (typeof COMMITMENT_ACTORS)[number];
export const COMMITTEE_ROLES = ['president', 'secretary', 'member'] as const;
export type CommitteeRole = (typeof COMMITTEE_ROLES)[number];

const at = (p: Phase) => PHASES.indexOf(p);

/**
 * Drafting (co-financing, commitments, committee) starts once the round has results: the co-ordination between
 * levels of government that sets co-financing happens between the result and the formal acta.
 */
export function phaseAllowsDraft(phase: Phase): boolean {
	return at(phase) >= at('resultados');
}

/** Issuing the acta for signature — and uploading the signed scan — belongs to Formalización (or later). */
export function phaseAllowsIssue(phase: Phase): boolean {
	return at(phase) >= at('formalizacion');
}

export interface ActaProjectInput {
	proposalId: number;
	seq: number;
	title: string;
	costCents: number;
}

export interface ActaBudgetInput {
	zoneName: string | null;
	budgetCents: number;
	/** The selected (prioritised) projects, in the result's order. */
	projects: ActaProjectInput[];
}

export interface ActaContent {
	v: 1;
	municipality: { name: string; kind: 'provincial' | 'distrital'; ubigeo: string };
	round: { id: number; fiscalYear: number; titleEs: string; titleQu: string | null };
	result: { version: number; inputHash: string };
	signingDate: string | null;
	place: string | null;
	budgets: {
		zoneName: string | null;
		budgetCents: number;
		projects: (ActaProjectInput & {
			cofinancing: { source: string; amountCents: number }[];
			cofinancingCents: number;
			totalCents: number;
		})[];
		ppCents: number;
		cofinancingCents: number;
	}[];
	totals: { ppCents: number; cofinancingCents: number; totalCents: number };
	commitments: { actorKind: CommitmentActor; actorName: string; text: string }[];
	/** Agents acting in a public role: name and organisation only, never DNI or contact data. */
	committee: { agentId: number; fullName: string; organisation: string; role: CommitteeRole }[];
	/** Agents with vote, who sign the acta. */
	signers: { agentId: number; fullName: string; organisation: string }[];
}

export interface ActaInput {
	municipality: ActaContent['municipality'];
	round: ActaContent['round'];
	result: ActaContent['result'];
	signingDate: string | null;
	place: string | null;
	budgets: ActaBudgetInput[];
	cofinancing: { proposalId: number; source: string; amountCents: number }[];
	commitments: ActaContent['commitments'];
	committee: ActaContent['committee'];
	signers: ActaContent['signers'];
}

const ROLE_ORDER: Record<CommitteeRole, number> = { president: 0, secretary: 1, member: 2 };
const ACTOR_ORDER: Record<CommitmentActor, number> = { municipality: 0, government: 1, organisation: 2 };

/**
 * The acta's content: per budget, each prioritised project with what the participatory budget pays (its cost in the
 * result) and each co-financing source on top; commitments grouped by actor kind (municipality first), the
 * committee by role, the signers by name. The PP amount of a project is its cost in the published result,
 * co-financing adds to it: total investment = PP + co-financing.
 */
export function buildActaContent(input: ActaInput): ActaContent {
	const cof = new Map<number, { source: string; amountCents: number }[]>();
	for (const c of input.cofinancing) {
		const list = cof.get(c.proposalId) ?? [];
		list.push({ source: c.source, amountCents: c.amountCents });
		cof.set(c.proposalId, list);
	}
	const budgets = input.budgets.map((b) => {
		const projects = b.projects.map((p) => {
			const cofinancing = cof.get(p.proposalId) ?? [];
			const cofinancingCents = cofinancing.reduce((s, c) => s + c.amountCents, 0);
			return { ...p, cofinancing, cofinancingCents, totalCents: p.costCents + cofinancingCents };
		});
		return {
			zoneName: b.zoneName,
			budgetCents: b.budgetCents,
			projects,
			ppCents: projects.reduce((s, p) => s + p.costCents, 0),
			cofinancingCents: projects.reduce((s, p) => s + p.cofinancingCents, 0)
		};
	});
	const ppCents = budgets.reduce((s, b) => s + b.ppCents, 0);
	const cofinancingCents = budgets.reduce((s, b) => s + b.cofinancingCents, 0);
	return {
		v: 1,
		municipality: input.municipality,
		round: input.round,
		result: input.result,
		signingDate: input.signingDate,
		place: input.place,
		budgets,
		totals: { ppCents, cofinancingCents, totalCents: ppCents + cofinancingCents },
		commitments: input.commitments
			.map((c, i) => ({ c, i }))
			.sort((a, b) => ACTOR_ORDER[a.c.actorKind] - ACTOR_ORDER[b.c.actorKind] || a.i - b.i)
			.map(({ c }) => ({ actorKind: c.actorKind, actorName: c.actorName, text: c.text })),
		committee: [...input.committee].sort(
			(a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.fullName.localeCompare(b.fullName, 'es')
		),
		signers: [...input.signers].sort((a, b) => a.fullName.localeCompare(b.fullName, 'es'))
	};
}

/** A committee has at most one president and one secretary. Returns an error code under `errors.acta.*` or null. */
export function committeeRoleProblem(current: readonly CommitteeRole[], role: CommitteeRole): string | null {
	if (role !== 'member' && current.includes(role)) return `acta.committeeRoleTaken`;
	return null;
}

/** What keeps the acta from being issued: no signing date or place, no committee. Error codes under `errors.acta.*`. */
export function issueProblems(content: ActaContent): string[] {
	const out: string[] = [];
	if (!content.signingDate) out.push('acta.noDate');
	if (!content.place) out.push('acta.noPlace');
	if (!content.budgets.some((b) => b.projects.length)) out.push('acta.noProjects');
	if (!content.committee.length) out.push('acta.noCommittee');
	return out;
}
