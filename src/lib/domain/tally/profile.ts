import type { Election } from './types';

/**
 * Approval view of the ballots with identical ballots merged (a "multiprofile"): every ballot counts
 * as approval of the projects it names. Compressed sparse rows in both directions.
 */
export interface ApprovalProfile {
	/** number of ballots, blank ones included (the n of B/n) */
	n: number;
	m: number;
	/** number of distinct non-empty ballots */
	nB: number;
	/** multiplicity of each distinct ballot */
	weight: Float64Array;
	/** ballot b names projects bProj[bStart[b] .. bStart[b+1]) */
	bStart: Int32Array;
	bProj: Int32Array;
	/** project p is named by ballots sIdx[sStart[p] .. sStart[p+1]) */
	sStart: Int32Array;
	sIdx: Int32Array;
	/** number of ballots naming each project */
	W: Float64Array;
}

export function approvalProfile(e: Election): ApprovalProfile {
	const m = e.projects.length;
	// distinct sets are found by a numeric hash of the sorted indices (no string keys)
	const buckets = new Map<number, number[]>();
	// voters with the same vote text share one array (see parsePb): look those up by identity first
	const byArray = new Map<readonly number[], number>();
	const weights: number[] = [];
	const sets: number[][] = [];
	for (const v of e.voters) {
		const vote = v.vote;
		if (vote.length === 0) continue;
		let b = byArray.get(vote);
		if (b === undefined) {
			const s = vote.length === 1 ? [vote[0]] : sortedCopy(vote);
			let h = 0x811c9dc5;
			for (let k = 0; k < s.length; k++) h = Math.imul(h ^ (s[k] + 1), 0x01000193);
			let bucket = buckets.get(h);
			if (bucket === undefined) {
				bucket = [];
				buckets.set(h, bucket);
			}
			for (const cand of bucket) {
				const t = sets[cand];
				if (t.length === s.length && t.every((x, k) => x === s[k])) {
					b = cand;
					break;
				}
			}
			if (b === undefined) {
				b = sets.length;
				bucket.push(b);
				sets.push(s);
				weights.push(0);
			}
			byArray.set(vote, b);
		}
		weights[b]++;
	}
	return buildCsr(e.voters.length, m, sets, weights);
}

function sortedCopy(a: readonly number[]): number[] {
	const s = a.slice();
	// insertion sort: ballots are short
	for (let i = 1; i < s.length; i++) {
		const x = s[i];
		let j = i - 1;
		while (j >= 0 && s[j] > x) {
			s[j + 1] = s[j];
			j--;
		}
		s[j + 1] = x;
	}
	return s;
}

export function buildCsr(n: number, m: number, sets: number[][], weights: number[]): ApprovalProfile {
	const nB = sets.length;
	const weight = Float64Array.from(weights);
	const bStart = new Int32Array(nB + 1);
	let L = 0;
	for (let b = 0; b < nB; b++) {
		bStart[b] = L;
		L += sets[b].length;
	}
	bStart[nB] = L;
	const bProj = new Int32Array(L);
	const sCount = new Int32Array(m + 1);
	const W = new Float64Array(m);
	for (let b = 0; b < nB; b++) {
		const s = sets[b];
		bProj.set(s, bStart[b]);
		for (const p of s) {
			sCount[p]++;
			W[p] += weight[b];
		}
	}
	const sStart = new Int32Array(m + 1);
	for (let p = 0; p < m; p++) sStart[p + 1] = sStart[p] + sCount[p];
	const fill = sStart.slice(0, m);
	const sIdx = new Int32Array(L);
	for (let b = 0; b < nB; b++) for (let k = bStart[b]; k < bStart[b + 1]; k++) sIdx[fill[bProj[k]]++] = b;
	return { n, m, nB, weight, bStart, bProj, sStart, sIdx, W };
}

/**
 * Cardinal view: each ballot gives utility u > 0 to the projects it names (points for
 * cumulative/scoring, positional len..1 or the given points for ordinal, 1 for approval).
 * Identical ballots merged. Utilities in point units (integers).
 */
export interface UtilityProfile {
	n: number;
	m: number;
	weights: bigint[];
	/** per distinct ballot: [project, utility][] with utility > 0 */
	ballots: [number, bigint][][];
}

export function utilityProfile(e: Election): UtilityProfile {
	const keyOf = new Map<string, number>();
	const weights: bigint[] = [];
	const ballots: [number, bigint][][] = [];
	const approval = e.voteType === 'approval' || e.voteType === 'choose-1';
	for (const v of e.voters) {
		const len = v.vote.length;
		const entries: [number, bigint][] = [];
		for (let k = 0; k < len; k++) {
			const u = approval ? 1 : v.points ? v.points[k] : e.voteType === 'ordinal' ? len - k : 1;
			if (u > 0) entries.push([v.vote[k], BigInt(u)]);
		}
		if (entries.length === 0) continue;
		entries.sort((a, b) => a[0] - b[0]);
		const key = entries.map(([p, u]) => `${p}:${u}`).join(',');
		const b = keyOf.get(key);
		if (b === undefined) {
			keyOf.set(key, ballots.length);
			ballots.push(entries);
			weights.push(1n);
		} else weights[b]++;
	}
	return { n: e.voters.length, m: e.projects.length, weights, ballots };
}

/**
 * For each project, the projects that share at least one ballot with it (itself included), or null
 * when there are too many projects for an m×m matrix. After a project is bought, only these can change.
 */
export function neighbourLists(prof: ApprovalProfile): Int32Array[] | null {
	const m = prof.m;
	if (m > 4096) return null;
	const co = new Uint8Array(m * m);
	const { bStart, bProj } = prof;
	for (let b = 0; b < prof.nB; b++) {
		for (let x = bStart[b]; x < bStart[b + 1]; x++) {
			const row = bProj[x] * m;
			for (let y = bStart[b]; y < bStart[b + 1]; y++) co[row + bProj[y]] = 1;
		}
	}
	const out: Int32Array[] = [];
	for (let p = 0; p < m; p++) {
		const list: number[] = [];
		for (let q = 0; q < m; q++) if (co[p * m + q]) list.push(q);
		out.push(Int32Array.from(list));
	}
	return out;
}
