import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// CLI tests spawn the bundled bin, so bundle it once before any test runs.
export default function setup() {
	if (existsSync('src/cli/minka-tally.ts')) execSync('npm run -s build:cli', { stdio: 'inherit' });
}
