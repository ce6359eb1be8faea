// Mutation testing of the MES engine (mes.ts and its exact twin mes-exact.ts), with its own incremental file and
// reports: `nice -n 15 npx stryker run stryker.mes.config.mjs` (docs/contributing.md, "Mutation testing").
// MINKA_MES=fast (mes.ts) or MINKA_MES=exact (mes-exact.ts) mutates one of the two, with its own sandbox folder,
// incremental file and reports, so the two can run side by side; unset, both (reports/mutation/mes.*).
// The tests are the hand-checked elections and the properties that compare the fast engine with the naive exact
// implementations (tests/engine/reference.ts), at most MINKA_FC_RUNS runs per property and without shrinking.
import base from './stryker.config.mjs';

const FILES = {
	fast: ['src/lib/domain/tally/mes.ts'],
	exact: ['src/lib/domain/tally/mes-exact.ts']
};
const which = process.env.MINKA_MES ?? '';
if (which !== '' && !(which in FILES))
	throw new Error(`MINKA_MES must be unset or one of ${Object.keys(FILES).join(', ')}`);
const name = which === '' ? 'mes' : `mes-${which}`;

process.env.MINKA_MUTATION_TESTS ??=
	'src/lib/domain/tally/rules.test.ts,src/lib/domain/tally/mes.test.ts,tests/engine/properties.test.ts';
process.env.MINKA_FC_RUNS ??= '10';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	...base,
	mutate: which === '' ? [...FILES.fast, ...FILES.exact] : FILES[which],
	// its own sandbox folder: the targets can run side by side
	tempDirName: `.stryker-tmp/${name}`,
	ignorePatterns: ['/.stryker-tmp'],
	incrementalFile: `reports/stryker-incremental.${name}.json`,
	htmlReporter: { fileName: `reports/mutation/${name}.html` },
	jsonReporter: { fileName: `reports/mutation/${name}.json` },
	// a mutant that loops for ever costs the whole timeout (then a new test worker): keep it short
	timeoutMS: 2000
};
