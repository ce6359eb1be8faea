/**
 * Greedy ("standard method"): rank projects by score, take each project that still fits.
 * Exact: scores and costs are BigInts.
 */

export interface GreedyInput {
	/** exact score per project (any common unit) */
	score: readonly bigint[];
	cost: readonly bigint[];
	budget: bigint;
	/** tie rank per project (0 = preferred) */
	rank: Int32Array;
	/** projects allowed to be funded (threshold); default all */
	eligible?: readonly boolean[];
	/** projects already selected (their cost is already spent, they stay selected) */
	initial?: readonly number[];
}

/** Projects sorted by score descending, ties by rank. */
export function greedyOrder(score: readonly bigint[], rank: Int32Array): number[] {
	const order = Array.from({ length: score.length }, (_, i) => i);
	order.sort((a, b) => (score[a] > score[b] ? -1 : score[a] < score[b] ? 1 : rank[a] - rank[b]));
	return order;
}

/** Plain greedy: skip projects that do not fit and keep going (cost ≤ remaining, not <). */
export function greedy(input: GreedyInput): { order: number[]; selected: number[] } {
	const order = greedyOrder(input.score, input.rank);
	const selected = [...(input.initial ?? [])];
	const taken = new Set(selected);
	let rem = input.budget;
	for (const p of selected) rem -= input.cost[p];
	for (const p of order) {
		if (taken.has(p)) continue;
		if (input.eligible && !input.eligible[p]) continue;
		if (input.cost[p] <= rem) {
			selected.push(p);
			taken.add(p);
			rem -= input.cost[p];
		}
	}
	return { order, selected };
}

/**
 * Poznań variant: stop at the first project that does not fit, but fund it anyway when at least
 * 80 % of its cost is left (so the total may exceed the budget by up to 20 % of that project).
 */
export function greedyStop80(input: GreedyInput): { order: number[]; selected: number[] } {
	const order = greedyOrder(input.score, input.rank);
	const selected: number[] = [];
	let rem = input.budget;
	for (const p of order) {
		if (input.eligible && !input.eligible[p]) continue;
		const c = input.cost[p];
		if (c <= rem) {
			selected.push(p);
			rem -= c;
		} else {
			if (5n * rem >= 4n * c) selected.push(p);
			break;
		}
	}
	return { order, selected };
}
