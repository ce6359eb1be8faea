import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 3000 },
	test: {
		include: ['src/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		globalSetup: ['tests/global-setup.ts'],
		testTimeout: 30_000,
		pool: 'forks'
	}
});
