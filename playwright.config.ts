import { defineConfig, devices } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One production server on a fresh temporary database for the whole run. Tests seed through the server modules
// against the same file (SQLite WAL allows it), with the same fixed secret so DNI HMACs agree.
const PORT = Number(process.env.E2E_PORT ?? 3210);
process.env.E2E_DB ??= join(mkdtempSync(join(tmpdir(), 'minka-e2e-')), 'minka.db');
process.env.MINKA_SECRET ??= 'e2e-secret-not-for-production';
const chromium = '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	// Generous: a loaded 2-core machine runs Chromium, the server and axe side by side; a passing test is not slower for it.
	timeout: 120_000,
	expect: { timeout: 15_000 },
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		...devices['Pixel 5'],
		browserName: 'chromium',
		launchOptions: {
			executablePath: existsSync(chromium) ? chromium : undefined,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		},
		trace: 'off'
	},
	projects: [
		{ name: 'first-run', testMatch: /first-run\.spec\.ts/ },
		{ name: 'features', testIgnore: /first-run\.spec\.ts/, dependencies: ['first-run'] }
	],
	webServer: {
		command: 'node src/cli/start.js',
		url: `http://localhost:${PORT}/setup`,
		reuseExistingServer: false,
		timeout: 60_000,
		env: {
			PORT: String(PORT),
			DATABASE_URL: process.env.E2E_DB,
			MINKA_SECRET: process.env.MINKA_SECRET,
			ORIGIN: `http://localhost:${PORT}`,
			// compute-progress.spec.ts: that spec's municipality computes slowly enough to watch its progress page
			MINKA_TEST_SLOW_COMPUTE: 'lentopampa-:3000'
		}
	}
});
