/**
 * Loaded into the bench's server process (`node --import`, when BENCH_SERVER_MONITOR=1; see voting-server.ts): what the
 * server's own event loop went through, measured inside it. A timer ticks every 5 ms; a tick later than HOLD_MS (50)
 * is a wait, and the event-loop thread's own CPU time over that gap (Linux: /proc/thread-self/schedstat) tells a hold
 * (the thread kept computing: at least HOLD_MS of CPU) from a wait for a core (on a loaded machine it was not running). Garbage collections are noted too. On
 * SIGUSR2 (bench:scale sends it after each phase) one line goes to stderr and the counts start again:
 * `[monitor] <label> holds>50ms of CPU N (longest L ms: …) · waits>50ms W (longest, CPU in it) · gc … · cpu … · loop delay …`
 * The label is read from the file named by BENCH_SERVER_MONITOR_LABEL, if any. The `cpu` total is the whole process's
 * (the thread pool's compression and the GC's helper threads included).
 */
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

const HOLD_MS = Number(process.env.BENCH_SERVER_MONITOR_HOLD ?? 50);
const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

/** CPU time of this thread (the event loop's) in ms: Linux's schedstat (ns, exact); else the whole process's. */
const threadCpu = (() => {
	try {
		readFileSync('/proc/thread-self/schedstat', 'utf8');
		return () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
	} catch {
		return () => {
			const u = process.cpuUsage();
			return (u.user + u.system) / 1000;
		};
	}
})();

let holds = [];
let waits = [];
let last = performance.now();
let lastCpu = threadCpu();
setInterval(() => {
	const now = performance.now();
	const cpuNow = threadCpu();
	const late = now - last - 5;
	if (late > HOLD_MS) {
		const cpuMs = cpuNow - lastCpu;
		(cpuMs >= HOLD_MS ? holds : waits).push({ late, cpuMs });
	}
	last = now;
	lastCpu = cpuNow;
}, 5).unref();

let gcs = [];
let cpu = process.cpuUsage();
new PerformanceObserver((list) => {
	for (const e of list.getEntries())
		gcs.push({ ms: e.duration, major: e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR });
}).observe({ entryTypes: ['gc'] });

const f = (x) => x.toFixed(1);
const list = (xs) =>
	xs.length
		? ` (longest ${f(Math.max(...xs.map((x) => x.late)))} ms: ${xs
				.slice(0, 12)
				.map((x) => `${f(x.late)}/${f(x.cpuMs)} cpu`)
				.join(' ')}${xs.length > 12 ? ' …' : ''})`
		: '';

process.on('SIGUSR2', () => {
	let label = '';
	try {
		label = process.env.BENCH_SERVER_MONITOR_LABEL
			? readFileSync(process.env.BENCH_SERVER_MONITOR_LABEL, 'utf8').trim()
			: '';
	} catch {
		/* no label */
	}
	const used = process.cpuUsage(cpu);
	cpu = process.cpuUsage();
	const gcTotal = gcs.reduce((s, g) => s + g.ms, 0);
	const gcMax = gcs.reduce((s, g) => Math.max(s, g.ms), 0);
	process.stderr.write(
		`[monitor] ${label} holds>${HOLD_MS}ms of CPU ${holds.length}${list(holds)}` +
			` · waits>${HOLD_MS}ms for a core ${waits.length}${list(waits)}` +
			` · gc ${gcs.length} (total ${f(gcTotal)} ms, longest ${f(gcMax)} ms, major ${gcs.filter((g) => g.major).length})` +
			` · cpu ${f(used.user / 1000)} ms user + ${f(used.system / 1000)} ms system` +
			` · loop delay p99 ${f(histogram.percentile(99) / 1e6)} ms max ${f(histogram.max / 1e6)} ms\n`
	);
	holds = [];
	waits = [];
	gcs = [];
	histogram.reset();
});
