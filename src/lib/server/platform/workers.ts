/**
 * Heavy work off the request thread (node:worker_threads): the census import and computing results. In production
 * the worker is the bundle `npm run build` writes to dist/<name>.js; tests run bundles of the current sources made
 * once per run; development runs the TypeScript source through tsx.
 */
import {
	isMainThread,
	MessageChannel,
	Worker,
	workerData as ownWorkerData,
	type MessagePort
} from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Starts worker `name` (dist/<name>.js, or `source`, a path from the project root, through tsx) with its data. */
export function startWorker(name: string, source: string, workerData: object): Worker {
	const { port1, port2 } = new MessageChannel();
	const flag = new SharedArrayBuffer(4);
	const options = { workerData: { ...workerData, [EXCLUSIVE]: { port: port2, flag } }, transferList: [port2] };
	const worker = newWorker(name, source, options);
	watchExclusiveWork(worker, port1, new Int32Array(flag));
	return worker;
}

function newWorker(name: string, source: string, options: { workerData: unknown; transferList: MessagePort[] }) {
	// Tests: the bundles their global setup made from the current sources (tests/worker-bundles.ts); a worker started
	// through tsx compiles its whole import graph first, seconds each.
	const bundles = process.env.MINKA_TEST_WORKERS;
	if (bundles) return new Worker(join(bundles, `${name}.js`), options);
	const root = resolve(process.env.MINKA_ROOT ?? process.cwd());
	const built = join(root, `dist/${name}.js`);
	if (existsSync(built) && !process.env.VITEST && process.env.NODE_ENV !== 'development')
		return new Worker(built, options);
	const href = pathToFileURL(join(root, source)).href;
	const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(href)}); })`;
	return new Worker(boot, { ...options, eval: true });
}

/*
 * Exclusive work: a worker about to hold SQLite's write lock for long (the scrub's VACUUM: seconds on a big file)
 * says so first. better-sqlite3 waits for a lock in SQLite's busy handler, which sleeps on the calling thread: a write
 * on the server's thread meanwhile froze every request, readers included, for the rest of the VACUUM (measured: one
 * insert 1 450 ms, 90 MB file). So the server lets requests that may write wait for the end of the exclusive work
 * asynchronously (http/exclusive-gate.ts), while readers go on. The worker waits for the server to have raised the
 * gate (a few ms; EXCLUSIVE_ACK_MS at most) before it starts.
 */
const EXCLUSIVE = '__minkaExclusive';
export const EXCLUSIVE_ACK_MS = 250;

const exclusiveHolders = new Set<Worker>();
let exclusiveEnded: { promise: Promise<void>; resolve: () => void } | null = null;

function watchExclusiveWork(worker: Worker, port: MessagePort, flag: Int32Array) {
	const lower = () => {
		if (!exclusiveHolders.delete(worker) || exclusiveHolders.size) return;
		exclusiveEnded?.resolve();
		exclusiveEnded = null;
	};
	port.on('message', (m: 'begin' | 'end') => {
		if (m === 'begin') {
			if (!exclusiveEnded) {
				let resolve!: () => void;
				const promise = new Promise<void>((r) => (resolve = r));
				exclusiveEnded = { promise, resolve };
			}
			exclusiveHolders.add(worker);
			Atomics.store(flag, 0, 1);
			Atomics.notify(flag, 0);
		} else lower();
	});
	port.unref();
	worker.on('exit', () => {
		lower();
		port.close();
	});
}

/** While a worker of this process does exclusive work: a promise of its end; null otherwise. */
export function exclusiveWorkEnded(): Promise<void> | null {
	return exclusiveEnded?.promise ?? null;
}

/**
 * Runs fn as exclusive work: in a worker started by startWorker, the server is told first (and fn starts once it has
 * raised its gate, or after EXCLUSIVE_ACK_MS) and after; elsewhere (a script, a test on the main thread) fn just runs.
 * Nested calls are part of the outer one.
 */
let exclusiveDepth = 0;

export function exclusiveWork<T>(fn: () => T): T {
	const own = isMainThread ? null : (ownWorkerData as Record<string, unknown> | null)?.[EXCLUSIVE];
	if (!own || exclusiveDepth) return fn();
	const { port, flag } = own as { port: MessagePort; flag: SharedArrayBuffer };
	const raised = new Int32Array(flag);
	Atomics.store(raised, 0, 0);
	port.postMessage('begin');
	Atomics.wait(raised, 0, 0, EXCLUSIVE_ACK_MS);
	exclusiveDepth++;
	try {
		return fn();
	} finally {
		exclusiveDepth--;
		port.postMessage('end');
	}
}
