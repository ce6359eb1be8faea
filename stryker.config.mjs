// Mutation testing (issue 10, point 5): `npm run test:mutation [-- --mutate <glob>]`. Not part of `npm test`: too
// slow for two cores. Incremental: results are kept in reports/stryker-incremental.json (not committed), so a rerun
// tests only the mutants whose code or tests changed. By default it mutates the pure rules outside the tally engine
// and the policy table; see docs/contributing.md for the scores and how to run it on other folders.
import { resolve } from 'node:path';

// Stryker runs the tests in .stryker-tmp/sandbox-*, where ../shared is not the repository's neighbour: say where it is.
process.env.MINKA_SHARED ??= resolve('../shared');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'vitest',
	vitest: { configFile: 'vitest.mutation.config.ts', related: true },
	plugins: ['@stryker-mutator/vitest-runner'],
	mutate: [
		'src/lib/domain/**/*.ts',
		'!src/lib/domain/tally/**',
		'!src/lib/domain/**/*.test.ts',
		'src/lib/server/platform/policy.ts'
	],
	coverageAnalysis: 'perTest',
	incremental: true,
	incrementalFile: 'reports/stryker-incremental.json',
	concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 1),
	timeoutMS: 20_000,
	reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
	htmlReporter: { fileName: 'reports/mutation/index.html' },
	jsonReporter: { fileName: 'reports/mutation/mutation.json' },
	thresholds: { high: 90, low: 80, break: null },
	ignoreStatic: true,
	cleanTempDir: 'always'
};
