/**
 * Deliberately naive exact reference implementations (one budget per voter, no merging, no floats,
 * no lazy evaluation), written straight from the spec's pseudo-code, to check the fast engine against.
 */
import * as R from '../../src/lib/domain/tally/rational';
import type { Rat } from '../../src/lib/domain/tally/rational';
import type { Election } from '../../src/lib/domain/tally/types';

export interface Plain {
	n: number;
	m: number;
	cost: bigint[];
	budget: bigint;
	/** approval sets per voter */
	sets: number[][];
	/** tie rank per project */
	rank: number[];
}

export function plain(e: Election, rank: ArrayLike<number>): Plain {
	return {
		n: e.voters.length,
		m: e.projects.length,
		cost: e.projects.map((p) => p.cost),
		budget: e.budget,
		sets: e.voters.map((v) => [...v.vote]),
		rank: Array.from(rank)
	};
}

/** MES, cost utility, spec §3.3 without the lazy bound. */
export function naiveMes(x: Plain, e: Rat): number[] {
	const b: Rat[] = Array(x.n).fill(e);
	const sup: number[][] = Array.from({ length: x.m }, () => []);
	x.sets.forEach((s, i) => s.forEach((p) => sup[p].push(i)));
	let R0 = [...Array(x.m).keys()].filter((p) => x.cost[p] > 0n && sup[p].length > 0);
	const S: number[] = [];
	for (;;) {
		let best: Rat | null = null;
		let win = -1;
		const keep: number[] = [];
		for (const p of R0) {
			const c = R.rat(x.cost[p]);
			let tot: Rat = R.ZERO;
			for (const i of sup[p]) tot = R.add(tot, b[i]);
			if (R.cmp(tot, c) < 0) continue;
			keep.push(p);
			const order = [...sup[p]].sort((i, j) => R.cmp(b[i], b[j]));
			let paid: Rat = R.ZERO;
			let k = BigInt(order.length);
			let q: Rat = R.ZERO;
			for (const i of order) {
				q = R.divInt(R.sub(c, paid), k);
				if (R.cmp(q, b[i]) <= 0) break;
				paid = R.add(paid, b[i]);
				k--;
			}
			const rho = R.divInt(q, x.cost[p]);
			const cm = best ? R.cmp(rho, best) : -1;
			if (cm < 0 || (cm === 0 && x.rank[p] < x.rank[win])) {
				best = rho;
				win = p;
			}
		}
		R0 = keep;
		if (win < 0) return S;
		const q = R.mulInt(best!, x.cost[win]);
		for (const i of sup[win]) b[i] = R.cmp(q, b[i]) >= 0 ? R.ZERO : R.sub(b[i], q);
		S.push(win);
		R0 = R0.filter((p) => p !== win);
	}
}

const costOf = (x: Plain, s: number[]) => s.reduce((t, p) => t + x.cost[p], 0n);

function candidates(x: Plain): number[] {
	const sup = new Set(x.sets.flat());
	return [...Array(x.m).keys()].filter((p) => x.cost[p] > 0n && sup.has(p));
}

/** Spec §3.4(a) as written, with the guard "stop once every candidate is selected". */
export function naiveAdd1Wieliczka(x: Plain, unit: bigint): number[] {
	if (x.n === 0) return [];
	const all = candidates(x).length;
	let e = R.rat((x.budget / (BigInt(x.n) * unit)) * unit);
	let S = naiveMes(x, e);
	for (;;) {
		if (S.length === all) return S;
		const S2 = naiveMes(x, R.add(e, R.rat(unit)));
		if (costOf(x, S2) > x.budget) return S;
		e = R.add(e, R.rat(unit));
		S = S2;
	}
}

/** Spec §3.4(c) (pabutools voter_budget_increment). */
export function naiveAdd1Exhaustive(x: Plain, unit: bigint): number[] {
	if (x.n === 0) return [];
	const R0 = candidates(x);
	let e = R.rat(x.budget, BigInt(x.n));
	let prev: number[] = [];
	for (;;) {
		const S = naiveMes(x, e);
		const spent = costOf(x, S);
		if (spent > x.budget) return prev;
		if (R0.every((p) => S.includes(p) || spent + x.cost[p] > x.budget)) return S;
		prev = S;
		e = R.add(e, R.rat(unit));
	}
}

/** Sequential Phragmén, spec §3.5. */
export function naivePhragmen(x: Plain): number[] {
	const load: Rat[] = Array(x.n).fill(R.ZERO);
	const sup: number[][] = Array.from({ length: x.m }, () => []);
	x.sets.forEach((s, i) => s.forEach((p) => sup[p].push(i)));
	let C = [...Array(x.m).keys()].filter((p) => x.cost[p] <= x.budget);
	const S: number[] = [];
	let spent = 0n;
	while (C.length) {
		const t = new Map<number, Rat | null>();
		for (const p of C) {
			if (sup[p].length === 0) t.set(p, null);
			else {
				let s: Rat = R.rat(x.cost[p]);
				for (const i of sup[p]) s = R.add(s, load[i]);
				t.set(p, R.divInt(s, BigInt(sup[p].length)));
			}
		}
		const finite = C.filter((p) => t.get(p) !== null);
		let T: number[];
		if (finite.length) {
			let min = t.get(finite[0])!;
			for (const p of finite) if (R.cmp(t.get(p)!, min) < 0) min = t.get(p)!;
			T = finite.filter((p) => R.cmp(t.get(p)!, min) === 0);
		} else T = C;
		if (T.some((p) => spent + x.cost[p] > x.budget)) break;
		const w = T.reduce((a, p) => (x.rank[p] < x.rank[a] ? p : a), T[0]);
		const tw = t.get(w);
		if (tw) for (const i of sup[w]) load[i] = tw;
		S.push(w);
		spent += x.cost[w];
		C = C.filter((p) => p !== w);
	}
	return S;
}

/**
 * MES with general additive utilities (mes-points; spec §3.3 with u_i(p) for cost), found another way than
 * mes-exact.ts: each voter i pays min(b_i, ρ·u_i), so the money raised at ρ is f(ρ) = Σ min(b_i, ρ·u_i), piecewise
 * linear and increasing with breakpoints b_i / u_i; ρ is where f reaches the cost, found between the first breakpoint
 * at which f(t) ≥ cost and the one before. One budget per voter (weights expanded), no ordering of payers. Zero-cost
 * projects with positive utility come first, in index order (the pabutools behaviour mes-exact.ts follows).
 */
export function naiveMesUtility(
	m: number,
	voters: [number, bigint][][],
	cost: readonly bigint[],
	e: Rat,
	rank: ArrayLike<number>
): number[] {
	const b: Rat[] = voters.map(() => e);
	const sup: { i: number; u: bigint }[][] = Array.from({ length: m }, () => []);
	voters.forEach((v, i) => v.forEach(([p, u]) => u > 0n && sup[p].push({ i, u })));
	const S = [...Array(m).keys()].filter((p) => cost[p] === 0n && sup[p].length > 0);
	let left = [...Array(m).keys()].filter((p) => cost[p] > 0n && sup[p].length > 0);
	for (;;) {
		let best: Rat | null = null;
		let win = -1;
		left = left.filter((p) => {
			let avail: Rat = R.ZERO;
			for (const s of sup[p]) avail = R.add(avail, b[s.i]);
			return R.cmp(avail, R.rat(cost[p])) >= 0;
		});
		for (const p of left) {
			const c = R.rat(cost[p]);
			const f = (t: Rat) =>
				sup[p].reduce((acc, s) => {
					const x = R.mulInt(t, s.u);
					return R.add(acc, R.cmp(x, b[s.i]) < 0 ? x : b[s.i]);
				}, R.ZERO);
			const breaks = sup[p].map((s) => R.divInt(b[s.i], s.u)).sort(R.cmp);
			let prev: Rat = R.ZERO;
			let rho: Rat | null = null;
			for (const t of breaks) {
				if (R.cmp(f(t), c) >= 0) {
					// on (prev, t] everyone with b/u ≤ prev pays all; the rest pay ρ·u
					let paid: Rat = R.ZERO;
					let U = 0n;
					for (const s of sup[p]) {
						if (R.cmp(R.divInt(b[s.i], s.u), prev) <= 0) paid = R.add(paid, b[s.i]);
						else U += s.u;
					}
					rho = R.divInt(R.sub(c, paid), U);
					break;
				}
				prev = t;
			}
			const cm = best ? R.cmp(rho!, best) : -1;
			if (cm < 0 || (cm === 0 && rank[p] < rank[win])) {
				best = rho;
				win = p;
			}
		}
		if (win < 0) return S;
		for (const s of sup[win]) {
			const pay = R.mulInt(best!, s.u);
			b[s.i] = R.cmp(pay, b[s.i]) >= 0 ? R.ZERO : R.sub(b[s.i], pay);
		}
		S.push(win);
		left = left.filter((p) => p !== win);
	}
}
