/**
 * The gate that keeps writing requests off SQLite's busy handler while a worker holds the write lock for long
 * (platform/workers.ts exclusiveWork, http/exclusive-gate.ts). exclusive-scrub.test covers the real VACUUM; this file
 * covers the ways the work can end: normally, by an error, by the worker dying in the middle (no "end" is ever sent),
 * never (a request goes on after EXCLUSIVE_WAIT_MS), and two workers at once. Real worker threads.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { exclusiveWorkEnded, startWorker } from '../platform/workers';
import { EXCLUSIVE_WAIT_MS, waitForExclusiveWork } from './exclusive-gate';

const started: Worker[] = [];

/** A worker that raises the gate and holds it until `release()`. */
async function holder(mode: 'hold' | 'throw' | 'exit') {
	const release = new SharedArrayBuffer(4);
	const worker = startWorker('exclusive-probe-worker', 'tests/support/exclusive-probe-worker.ts', { mode, release });
	started.push(worker);
	const exited = new Promise<number>((r) => worker.once('exit', r));
	// the worker's work starts once this thread has handled its "begin"
	await new Promise((r) => worker.once('message', r));
	expect(exclusiveWorkEnded()).not.toBeNull();
	return {
		exited,
		release() {
			const flag = new Int32Array(release);
			Atomics.store(flag, 0, 1);
			Atomics.notify(flag, 0);
		}
	};
}

/** Whether the promise has settled after the pending callbacks have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
	let done = false;
	void p.then(() => (done = true));
	for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
	return done;
}

const post = () => new Request('http://x/', { method: 'POST' });
const get = () => new Request('http://x/');

afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(started.splice(0).map((w) => w.terminate()));
});

describe('the exclusive-work gate', () => {
	it('holds writers and signed-in readers until the work ends; anonymous readers go straight on', async () => {
		const h = await holder('hold');
		const writer = waitForExclusiveWork(post(), false);
		const signedInReader = waitForExclusiveWork(get(), true);
		expect(await settled(waitForExclusiveWork(get(), false))).toBe(true);
		expect(await settled(writer)).toBe(false);
		expect(await settled(signedInReader)).toBe(false);
		h.release();
		await writer;
		await signedInReader;
		expect(exclusiveWorkEnded()).toBeNull();
		expect(await h.exited).toBe(0);
	});

	it('is lowered when the work throws', async () => {
		const h = await holder('throw');
		const writer = waitForExclusiveWork(post(), false);
		h.release();
		await writer;
		expect(exclusiveWorkEnded()).toBeNull();
		expect(await h.exited).toBe(0);
	});

	it('is lowered when the worker dies in the middle of the work (it never says "end")', async () => {
		const h = await holder('exit');
		const writer = waitForExclusiveWork(post(), false);
		h.release();
		expect(await h.exited).toBe(3);
		await writer;
		expect(exclusiveWorkEnded()).toBeNull();
	});

	it('lets a request go on after EXCLUSIVE_WAIT_MS when the work never ends, not a millisecond before', async () => {
		const h = await holder('hold');
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const writer = waitForExclusiveWork(post(), false);
		await vi.advanceTimersByTimeAsync(EXCLUSIVE_WAIT_MS - 1);
		expect(await settled(writer)).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(await settled(writer)).toBe(true);
		// the work itself is still going on: the next writer waits again
		expect(exclusiveWorkEnded()).not.toBeNull();
		vi.useRealTimers();
		h.release();
		await h.exited;
		expect(exclusiveWorkEnded()).toBeNull();
	});

	it('stays up while either of two workers holds it', async () => {
		const a = await holder('hold');
		const b = await holder('hold');
		const writer = waitForExclusiveWork(post(), false);
		a.release();
		await a.exited;
		expect(await settled(writer)).toBe(false);
		expect(exclusiveWorkEnded()).not.toBeNull();
		b.release();
		await writer;
		expect(exclusiveWorkEnded()).toBeNull();
	});
});
