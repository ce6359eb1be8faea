/**
 * fast-check parameters for a property run `n` times. Under mutation testing (the stryker.*.config.mjs files set
 * MINKA_FC_RUNS) at most MINKA_FC_RUNS runs and no shrinking: every surviving mutant runs every property that reaches
 * it in full, so the runs are the cost of a mutant. `npm test` leaves it unset and runs `n`.
 */
export function fcRuns(n: number): { numRuns: number; endOnFailure?: boolean } {
	const cap = Number(process.env.MINKA_FC_RUNS);
	return cap > 0 ? { numRuns: Math.min(n, cap), endOnFailure: true } : { numRuns: n };
}
