/**
 * Sequential Phragmén (pabutools `sequential_phragmen`), approval ballots (ordinal/cumulative ballots
 * count as approval of the projects they name). Stops — does not skip — at the first best project that
 * does not fit.
 *
 * Exactness: every voter's load is one of the values t* of earlier rounds (all supporters of the bought
 * project get the same new load), so loads are held as "load classes" with an exact rational value and a
 * double. The new max-load t(p) = (Σ loads of supporters + cost) / votes is a sum of positive terms, so
 * its double has a small relative error bound; projects within that bound of the minimum are compared in
 * exact rationals, and the winner's t* is always computed exactly.
 */
import * as R from './rational';
import type { Rat } from './rational';
import type { ApprovalProfile } from './profile';

const EPS = 2.3e-16;
const SAFE = 8;

export interface PhragmenInput {
	profile: ApprovalProfile;
	cost: readonly bigint[];
	budget: bigint;
	rank: Int32Array;
}

export function phragmen(input: PhragmenInput): { selected: number[] } {
	const { profile: prof, cost, budget, rank } = input;
	const { sStart, sIdx, weight, W } = prof;
	const m = prof.m;
	const lcls = new Int32Array(prof.nB); // load class per ballot (0 = load 0)
	const LF: number[] = [0];
	const LE: Rat[] = [R.ZERO];
	const costF = cost.map((c) => Number(c));
	let remaining: number[] = [];
	for (let p = 0; p < m; p++) if (cost[p] <= budget) remaining.push(p);
	const selected: number[] = [];
	let spent = 0n;
	const tF = new Float64Array(m);

	const exactT = (p: number): Rat => {
		const cnt = new Float64Array(LF.length);
		for (let j = sStart[p]; j < sStart[p + 1]; j++) cnt[lcls[sIdx[j]]] += weight[sIdx[j]];
		let sum: Rat = R.rat(cost[p]);
		for (let c = 1; c < cnt.length; c++) if (cnt[c] > 0) sum = R.add(sum, R.mulInt(LE[c], BigInt(cnt[c])));
		return R.divInt(sum, BigInt(W[p]));
	};

	while (remaining.length > 0) {
		const finite = remaining.filter((p) => W[p] > 0);
		let tied: number[];
		let tStar: Rat | null = null;
		if (finite.length > 0) {
			let minHi = Infinity;
			const relErr = new Float64Array(m);
			for (const p of finite) {
				let s = costF[p];
				const start = sStart[p];
				const end = sStart[p + 1];
				for (let j = start; j < end; j++) {
					const i = sIdx[j];
					s += weight[i] * LF[lcls[i]];
				}
				tF[p] = s / W[p];
				relErr[p] = SAFE * (end - start + 4) * EPS;
				const hi = tF[p] * (1 + relErr[p]);
				if (hi < minHi) minHi = hi;
			}
			const cand = finite.filter((p) => tF[p] * (1 - relErr[p]) <= minHi);
			if (cand.length === 1) {
				tied = cand;
				tStar = exactT(cand[0]);
			} else {
				const ex = cand.map((p) => ({ p, t: exactT(p) }));
				let best = ex[0].t;
				for (const x of ex) if (R.cmp(x.t, best) < 0) best = x.t;
				tied = ex.filter((x) => R.cmp(x.t, best) === 0).map((x) => x.p);
				tStar = best;
			}
		} else {
			tied = remaining; // all at infinity (nobody supports them)
		}
		if (tied.some((p) => spent + cost[p] > budget)) break;
		let winner = tied[0];
		for (const p of tied) if (rank[p] < rank[winner]) winner = p;
		if (tStar !== null) {
			const c = LF.length;
			LE.push(tStar);
			LF.push(R.toNumber(tStar));
			for (let j = sStart[winner]; j < sStart[winner + 1]; j++) lcls[sIdx[j]] = c;
		}
		selected.push(winner);
		spent += cost[winner];
		remaining = remaining.filter((p) => p !== winner);
	}
	return { selected };
}
