/**
 * Sequential Phragmén (pabutools `sequential_phragmen`), approval ballots (ordinal/cumulative ballots
 * count as approval of the projects they name). Stops — does not skip — at the first best project that
 * does not fit.
 *
 * Exactness: every voter's load is one of the values t* of earlier rounds (all supporters of the bought
 * project get the same new load), so loads are held as "load classes". Their exact values are kept as
 * integers over one common denominator D (multiplied by the winner's vote count each round, so no gcd is
 * ever needed). The new max-load t(p) = (Σ loads of supporters + cost) / votes is a sum of positive terms,
 * so its double has a small relative error bound; projects within that bound of the minimum are compared
 * exactly, and the winner's t* is always computed exactly.
 * Loads only grow, so t(p) never decreases: projects are scanned by their last t and the scan stops at the
 * first one that cannot reach the current minimum; only projects sharing a voter with the last winner are
 * recomputed.
 */
import { neighbourLists, type ApprovalProfile } from './profile';

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
	const neighbours = neighbourLists(prof);
	const lcls = new Int32Array(prof.nB); // load class per ballot (0 = load 0)
	const LF: number[] = [0]; // double value of each load class
	let D = 1n; // common denominator of the exact loads
	const LN: bigint[] = [0n]; // exact load of class c = LN[c] / D
	const costF = cost.map((c) => Number(c));
	const tF = new Float64Array(m);
	const tErr = new Float64Array(m);
	const dirty = new Uint8Array(m).fill(1);
	let finite: number[] = [];
	let infinite: number[] = [];
	for (let p = 0; p < m; p++) if (cost[p] <= budget) (W[p] > 0 ? finite : infinite).push(p);
	const selected: number[] = [];
	let spent = 0n;

	/** exact t(p) = num / (W[p]·D) */
	const exactNum = (p: number): bigint => {
		const cnt = new Float64Array(LN.length);
		for (let j = sStart[p]; j < sStart[p + 1]; j++) cnt[lcls[sIdx[j]]] += weight[sIdx[j]];
		let num = cost[p] * D;
		for (let c = 1; c < cnt.length; c++) if (cnt[c] > 0) num += BigInt(cnt[c]) * LN[c];
		return num;
	};

	const evaluate = (p: number) => {
		let s = costF[p];
		const start = sStart[p];
		const end = sStart[p + 1];
		for (let j = start; j < end; j++) {
			const i = sIdx[j];
			s += weight[i] * LF[lcls[i]];
		}
		tF[p] = s / W[p];
		tErr[p] = tF[p] * SAFE * (end - start + 4) * EPS;
		dirty[p] = 0;
	};

	for (;;) {
		let tied: number[];
		let winnerNum = 0n;
		if (finite.length > 0) {
			finite.sort((a, b) => tF[a] - tErr[a] - (tF[b] - tErr[b]));
			let minHi = Infinity;
			const scanned: number[] = [];
			for (const p of finite) {
				// a stale value is still a lower bound: t(p) never decreases
				if (tF[p] - tErr[p] > minHi) break;
				if (dirty[p]) {
					evaluate(p);
					if (tF[p] - tErr[p] > minHi) continue;
				}
				scanned.push(p);
				if (tF[p] + tErr[p] < minHi) minHi = tF[p] + tErr[p];
			}
			const cand = scanned.filter((p) => tF[p] - tErr[p] <= minHi);
			if (cand.length === 0) throw new Error('phragmen: no candidate found (numeric failure)');
			if (cand.length === 1) {
				tied = cand;
				winnerNum = exactNum(cand[0]);
			} else {
				// compare num_p / W_p exactly (same D for all)
				const ex = cand.map((p) => ({ p, num: exactNum(p) }));
				let best = ex[0];
				for (const x of ex) if (x.num * BigInt(W[best.p]) < best.num * BigInt(W[x.p])) best = x;
				tied = ex.filter((x) => x.num * BigInt(W[best.p]) === best.num * BigInt(W[x.p])).map((x) => x.p);
				winnerNum = best.num; // all tied share the same value t = num/(W·D)
			}
		} else if (infinite.length > 0) {
			tied = infinite; // nobody supports them: all tied at t = ∞
		} else break;
		if (tied.some((p) => spent + cost[p] > budget)) break;
		let winner = tied[0];
		for (const p of tied) if (rank[p] < rank[winner]) winner = p;
		if (W[winner] > 0) {
			if (winner !== tied[0] || tied.length > 1) winnerNum = exactNum(winner);
			// new common denominator D·W: rescale existing loads, add t* = winnerNum / (W·D)
			const w = BigInt(W[winner]);
			for (let c = 1; c < LN.length; c++) LN[c] *= w;
			D *= w;
			const c = LN.length;
			LN.push(winnerNum);
			LF.push(ratioToNumber(winnerNum, D));
			for (let j = sStart[winner]; j < sStart[winner + 1]; j++) lcls[sIdx[j]] = c;
			if (neighbours) for (const q of neighbours[winner]) dirty[q] = 1;
			else dirty.fill(1);
			finite = finite.filter((p) => p !== winner);
		} else infinite = infinite.filter((p) => p !== winner);
		selected.push(winner);
		spent += cost[winner];
	}
	return { selected };
}

/** n/d as a double (n, d ≥ 0; d > 0), also when both are far beyond the double range. */
function ratioToNumber(n: bigint, d: bigint): number {
	const bits = d.toString(16).length * 4;
	if (bits < 900 && n < 1n << 1000n) return Number(n) / Number(d);
	const shift = BigInt(bits - 900);
	return Number(n >> shift) / Number(d >> shift);
}
