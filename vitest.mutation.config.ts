import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The tests Stryker runs (`npm run test:mutation`): by default the fast, database-free ones that exercise the pure
// rules and the policy (src/lib/domain, src/lib/server/platform, tests/engine, and the audio reader's test, which
// reads its recordings from tests/fixtures). Mutating a server feature needs its
// own tests: MINKA_MUTATION_TESTS='src/lib/server/voting/**/*.test.ts,src/lib/domain/**/*.test.ts'.
const include = process.env.MINKA_MUTATION_TESTS?.split(',').filter(Boolean) ?? [
	'src/lib/domain/**/*.test.ts',
	'src/lib/server/platform/**/*.test.ts',
	'tests/engine/**/*.test.ts',
	'tests/unit/audio-reader.test.ts'
];

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include,
		exclude: ['**/node_modules/**', '**/*.slow.test.ts'],
		globalSetup: ['tests/shared-check.ts'],
		testTimeout: 60_000,
		pool: 'forks'
	}
});
