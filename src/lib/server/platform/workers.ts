/**
 * Heavy work off the request thread (node:worker_threads): the census import and computing results. In production
 * the worker is the bundle `npm run build` writes to dist/<name>.js; tests run bundles of the current sources made
 * once per run; development runs the TypeScript source through tsx.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Starts worker `name` (dist/<name>.js, or `source`, a path from the project root, through tsx) with its data. */
export function startWorker(name: string, source: string, workerData: unknown): Worker {
	// Tests: the bundles their global setup made from the current sources (tests/worker-bundles.ts); a worker started
	// through tsx compiles its whole import graph first, seconds each.
	const bundles = process.env.MINKA_TEST_WORKERS;
	if (bundles) return new Worker(join(bundles, `${name}.js`), { workerData });
	const root = resolve(process.env.MINKA_ROOT ?? process.cwd());
	const built = join(root, `dist/${name}.js`);
	if (existsSync(built) && !process.env.VITEST && process.env.NODE_ENV !== 'development')
		return new Worker(built, { workerData });
	const href = pathToFileURL(join(root, source)).href;
	const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(href)}); })`;
	return new Worker(boot, { eval: true, workerData });
}
