/**
 * Add1 completions of MES (spec §3.4): raise the per-voter endowment by one currency unit at a time.
 *
 *  - variant "wieliczka" (rule mes-add1, §3.4 a): start at floor(B/n) whole currency units; keep
 *    adding 1 while the next outcome still fits the budget. Reproduces Wieliczka 2023's official result.
 *  - variant "exhaustive" (rule mes-add1-exhaustive, §3.4 c = pabutools voter_budget_increment=1):
 *    start at B/n exactly; return the first outcome that is exhaustive (no unselected MES candidate fits
 *    in what is left), or the previous outcome as soon as one exceeds the budget.
 *
 * Both reuse one MesEngine (typed arrays, merged ballots, CSR) across all steps.
 * When every MES candidate fits in the budget together, both loops would end with all of them selected
 * (after possibly very many steps); that outcome is returned directly.
 */
import * as R from './rational';
import type { Rat } from './rational';
import type { MesEngine } from './mes';

export interface Add1Result {
	selected: number[];
	initial: Rat;
	endowment: Rat;
	steps: number;
	note?: string;
}

function totalCost(engine: MesEngine, s: readonly number[]): bigint {
	let t = 0n;
	for (const p of s) t += engine.costB[p];
	return t;
}

/** The outcome when every candidate fits: MES with an endowment large enough for any voter to pay for all. */
function allCandidates(engine: MesEngine, initial: Rat): Add1Result {
	const sum = totalCost(engine, Array.from(engine.candidates));
	const e = R.cmp(R.rat(sum), initial) > 0 ? R.rat(sum) : initial;
	const { selected } = engine.run(e);
	return {
		selected,
		initial,
		endowment: e,
		steps: 0,
		note: 'all supported projects fit in the budget together: the completion ends with all of them'
	};
}

export function mesAdd1(
	engine: MesEngine,
	budget: bigint,
	n: number,
	/** increment per step, in money units (one currency unit = 10^scale) */
	step: Rat,
	variant: 'wieliczka' | 'exhaustive',
	/** told the number of passes so far, after each one (progress only) */
	onPass?: (passes: number) => void
): Add1Result {
	if (n === 0) return { selected: [], initial: R.ZERO, endowment: R.ZERO, steps: 0 };
	const N = BigInt(n);
	// floor(B/n) in whole steps (whole currency units for the rules)
	const initial = variant === 'wieliczka' ? R.mul(R.rat((budget * step.d) / (N * step.n)), step) : R.rat(budget, N);
	const cands = Array.from(engine.candidates);
	if (totalCost(engine, cands) <= budget) return allCandidates(engine, initial);

	if (variant === 'wieliczka') {
		let e = initial;
		let S = engine.run(e).selected;
		let steps = 0;
		for (;;) {
			const next = R.add(e, step);
			const S2 = engine.run(next).selected;
			onPass?.(steps + 1);
			if (totalCost(engine, S2) > budget) break;
			e = next;
			S = S2;
			steps++;
		}
		return { selected: S, initial, endowment: e, steps };
	}

	let e = initial;
	let prev: number[] = [];
	let prevE = initial;
	let steps = 0;
	for (;;) {
		const S = engine.run(e).selected;
		onPass?.(steps + 1);
		const spent = totalCost(engine, S);
		if (spent > budget) return { selected: prev, initial, endowment: prevE, steps: Math.max(0, steps - 1) };
		const inS = new Set(S);
		let exhaustive = true;
		for (const p of cands) {
			if (!inS.has(p) && spent + engine.costB[p] <= budget) {
				exhaustive = false;
				break;
			}
		}
		if (exhaustive) return { selected: S, initial, endowment: e, steps };
		prev = S;
		prevE = e;
		e = R.add(e, step);
		steps++;
	}
}
