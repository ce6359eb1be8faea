/**
 * Method of Equal Shares in plain exact rational arithmetic, general additive utilities.
 * Straightforward (no floats, no lazy evaluation): used for `mes-points` and as an independent
 * oracle for the fast approval implementation in mes.ts.
 */
import * as R from './rational';
import type { Rat } from './rational';
import type { UtilityProfile } from './profile';

export interface MesExactInput {
	profile: UtilityProfile;
	cost: readonly bigint[];
	/** per-voter endowment in money units */
	endowment: Rat;
	rank: Int32Array;
	/** utility = cost of the project for every supporter (approval "cost utility") instead of the profile's utilities */
	costUtility: boolean;
}

export interface MesExactResult {
	/** selection order */
	selected: number[];
	/** projects selected up front because they cost 0 and have positive utility (pabutools behaviour, general utilities only) */
	zeroCost: number[];
}

export function mesExact(input: MesExactInput): MesExactResult {
	const { profile, cost, endowment, rank, costUtility } = input;
	const m = profile.m;
	const nb = profile.ballots.length;
	const supporters: { b: number; u: bigint }[][] = Array.from({ length: m }, () => []);
	for (let b = 0; b < nb; b++) {
		for (const [p, u] of profile.ballots[b]) supporters[p].push({ b, u: costUtility ? cost[p] : u });
	}
	const budget: Rat[] = new Array(nb).fill(endowment);
	const w = profile.weights;
	const selected: number[] = [];
	const zeroCost: number[] = [];
	let remaining: number[] = [];
	for (let p = 0; p < m; p++) {
		let total = 0n;
		for (const s of supporters[p]) total += w[s.b] * s.u;
		if (total <= 0n) continue;
		if (cost[p] > 0n) remaining.push(p);
		else if (!costUtility) zeroCost.push(p);
	}
	selected.push(...zeroCost);
	for (;;) {
		let best: Rat | null = null;
		let winner = -1;
		const next: number[] = [];
		for (const p of remaining) {
			const sup = supporters[p];
			let avail: Rat = R.ZERO;
			for (const s of sup) avail = R.add(avail, R.mulInt(budget[s.b], w[s.b]));
			const c: Rat = R.rat(cost[p]);
			if (R.cmp(avail, c) < 0) continue; // unaffordable now, hence forever
			next.push(p);
			const order = [...sup].sort((x, y) => R.cmp(R.divInt(budget[x.b], x.u), R.divInt(budget[y.b], y.u)));
			let paid: Rat = R.ZERO;
			let U = 0n;
			for (const s of sup) U += w[s.b] * s.u;
			let rho: Rat | null = null;
			for (const s of order) {
				const r = R.divInt(R.sub(c, paid), U);
				if (R.cmp(R.mulInt(r, s.u), budget[s.b]) <= 0) {
					rho = r;
					break;
				}
				paid = R.add(paid, R.mulInt(budget[s.b], w[s.b]));
				U -= w[s.b] * s.u;
			}
			if (rho === null) continue; // cannot happen when avail ≥ cost
			const k = best === null ? -1 : R.cmp(rho, best);
			if (best === null || k < 0 || (k === 0 && rank[p] < rank[winner])) {
				best = rho;
				winner = p;
			}
		}
		remaining = next;
		if (winner < 0 || best === null) break;
		for (const s of supporters[winner]) {
			const pay = R.mulInt(best, s.u);
			budget[s.b] = R.cmp(pay, budget[s.b]) >= 0 ? R.ZERO : R.sub(budget[s.b], pay);
		}
		selected.push(winner);
		remaining = remaining.filter((p) => p !== winner);
	}
	return { selected, zeroCost };
}
