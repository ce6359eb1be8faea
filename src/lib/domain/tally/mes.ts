/**
 * Method of Equal Shares, approval ballots, cost utility (the rule used in real elections), fast and exact.
 *
 * How it stays exact while running on doubles:
 *  - Voters (merged ballots) are grouped into "budget classes". A class is created when a project is
 *    bought: the supporters of class c who pay the equal share q move to a child class whose budget is
 *    exactly value(c) − q; those who pay everything move to the zero class. So every class has an exact
 *    rational value defined by its parent and the round's exact price q, computed lazily (only when a
 *    close call needs it) from the round's record: q = (cost − Σ budgets of those paying all) / k.
 *  - Each double carries a rigorous error bound. Every comparison that decides something (does a voter
 *    pay all or the equal share, is the project affordable, which project has the lowest ρ) is done in
 *    doubles only when the two sides are further apart than their error bounds; otherwise it is
 *    re-decided with BigInt rationals. Ties (exact equality of ρ) are always found and broken by the
 *    tie-breaking order.
 *  - Lazy evaluation: ρ of a project never decreases, so projects are scanned by their last ρ and the scan
 *    stops at the first lower bound above the current best; projects whose supporters did not pay in the
 *    last round keep their ρ without being recomputed.
 */
import * as R from './rational';
import type { Rat } from './rational';
import { neighbourLists, type ApprovalProfile } from './profile';

const EPS = 2.3e-16;
const SAFE = 8;

const ZERO_CLASS = 1;
const UNAFFORDABLE = 0;
const EVALUATED = 1;
const WORSE = 2;

interface ExactEval {
	rho: Rat;
	q: Rat;
	/** classes paying everything they have, and their weights */
	payCls: number[];
	payW: number[];
	k: number;
}

export interface MesRun {
	/** selected projects, in selection order */
	selected: number[];
}

/**
 * Reusable state for many MES runs on the same profile (Add1 runs MES again and again):
 * the CSR structures, typed arrays and scratch space are allocated once.
 */
export class MesEngine {
	readonly prof: ApprovalProfile;
	readonly costB: readonly bigint[];
	readonly costF: Float64Array;
	readonly rank: Int32Array;
	/** MES candidates: cost > 0 and at least one supporter */
	readonly candidates: Int32Array;

	// per ballot
	private cls: Int32Array;
	// per class
	private cap: number;
	private nc = 2;
	private val: Float64Array;
	private err: Float64Array;
	private parent: Int32Array;
	private roundOf: Int32Array;
	private exact: (Rat | undefined)[];
	private cw: Float64Array;
	private stamp: Int32Array;
	private mapTo: Int32Array;
	private payMark: Int32Array;
	private touched: Int32Array;
	private supBuf: Int32Array;
	/** last observed (budget classes / supporters) of each project in this run */
	private ratio: Float64Array;
	/** evaluation strategy: 'auto' picks per project from its last class ratio */
	mode: 'auto' | 'direct' | 'aggregated' = 'auto';
	private stampCounter = 0;
	private markCounter = 0;
	// per project
	private lb: Float64Array;
	private rho: Float64Array;
	private rhoErr: Float64Array;
	private qF: Float64Array;
	private qErr: Float64Array;
	private dirty: Uint8Array;
	/** projects sharing at least one supporter with p (they must be re-evaluated after p is bought) */
	private neighbours: Int32Array[] | null;
	private exactCache: (ExactEval | null | undefined)[];
	// per round
	private rProj: number[] = [];
	private rK: number[] = [];
	private rPayStart: number[] = [];
	private rPayCls: number[] = [];
	private rPayW: number[] = [];
	private rQ: (Rat | undefined)[] = [];

	/** statistics, for tests and the benchmark */
	stats = { runs: 0, rounds: 0, floatEvals: 0, exactEvals: 0 };

	constructor(prof: ApprovalProfile, cost: readonly bigint[], rank: Int32Array) {
		this.prof = prof;
		this.costB = cost;
		this.costF = Float64Array.from(cost, (c) => Number(c));
		for (const c of cost) if (c > 2n ** 53n) throw new Error('cost too large for the fast MES engine');
		this.rank = rank;
		const cand: number[] = [];
		for (let p = 0; p < prof.m; p++) if (cost[p] > 0n && prof.W[p] > 0) cand.push(p);
		this.candidates = Int32Array.from(cand);
		const L = prof.sIdx.length;
		this.cap = L + 2;
		this.cls = new Int32Array(prof.nB);
		this.val = new Float64Array(this.cap);
		this.err = new Float64Array(this.cap);
		this.parent = new Int32Array(this.cap);
		this.roundOf = new Int32Array(this.cap);
		this.exact = new Array(this.cap);
		this.cw = new Float64Array(this.cap);
		this.stamp = new Int32Array(this.cap);
		this.mapTo = new Int32Array(this.cap);
		this.payMark = new Int32Array(this.cap);
		this.touched = new Int32Array(this.cap);
		let maxSup = 0;
		for (let p = 0; p < prof.m; p++) maxSup = Math.max(maxSup, prof.sStart[p + 1] - prof.sStart[p]);
		this.supBuf = new Int32Array(maxSup);
		this.ratio = new Float64Array(prof.m);
		const m = prof.m;
		this.lb = new Float64Array(m);
		this.rho = new Float64Array(m);
		this.rhoErr = new Float64Array(m);
		this.qF = new Float64Array(m);
		this.qErr = new Float64Array(m);
		this.dirty = new Uint8Array(m);
		this.exactCache = new Array(m);
		this.neighbours = neighbourLists(prof);
	}

	/** Runs MES with the given exact per-voter endowment (in money units). */
	run(endowment: Rat): MesRun {
		this.stats.runs++;
		const { prof } = this;
		const eF = R.toNumber(endowment);
		this.cls.fill(0);
		this.nc = 2;
		this.val[0] = eF;
		this.err[0] = 2 * EPS * Math.abs(eF);
		this.exact[0] = endowment;
		this.val[1] = 0;
		this.err[1] = 0;
		this.exact[1] = R.ZERO;
		this.rProj.length = 0;
		this.rK.length = 0;
		this.rPayStart.length = 0;
		this.rPayStart.push(0);
		this.rPayCls.length = 0;
		this.rPayW.length = 0;
		this.rQ.length = 0;
		let alive: number[] = [];
		const err0 = this.err[0];
		for (const p of this.candidates) {
			this.lb[p] = (1 / prof.W[p]) * (1 - 4 * EPS);
			this.dirty[p] = 1;
			this.exactCache[p] = undefined;
			this.ratio[p] = 0;
			// Before the first purchase every supporter holds the endowment, so ρ is known in O(1):
			// the same float evaluation and error bounds as evaluate(), for a single budget class.
			const W = prof.W[p];
			const cost = this.costF[p];
			const total = W * eF;
			const totalErr = SAFE * (W * err0 + 3 * EPS * total) + SAFE * EPS * cost;
			if (total + totalErr < cost) continue; // unaffordable now, hence forever
			alive.push(p);
			if (total - totalErr <= cost) continue; // close call: leave it to the full evaluation
			const q = cost / W;
			const errQ = SAFE * ((EPS * cost) / W + EPS * q);
			if (Math.abs(eF - q) <= SAFE * err0 + errQ) continue;
			// eF > q here (eF < q would make the total fall short of the cost)
			this.rho[p] = q / cost;
			this.rhoErr[p] = errQ / cost + 4 * EPS * this.rho[p];
			this.qF[p] = q;
			this.qErr[p] = errQ;
			this.lb[p] = this.rho[p] - this.rhoErr[p];
			this.dirty[p] = 0;
		}
		const selected: number[] = [];
		const removed = new Uint8Array(prof.m);
		for (;;) {
			alive.sort((a, b) => this.lb[a] - this.lb[b]);
			let bestHi = Infinity;
			const evaluated: number[] = [];
			let anyRemoved = false;
			for (let t = 0; t < alive.length; t++) {
				const p = alive[t];
				if (this.lb[p] > bestHi) break;
				if (this.dirty[p]) {
					const useAgg = this.mode === 'aggregated' || (this.mode === 'auto' && this.ratio[p] < 0.5);
					const res = useAgg ? this.evaluateAggregated(p, bestHi) : this.evaluate(p, bestHi);
					if (res === UNAFFORDABLE) {
						removed[p] = 1;
						anyRemoved = true;
						continue;
					}
					if (res === WORSE) continue;
					this.dirty[p] = 0;
					this.lb[p] = this.rho[p] - this.rhoErr[p];
				}
				evaluated.push(p);
				const hi = this.rho[p] + this.rhoErr[p];
				if (hi < bestHi) bestHi = hi;
			}
			if (anyRemoved) alive = alive.filter((p) => !removed[p]);
			if (evaluated.length === 0) break;
			const contenders = evaluated.filter((p) => this.rho[p] - this.rhoErr[p] <= bestHi);
			let winner: number;
			let ex: ExactEval | null | undefined;
			if (contenders.length === 1) {
				winner = contenders[0];
				ex = this.exactCache[winner] ?? undefined;
			} else {
				winner = -1;
				let best: ExactEval | null = null;
				for (const p of contenders) {
					const e = this.exactCache[p] ?? this.exactEvaluate(p);
					if (e === null) {
						// exactly unaffordable (only possible on a close call)
						removed[p] = 1;
						alive = alive.filter((x) => x !== p);
						continue;
					}
					const c = best === null ? -1 : R.cmp(e.rho, best.rho);
					if (best === null || c < 0 || (c === 0 && this.rank[p] < this.rank[winner])) {
						best = e;
						winner = p;
					}
				}
				if (winner < 0) continue;
				ex = best;
			}
			this.apply(winner, ex ?? undefined);
			selected.push(winner);
			alive = alive.filter((p) => p !== winner);
			removed[winner] = 1;
			this.stats.rounds++;
		}
		return { selected };
	}

	/** Exact equal-share price (per voter who can pay it) of each round of the last run. */
	prices(): Rat[] {
		return this.rProj.map((_, r) => this.exactQ(r));
	}

	/** Aggregates the supporters of p by budget class into touched[0..nt) and cw[]. Returns nt. */
	private aggregate(p: number): number {
		const { sStart, sIdx, weight } = this.prof;
		const cls = this.cls;
		const stamp = this.stamp;
		const cw = this.cw;
		const touched = this.touched;
		const st = ++this.stampCounter;
		let nt = 0;
		for (let j = sStart[p], end = sStart[p + 1]; j < end; j++) {
			const i = sIdx[j];
			const c = cls[i];
			if (stamp[c] !== st) {
				stamp[c] = st;
				cw[c] = weight[i];
				touched[nt++] = c;
			} else cw[c] += weight[i];
		}
		return nt;
	}

	/**
	 * Float evaluation of ρ(p) with an error bound; falls back to the exact evaluation on any close call.
	 * Returns UNAFFORDABLE (then p never becomes affordable again), EVALUATED (rho/rhoErr/qF/qErr set),
	 * or WORSE: p was certified to have ρ > bestHi, so it can neither win nor tie this round; its lower
	 * bound is raised to bestHi and it stays dirty.
	 */
	private evaluate(p: number, bestHi: number): number {
		this.stats.floatEvals++;
		this.exactCache[p] = undefined;
		// Works on the supporters (merged ballots) directly: buf[0..poor) pay everything they have.
		const { val, err, cls } = this;
		const { sStart, sIdx, weight } = this.prof;
		const buf = this.supBuf;
		const s0 = sStart[p];
		const nt = sStart[p + 1] - s0;
		const cost = this.costF[p];
		const Wp = this.prof.W[p];
		let q = cost / Wp;
		let total = 0;
		let totalErr = 0;
		let paid = 0;
		let paidErr = 0;
		let k = Wp;
		let poor = 0;
		for (let t = 0; t < nt; t++) {
			const i = sIdx[s0 + t];
			const c = cls[i];
			const v = val[c];
			const w = weight[i];
			const x = w * v;
			const we = w * err[c];
			total += x;
			totalErr += we;
			if (v < q) {
				paid += x;
				paidErr += we;
				k -= w;
				buf[t] = buf[poor];
				buf[poor++] = i;
			} else buf[t] = i;
		}
		totalErr = SAFE * (totalErr + (nt + 2) * EPS * total) + SAFE * EPS * cost;
		if (total + totalErr < cost) return UNAFFORDABLE;
		if (total - totalErr <= cost) return this.exactFallback(p);
		if (poor > 0) {
			if (k <= 0) return this.exactFallback(p);
			q = (cost - paid) / k;
			// q only grows from here: if already well above the best, certify ρ > bestHi with one pass
			// f(Q) = Σ min(budget, Q) < cost  ⇔  the final price exceeds Q
			if (q > bestHi * cost * (1 + 1e-9)) {
				const Q = bestHi * cost;
				let f = 0;
				let fe = 0;
				for (let t = 0; t < nt; t++) {
					const i = buf[t];
					const c = cls[i];
					const v = val[c];
					f += weight[i] * (v < Q ? v : Q);
					fe += weight[i] * err[c];
				}
				if (f + SAFE * (fe + (nt + 2) * EPS * f) + SAFE * EPS * cost < cost) {
					this.lb[p] = bestHi;
					return WORSE;
				}
			}
			for (let iter = 0; ; iter++) {
				const before = poor;
				for (let t = poor; t < nt; t++) {
					const i = buf[t];
					const c = cls[i];
					const v = val[c];
					if (v < q) {
						const w = weight[i];
						paid += w * v;
						paidErr += w * err[c];
						k -= w;
						buf[t] = buf[poor];
						buf[poor++] = i;
					}
				}
				if (poor === before) break;
				if (k <= 0 || iter > nt + 2) return this.exactFallback(p);
				q = (cost - paid) / k;
			}
		}
		const errQ = SAFE * ((paidErr + (nt + 2) * EPS * paid + EPS * cost) / k + EPS * q);
		for (let t = 0; t < nt; t++) {
			const c = cls[buf[t]];
			if (Math.abs(val[c] - q) <= SAFE * err[c] + errQ) return this.exactFallback(p);
		}
		this.rho[p] = q / cost;
		this.rhoErr[p] = errQ / cost + 4 * EPS * this.rho[p];
		this.qF[p] = q;
		this.qErr[p] = errQ;
		return EVALUATED;
	}

	/** As evaluate, on the supporters aggregated by budget class (fewer terms when classes are few). */
	private evaluateAggregated(p: number, bestHi: number): number {
		this.stats.floatEvals++;
		this.exactCache[p] = undefined;
		const nt = this.aggregate(p);
		this.ratio[p] = nt / (this.prof.sStart[p + 1] - this.prof.sStart[p]);
		const { val, err, cw, touched } = this;
		const cost = this.costF[p];
		const Wp = this.prof.W[p];
		let q = cost / Wp;
		let total = 0;
		let totalErr = 0;
		let paid = 0;
		let paidErr = 0;
		let k = Wp;
		let poor = 0;
		for (let t = 0; t < nt; t++) {
			const c = touched[t];
			const v = val[c];
			const w = cw[c];
			const x = w * v;
			total += x;
			totalErr += w * err[c];
			if (v < q) {
				paid += x;
				paidErr += w * err[c];
				k -= w;
				touched[t] = touched[poor];
				touched[poor++] = c;
			}
		}
		totalErr = SAFE * (totalErr + (nt + 2) * EPS * total) + SAFE * EPS * cost;
		if (total + totalErr < cost) return UNAFFORDABLE;
		if (total - totalErr <= cost) return this.exactFallback(p);
		if (poor > 0) {
			if (k <= 0) return this.exactFallback(p);
			q = (cost - paid) / k;
			if (q > bestHi * cost * (1 + 1e-9)) {
				const Q = bestHi * cost;
				let f = 0;
				let fe = 0;
				for (let t = 0; t < nt; t++) {
					const c = touched[t];
					const v = val[c];
					f += cw[c] * (v < Q ? v : Q);
					fe += cw[c] * err[c];
				}
				if (f + SAFE * (fe + (nt + 2) * EPS * f) + SAFE * EPS * cost < cost) {
					this.lb[p] = bestHi;
					return WORSE;
				}
			}
			for (let iter = 0; ; iter++) {
				const before = poor;
				for (let t = poor; t < nt; t++) {
					const c = touched[t];
					const v = val[c];
					if (v < q) {
						paid += cw[c] * v;
						paidErr += cw[c] * err[c];
						k -= cw[c];
						touched[t] = touched[poor];
						touched[poor++] = c;
					}
				}
				if (poor === before) break;
				if (k <= 0 || iter > nt + 2) return this.exactFallback(p);
				q = (cost - paid) / k;
			}
		}
		const errQ = SAFE * ((paidErr + (nt + 2) * EPS * paid + EPS * cost) / k + EPS * q);
		for (let t = 0; t < nt; t++) {
			const c = touched[t];
			if (Math.abs(val[c] - q) <= SAFE * err[c] + errQ) return this.exactFallback(p);
		}
		this.rho[p] = q / cost;
		this.rhoErr[p] = errQ / cost + 4 * EPS * this.rho[p];
		this.qF[p] = q;
		this.qErr[p] = errQ;
		return EVALUATED;
	}

	private exactFallback(p: number): number {
		return this.exactEvaluate(p) === null ? UNAFFORDABLE : EVALUATED;
	}

	/** Exact value of a class (lazy, memoised per run). */
	private exactVal(c: number): Rat {
		const known = this.exact[c];
		if (known !== undefined) return known;
		// walk up to the nearest known ancestor, then come back down
		const chain: number[] = [];
		let x = c;
		while (this.exact[x] === undefined) {
			chain.push(x);
			x = this.parent[x];
		}
		let v = this.exact[x]!;
		for (let i = chain.length - 1; i >= 0; i--) {
			const y = chain[i];
			v = R.sub(v, this.exactQ(this.roundOf[y]));
			this.exact[y] = v;
		}
		return v;
	}

	/** Exact equal-share price of round r. */
	private exactQ(r: number): Rat {
		const known = this.rQ[r];
		if (known !== undefined) return known;
		let paid: Rat = R.ZERO;
		for (let j = this.rPayStart[r], end = this.rPayStart[r + 1]; j < end; j++) {
			paid = R.add(paid, R.mulInt(this.exactVal(this.rPayCls[j]), BigInt(this.rPayW[j])));
		}
		const q = R.divInt(R.sub(R.rat(this.costB[this.rProj[r]]), paid), BigInt(this.rK[r]));
		this.rQ[r] = q;
		return q;
	}

	/** Exact evaluation of p in rationals. null = unaffordable. Also refreshes the float ρ. */
	private exactEvaluate(p: number): ExactEval | null {
		this.stats.exactEvals++;
		const nt = this.aggregate(p);
		const cls: number[] = [];
		const ws: number[] = [];
		for (let t = 0; t < nt; t++) {
			cls.push(this.touched[t]);
			ws.push(this.cw[this.touched[t]]);
		}
		const vals = new Map<number, Rat>();
		for (const c of cls) vals.set(c, this.exactVal(c));
		const cost = R.rat(this.costB[p]);
		let total: Rat = R.ZERO;
		for (let t = 0; t < nt; t++) total = R.add(total, R.mulInt(vals.get(cls[t])!, BigInt(ws[t])));
		if (R.cmp(total, cost) < 0) {
			this.exactCache[p] = null;
			return null;
		}
		const order = Array.from({ length: nt }, (_, t) => t);
		const { val, err } = this;
		order.sort((a, b) => {
			const ca = cls[a];
			const cb = cls[b];
			const d = val[ca] - val[cb];
			if (Math.abs(d) > SAFE * (err[ca] + err[cb]) + 1e-300) return d;
			return R.cmp(vals.get(ca)!, vals.get(cb)!);
		});
		let paid: Rat = R.ZERO;
		let k = this.prof.W[p];
		const payCls: number[] = [];
		const payW: number[] = [];
		let q: Rat = R.divInt(cost, BigInt(k));
		for (const t of order) {
			q = R.divInt(R.sub(cost, paid), BigInt(k));
			const v = vals.get(cls[t])!;
			if (R.cmp(q, v) <= 0) break;
			paid = R.add(paid, R.mulInt(v, BigInt(ws[t])));
			k -= ws[t];
			payCls.push(cls[t]);
			payW.push(ws[t]);
			if (k === 0) break; // only when total == cost exactly and everybody pays all
		}
		const rho = R.divInt(q, this.costB[p]);
		const res: ExactEval = { rho, q, payCls, payW, k };
		this.exactCache[p] = res;
		const rf = R.toNumber(rho);
		this.rho[p] = rf;
		this.rhoErr[p] = 4 * EPS * rf;
		return res;
	}

	/** Buys project p: records the round, moves its supporters to new budget classes. */
	private apply(p: number, ex: ExactEval | undefined): void {
		const r = this.rProj.length;
		// marks must be unique across runs: class ids are reused by the next run
		const mark = ++this.markCounter;
		let qF: number;
		let errQ: number;
		this.rProj.push(p);
		if (ex) {
			for (let j = 0; j < ex.payCls.length; j++) {
				this.rPayCls.push(ex.payCls[j]);
				this.rPayW.push(ex.payW[j]);
				this.payMark[ex.payCls[j]] = mark;
			}
			this.rK.push(ex.k);
			this.rQ.push(ex.q);
			qF = R.toNumber(ex.q);
			errQ = 4 * EPS * qF;
		} else {
			// the float evaluation was certain: recompute its partition
			const nt = this.aggregate(p);
			qF = this.qF[p];
			errQ = this.qErr[p];
			let k = this.prof.W[p];
			for (let t = 0; t < nt; t++) {
				const c = this.touched[t];
				if (this.val[c] < qF) {
					this.rPayCls.push(c);
					this.rPayW.push(this.cw[c]);
					this.payMark[c] = mark;
					k -= this.cw[c];
				}
			}
			this.rK.push(k);
			this.rQ.push(k === this.prof.W[p] ? R.rat(this.costB[p], BigInt(k)) : undefined);
		}
		this.rPayStart.push(this.rPayCls.length);
		// move supporters
		const { sStart, sIdx, bStart, bProj } = this.prof;
		const st = ++this.stampCounter;
		const { cls, stamp, mapTo, val, err } = this;
		for (let j = sStart[p], end = sStart[p + 1]; j < end; j++) {
			const i = sIdx[j];
			const c = cls[i];
			if (stamp[c] !== st) {
				stamp[c] = st;
				if (this.payMark[c] === mark) mapTo[c] = ZERO_CLASS;
				else {
					const nc = this.nc++;
					const v = val[c] - qF;
					val[nc] = v > 0 ? v : 0;
					err[nc] = err[c] + errQ + 2 * EPS * Math.abs(val[c]);
					this.parent[nc] = c;
					this.roundOf[nc] = r;
					this.exact[nc] = undefined;
					mapTo[c] = nc;
				}
			}
			cls[i] = mapTo[c];
			if (!this.neighbours) for (let k = bStart[i], e2 = bStart[i + 1]; k < e2; k++) this.dirty[bProj[k]] = 1;
		}
		if (this.neighbours) for (const q of this.neighbours[p]) this.dirty[q] = 1;
	}
}
