import { distinctVotes, voterCount } from './distinct';
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
	const dv = distinctVotes(e);
	const sets = dv ? new SetIndex(dv.count, dv.start[dv.count]) : new SetIndex();
	const weights: number[] = [];
	if (dv) {
		// voters were grouped by identical vote text while parsing: count per text, then merge texts
		const { start, flat, voteIdx } = dv;
		const cnt = new Int32Array(dv.count);
		for (let i = 0; i < voteIdx.length; i++) cnt[voteIdx[i]]++;
		for (let d = 0; d < dv.count; d++) {
			if (start[d + 1] === start[d]) continue;
			const b = sets.add(flat, start[d], start[d + 1]);
			if (b === weights.length) weights.push(0);
			weights[b] += cnt[d];
		}
	} else {
		// voters with the same vote text share one array (see parsePb): look those up by identity first
		const byArray = new Map<readonly number[], number>();
		for (const v of e.voters) {
			const vote = v.vote;
			if (vote.length === 0) continue;
			let b = byArray.get(vote);
			if (b === undefined) {
				b = sets.add(vote, 0, vote.length);
				if (b === weights.length) weights.push(0);
				byArray.set(vote, b);
			}
			weights[b]++;
		}
	}
	return csrFromFlat(
		voterCount(e),
		e.projects.length,
		sets.start.slice(0, sets.count + 1),
		sets.flat.slice(0, sets.flatLen),
		Float64Array.from(weights)
	);
}

/**
 * Distinct approval sets, stored flat (sorted indices): set k is flat[start[k] .. start[k+1]).
 * Found by a numeric hash of the sorted indices in an open-addressing table (no string keys, no Map,
 * no small arrays).
 */
class SetIndex {
	flat: Int32Array;
	flatLen = 0;
	start: Int32Array;
	count = 0;
	private hash: Int32Array;
	/** two entries per slot: [hash, set] (set = -1: empty), so a probe reads one place in memory */
	private slots: Int32Array;
	private scratch = new Int32Array(16);

	/** sized for about `sets` sets naming `entries` projects in all (it grows past that) */
	constructor(sets = 1024, entries = 1024) {
		let capacity = 1024;
		while (capacity < sets) capacity *= 2;
		this.flat = new Int32Array(Math.max(1024, entries));
		this.start = new Int32Array(capacity + 1);
		this.hash = new Int32Array(capacity);
		this.slots = new Int32Array(4 * capacity).fill(-1);
	}

	/** index of the set of projects in vote[from .. to) (new sets get the next index) */
	add(vote: ArrayLike<number>, from: number, to: number): number {
		const len = to - from;
		if (this.scratch.length < len) this.scratch = new Int32Array(len * 2);
		const scratch = this.scratch;
		// insertion sort into scratch (ballots are short)
		for (let i = 0; i < len; i++) {
			const x = vote[from + i];
			let j = i - 1;
			while (j >= 0 && scratch[j] > x) {
				scratch[j + 1] = scratch[j];
				j--;
			}
			scratch[j + 1] = x;
		}
		let h = 0x811c9dc5;
		for (let k = 0; k < len; k++) h = Math.imul(h ^ (scratch[k] + 1), 0x01000193);
		const { start, flat, slots } = this;
		const mask = (slots.length >> 1) - 1;
		let i = h & mask;
		for (let cand = slots[2 * i + 1]; cand !== -1; cand = slots[2 * (i = (i + 1) & mask) + 1]) {
			const s0 = start[cand];
			if (slots[2 * i] === h && start[cand + 1] - s0 === len) {
				let same = true;
				for (let k = 0; k < len; k++) {
					if (flat[s0 + k] !== scratch[k]) {
						same = false;
						break;
					}
				}
				if (same) return cand;
			}
		}
		const b = this.count++;
		if (this.flatLen + len > this.flat.length) {
			const bigger = new Int32Array(Math.max(this.flat.length * 2, this.flatLen + len));
			bigger.set(this.flat.subarray(0, this.flatLen));
			this.flat = bigger;
		}
		for (let k = 0; k < len; k++) this.flat[this.flatLen + k] = scratch[k];
		this.flatLen += len;
		if (b + 2 > this.start.length) {
			const bigger = new Int32Array(this.start.length * 2);
			bigger.set(this.start);
			this.start = bigger;
		}
		// its own check: hash has one entry fewer than start (a shared check lost hash[2048], and that set's twin)
		if (b === this.hash.length) {
			const hb = new Int32Array(this.hash.length * 2);
			hb.set(this.hash);
			this.hash = hb;
		}
		this.start[b + 1] = this.flatLen;
		this.hash[b] = h;
		slots[2 * i] = h;
		slots[2 * i + 1] = b;
		if (4 * this.count > slots.length) {
			const bigger = new Int32Array(slots.length * 2).fill(-1);
			const m2 = (bigger.length >> 1) - 1;
			for (let c = 0; c < this.count; c++) {
				const hc = this.hash[c];
				let j = hc & m2;
				while (bigger[2 * j + 1] !== -1) j = (j + 1) & m2;
				bigger[2 * j] = hc;
				bigger[2 * j + 1] = c;
			}
			this.slots = bigger;
		}
		return b;
	}
}

function csrFromFlat(
	n: number,
	m: number,
	bStart: Int32Array,
	bProj: Int32Array,
	weight: Float64Array
): ApprovalProfile {
	const nB = weight.length;
	const L = bProj.length;
	const sCount = new Int32Array(m);
	const W = new Float64Array(m);
	for (let b = 0; b < nB; b++) {
		const w = weight[b];
		for (let k = bStart[b]; k < bStart[b + 1]; k++) {
			const p = bProj[k];
			sCount[p]++;
			W[p] += w;
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
