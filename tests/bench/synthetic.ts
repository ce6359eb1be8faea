/**
 * Seeded synthetic approval elections for the benchmark (real elections of these sizes are kept back
 * for checks). Projects have log-normal popularity and cost and belong to topic clusters; each voter
 * leans to one cluster, so ballots are correlated as in real PB, and short ballots repeat.
 */
import { pbFromInput, type ElectionInput } from '../../src/lib/domain/tally/index';
import { prng } from '../support/prng';

export interface SyntheticSpec {
	name: string;
	voters: number;
	projects: number;
	/** mean number of approvals per ballot */
	meanApprovals: number;
	maxApprovals: number;
	/** budget as a share of the total cost of all projects */
	budgetShare: number;
	seed: number;
}

export const SYNTHETIC: SyntheticSpec[] = [
	{
		name: 'synthetic_90000x160_3.6',
		voters: 90_000,
		projects: 160,
		meanApprovals: 3.6,
		maxApprovals: 10,
		budgetShare: 0.3,
		seed: 2022
	},
	{
		name: 'synthetic_5500x90_10',
		voters: 5_500,
		projects: 90,
		meanApprovals: 10,
		maxApprovals: 30,
		budgetShare: 0.3,
		seed: 2021
	}
];

function normal(rnd: () => number): number {
	const u = 1 - rnd();
	const v = rnd();
	return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function syntheticElection(spec: SyntheticSpec): ElectionInput {
	const rnd = prng(spec.seed);
	const m = spec.projects;
	const clusters = 8;
	const cluster = Array.from({ length: m }, () => Math.floor(rnd() * clusters));
	const popularity = Array.from({ length: m }, () => Math.exp(normal(rnd) * 0.9));
	const cost = Array.from({ length: m }, () =>
		Math.max(5_000, Math.round(Math.exp(11.9 + normal(rnd) * 1.0) / 100) * 100)
	);
	const totalCost = cost.reduce((a, b) => a + b, 0);
	const budget = Math.round((totalCost * spec.budgetShare) / 1000) * 1000;
	// per-cluster cumulative weights: a voter draws from their cluster with weight ×4
	const weightsFor = (c: number) => popularity.map((w, p) => (cluster[p] === c ? 4 * w : w));
	const cumFor = Array.from({ length: clusters }, (_, c) => {
		const w = weightsFor(c);
		const cum = new Float64Array(m);
		let s = 0;
		for (let p = 0; p < m; p++) cum[p] = s += w[p];
		return cum;
	});
	const pick = (cum: Float64Array) => {
		const x = rnd() * cum[m - 1];
		let lo = 0;
		let hi = m - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cum[mid] < x) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	};
	// ballot length: 1 + Poisson-like (geometric mixture) with the requested mean, capped
	const ballots: ElectionInput['ballots'] = [];
	for (let i = 0; i < spec.voters; i++) {
		let len = 1;
		const extra = spec.meanApprovals - 1;
		// negative-binomial-ish: sum of two geometrics
		const p = 1 / (1 + extra / 2);
		for (let g = 0; g < 2; g++) while (rnd() > p) len++;
		len = Math.min(len, spec.maxApprovals, m);
		const cum = cumFor[Math.floor(rnd() * clusters)];
		const set = new Set<number>();
		let guard = 0;
		while (set.size < len && guard++ < 50 * len) set.add(pick(cum));
		ballots.push({ id: String(i + 1), vote: [...set].map((x) => `S${x + 1}`) });
	}
	return {
		meta: {
			description: `Synthetic approval election (seed ${spec.seed}) for Minka's tally benchmark`,
			country: 'Worldwide',
			unit: 'Synthetic',
			instance: String(spec.seed),
			rule: 'unknown',
			experimental: '1',
			currency: 'PEN'
		},
		budget: String(budget),
		projects: cost.map((c, p) => ({ id: `S${p + 1}`, cost: String(c), name: `Synthetic project ${p + 1}` })),
		ballots
	};
}

export function syntheticPb(spec: SyntheticSpec): string {
	return pbFromInput(syntheticElection(spec));
}
