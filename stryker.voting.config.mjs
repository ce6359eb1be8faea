// Mutation testing of the voting server code with its own tests (real SQLite files), one file at a time, each with
// its own incremental file and reports:
//   MINKA_TARGET=seal nice -n 15 npx stryker run stryker.voting.config.mjs      (seal | paper | batches)
// Every test file a mutant's tests live in is imported and set up again for that mutant (~1.5 s each on a loaded
// 2-core machine), so each target runs the test files that exercise it, not all of voting/ (docs/contributing.md,
// "Mutation testing"). MINKA_MUTATION_TESTS still overrides the list.
import base from './stryker.config.mjs';

const dir = 'src/lib/server/voting';
const TESTS = {
	seal: ['seal', 'paper', 'linkability', 'lookups', 'voting', 'roll-counts'],
	paper: ['paper', 'voting', 'seal', 'cast-path', 'lookups', 'one-ballot'],
	batches: [
		'batches',
		'four-eyes',
		'four-eyes-accounts',
		'committee-resolves',
		'voting',
		'one-ballot',
		'src/lib/server/results/late-batch'
	]
};
const target = process.env.MINKA_TARGET ?? '';
if (!(target in TESTS)) throw new Error(`MINKA_TARGET must be one of ${Object.keys(TESTS).join(', ')}`);

// a name is a test file in voting/, a path one elsewhere
process.env.MINKA_MUTATION_TESTS ??= TESTS[target]
	.map((t) => `${t.includes('/') ? t : `${dir}/${t}`}.test.ts`)
	.join(',');
// one-ballot.test.ts's random interleavings: 5 instead of 25 per surviving mutant
process.env.MINKA_FC_RUNS ??= '5';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	...base,
	mutate: [`${dir}/${target}.ts`],
	// its own sandbox folder: the targets can run side by side
	tempDirName: `.stryker-tmp/${target}`,
	ignorePatterns: ['/.stryker-tmp'],
	incrementalFile: `reports/stryker-incremental.${target}.json`,
	htmlReporter: { fileName: `reports/mutation/${target}.html` },
	jsonReporter: { fileName: `reports/mutation/${target}.json` },
	timeoutMS: 10_000
};
