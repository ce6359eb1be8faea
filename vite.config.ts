import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 3000 },
	test: {
		// The fast loop (`npm run test:unit`). Tests that spawn processes or the bundled CLI are named *.slow.test.ts
		// and run by `npm run test:slow` (vitest.slow.config.ts); `npm test` runs both.
		include: ['src/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		exclude: ['**/node_modules/**', '**/*.slow.test.ts'],
		globalSetup: ['tests/shared-check.ts', 'tests/worker-bundles.ts'],
		// Files share a worker process: node_modules (better-sqlite3, drizzle, sharp…) load once per worker instead
		// of once per file, which was more than half of the loop's CPU time. tests/fresh-modules.ts gives each file
		// back the starting environment and fresh copies of our own modules, so files stay independent (checked by
		// running the suite with --sequence.shuffle.files).
		isolate: false,
		setupFiles: ['tests/fresh-modules.ts'],
		testTimeout: 30_000,
		pool: 'forks'
	}
});
