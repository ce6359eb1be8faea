import { build } from 'esbuild';
import { resolve } from 'node:path';

/**
 * Vitest global setup: bundles the worker threads (census import, results compute, the seal at the end of voting) from the current sources, once per
 * run, as `npm run build` does for production; startWorker uses them (MINKA_TEST_WORKERS). Started through tsx
 * instead, each worker compiled its import graph first: about 4 s per start, ~40 s for compute-job.test alone.
 * The folder is inside node_modules so the bundles resolve their native dependencies (better-sqlite3) from there.
 */
export default async function setup() {
	const out = resolve('node_modules/.cache/minka-test-workers');
	await build({
		entryPoints: {
			'census-worker': 'src/lib/server/residents/census-worker.ts',
			'compute-worker': 'src/lib/server/results/compute-worker.ts',
			'seal-worker': 'src/lib/server/voting/seal-worker.ts',
			// a test's own worker (http/exclusive-gate.test.ts)
			'exclusive-probe-worker': 'tests/support/exclusive-probe-worker.ts'
		},
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		external: ['better-sqlite3', '@node-rs/argon2', 'sharp'],
		outdir: out,
		logLevel: 'warning'
	});
	process.env.MINKA_TEST_WORKERS = out;
	return () => {};
}
