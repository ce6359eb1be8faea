// Mutation testing of the MES engine (mes.ts and its exact twin mes-exact.ts), with its own incremental file and
// reports: `nice -n 15 npx stryker run stryker.mes.config.mjs` (docs/contributing.md, "Mutation testing").
// The tests are the hand-checked elections and the properties that compare the fast engine with the naive exact
// implementations (tests/engine/reference.ts), at most MINKA_FC_RUNS runs per property and without shrinking.
import base from './stryker.config.mjs';

process.env.MINKA_MUTATION_TESTS ??=
	'src/lib/domain/tally/rules.test.ts,src/lib/domain/tally/mes.test.ts,tests/engine/properties.test.ts';
process.env.MINKA_FC_RUNS ??= '10';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	...base,
	mutate: ['src/lib/domain/tally/mes.ts', 'src/lib/domain/tally/mes-exact.ts'],
	// its own sandbox folder: the targets can run side by side
	tempDirName: '.stryker-tmp/mes',
	ignorePatterns: ['/.stryker-tmp'],
	incrementalFile: 'reports/stryker-incremental.mes.json',
	htmlReporter: { fileName: 'reports/mutation/mes.html' },
	jsonReporter: { fileName: 'reports/mutation/mes.json' },
	// a mutant that loops for ever costs the whole timeout (then a new test worker): keep it short
	timeoutMS: 2000
};
