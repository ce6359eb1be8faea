import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// `npm run test:slow`: the tests that spawn processes (the bundled tally CLI, two casting processes, the launchers
// reading .env). Named *.slow.test.ts so that `npm run test:unit` (vite.config.ts) stays a fast loop.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.slow.test.ts', 'tests/**/*.slow.test.ts'],
		globalSetup: ['tests/shared-check.ts', 'tests/global-setup.ts', 'tests/worker-bundles.ts'],
		testTimeout: 60_000,
		pool: 'forks'
	}
});
