/**
 * Starts a recount in a Web Worker. The worker (and with it the engine) is loaded only when a person asks for a
 * recount: a dynamic import, so the page's own bundle stays small. `cancel` stops it at once.
 */
import type { FromWorker, RecountFile, RecountOutcome } from './protocol';

export interface RecountRun {
	done: Promise<RecountOutcome[] | null>;
	cancel: () => void;
}

export function recount(files: RecountFile[], onProgress: (done: number, total: number) => void): RecountRun {
	let worker: Worker | null = null;
	let settle: (v: RecountOutcome[] | null) => void = () => {};
	let cancelled = false;
	const done = new Promise<RecountOutcome[] | null>((resolve, reject) => {
		settle = resolve;
		import('./tally.worker?worker')
			.then(({ default: TallyWorker }) => {
				if (cancelled) return resolve(null);
				worker = new TallyWorker();
				worker.onmessage = (ev: MessageEvent<FromWorker>) => {
					const m = ev.data;
					if (m.kind === 'progress') onProgress(m.done, m.total);
					else {
						worker?.terminate();
						resolve(m.outcomes);
					}
				};
				worker.onerror = (e) => {
					worker?.terminate();
					reject(new Error(e.message));
				};
				worker.postMessage({ id: 1, files });
			})
			.catch(reject);
	});
	return {
		done,
		cancel: () => {
			cancelled = true;
			worker?.terminate();
			settle(null);
		}
	};
}

/** Loads the worker's code now (the recount page: after this, recounting needs no network). */
export function preloadRecount(): Promise<unknown> {
	return import('./tally.worker?worker');
}
