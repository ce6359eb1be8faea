// Worker for exclusive-gate.test: announces exclusive work as the scrub does, then holds it until the test lets go,
// leaves it by an error, or exits in the middle of it (a worker that dies without saying "end").
import { parentPort, workerData } from 'node:worker_threads';
import { exclusiveWork } from '../../src/lib/server/platform/workers';

const { mode, release } = workerData as { mode: 'hold' | 'throw' | 'exit'; release: SharedArrayBuffer };
const go = new Int32Array(release);

try {
	exclusiveWork(() => {
		// the server has raised its gate before fn runs: say so, so the test knows this worker holds it
		parentPort!.postMessage('holding');
		// held until the test stores 1 (the thread sleeps, as a VACUUM would keep it busy)
		Atomics.wait(go, 0, 0);
		if (mode === 'throw') throw new Error('the work failed');
		if (mode === 'exit') process.exit(3);
	});
} catch {
	// the error is the test's point: exclusiveWork must still have said "end"
}
