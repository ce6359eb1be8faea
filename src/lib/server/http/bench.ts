/**
 * Form actions that exist only while `npm run bench:vote` measures the server (MINKA_BENCH=1 in its environment):
 * the no-op baseline answered through the same hooks. Without the variable (production, tests) they are not there,
 * so a request for them gets SvelteKit's "no such action" answer.
 */
export function benchOnly<T extends object>(actions: T): Partial<T> {
	return process.env.MINKA_BENCH === '1' ? actions : {};
}
