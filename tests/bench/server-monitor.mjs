/**
 * Loaded into the bench's server process (`node --import`, when BENCH_SERVER_MONITOR=1; see voting-server.ts): what the
 * server's own event loop went through, measured inside it. Every event-loop turn that took longer than HOLD_MS and
 * every garbage collection are noted; on SIGUSR2 (the bench sends it at the end of each phase) one line goes to stderr:
 * `[monitor] <label> holds>50ms N (longest L ms) · gc N (total T ms, longest L ms, major M) · cpu U ms user + S ms system
 *  · loop delay p99 P ms max M ms`
 * and the counts start again. The label is read from the file named by BENCH_SERVER_MONITOR_LABEL, if any.
 */
import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';

const HOLD_MS = Number(process.env.BENCH_SERVER_MONITOR_HOLD ?? 50);
let histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

// A timer every 5 ms: a turn that held the loop shows as a late tick.
let holds = [];
let last = performance.now();
setInterval(() => {
	const now = performance.now();
	const late = now - last - 5;
	if (late > HOLD_MS) holds.push(late);
	last = now;
}, 5).unref();

let gcs = [];
let cpu = process.cpuUsage();
new PerformanceObserver((list) => {
	for (const e of list.getEntries())
		gcs.push({ ms: e.duration, major: e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR });
}).observe({ entryTypes: ['gc'] });

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
	const f = (x) => x.toFixed(1);
	process.stderr.write(
		`[monitor] ${label} holds>${HOLD_MS}ms ${holds.length}${holds.length ? ` (longest ${f(Math.max(...holds))} ms: ${holds.map(f).join(' ')})` : ''}` +
			` · gc ${gcs.length} (total ${f(gcTotal)} ms, longest ${f(gcMax)} ms, major ${gcs.filter((g) => g.major).length})` +
			` · cpu ${f(used.user / 1000)} ms user + ${f(used.system / 1000)} ms system` +
			` · loop delay p99 ${f(histogram.percentile(99) / 1e6)} ms max ${f(histogram.max / 1e6)} ms\n`
	);
	holds = [];
	gcs = [];
	histogram.reset();
});
