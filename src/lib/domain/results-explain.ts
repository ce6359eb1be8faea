/**
 * Why each project was funded or not, and how fairly a budget served its voters (issue 12 point 4). Pure: the page
 * turns each explanation into plain Spanish or Quechua (message key + amounts), and the fairness figures are counted
 * at compute time from the budget's ballots, for the rule used and for the other allocation rule.
 */
import type { BudgetOutcomeRow } from './results';
import type { Election } from './tally/types';

export interface Explanation {
	/** message key under results.why (results.ineligible for gate / unscored) */
	key: 'fitted' | 'didNotFit' | 'mesPaid' | 'mesSharesUsedUp' | 'gate' | 'unscored';
	/** céntimos: what was left when the project's turn came, and what it costs */
	leftCents: number;
	costCents: number;
}

/**
 * One explanation per row, in the rows' order. Greedy (votes, scores or a mix): walking down the ranking, a project
 * is funded when it fits in what is left, and not funded when it costs more than what is left. MES: a funded project
 * was paid from its supporters' equal shares; an unfunded one could not be, because its supporters' shares were used
 * up (or too small for its cost), whatever money was left over.
 */
export function explainRows(rows: BudgetOutcomeRow[], budgetCents: number, mes: boolean): Explanation[] {
	let left = budgetCents;
	const spent = rows.filter((r) => r.selected).reduce((s, r) => s + r.costCents, 0);
	return rows.map((r) => {
		if (r.ineligible) return { key: r.ineligible, leftCents: left, costCents: r.costCents };
		if (mes)
			return {
				key: r.selected ? 'mesPaid' : 'mesSharesUsedUp',
				leftCents: budgetCents - spent,
				costCents: r.costCents
			};
		const e: Explanation = { key: r.selected ? 'fitted' : 'didNotFit', leftCents: left, costCents: r.costCents };
		if (r.selected) left -= r.costCents;
		return e;
	});
}

/** How many voters a set of funded projects served: counts, so the page can print a share and an average exactly. */
export interface Fairness {
	/** voters who supported at least one project (blank ballots aside) */
	voters: number;
	/** of those, voters with at least one funded project they supported */
	served: number;
	/** funded projects they supported, summed over those voters (average = fundedSupported / voters) */
	fundedSupported: number;
}

/**
 * Fairness of an outcome on an election: a voter supported a project when the ballot names it (approved, ranked,
 * or given points). `selected`: project ids funded.
 */
export function fairness(e: Election, selected: readonly string[]): Fairness {
	const funded = new Set(selected);
	const isFunded = e.projects.map((p) => funded.has(p.id));
	let voters = 0;
	let served = 0;
	let fundedSupported = 0;
	for (const v of e.voters) {
		let n = 0;
		let any = false;
		for (let k = 0; k < v.vote.length; k++) {
			if (v.points && !(v.points[k] > 0)) continue;
			any = true;
			if (isFunded[v.vote[k]]) n++;
		}
		if (!any) continue;
		voters++;
		if (n > 0) served++;
		fundedSupported += n;
	}
	return { voters, served, fundedSupported };
}

/** The share as a percentage with one decimal, and the average with two ("87.5", "1.40"); "0.0"/"0.00" when empty. */
export function fairnessFigures(f: Fairness): { share: string; average: string } {
	if (f.voters === 0) return { share: '0.0', average: '0.00' };
	return {
		share: ((100 * f.served) / f.voters).toFixed(1),
		average: (f.fundedSupported / f.voters).toFixed(2)
	};
}
