// `npm start` builds only when needed: no build yet, or sources newer than the last build.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'build/index.js';
const WATCHED = ['src', 'messages', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

function newest(path) {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))));
}

const built = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
const sources = Math.max(...WATCHED.map(newest));
if (
	!built ||
	sources > built ||
	!existsSync('dist/minka-tally.js') ||
	!existsSync('dist/census-worker.js') ||
	!existsSync('dist/compute-worker.js') ||
	!existsSync('dist/seal-worker.js')
) {
	console.log('Minka: building (first start or sources changed)…');
	execSync('npm run -s build', { stdio: 'inherit' });
}
