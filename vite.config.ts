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
		globalSetup: ['tests/shared-check.ts'],
		testTimeout: 30_000,
		pool: 'forks'
	}
});
