/**
 * bench:scale's load generator, run in a process of its own (forked with a fresh heap): `readers` kept-alive
 * connections asking for `path` until `n` answers came. Before, not counted: `warm` requests one after another (the
 * first renders the page), then one wave of `readers` requests at once, which opens the connections the measurement
 * uses (its slowest answer is returned as firstWave: new connections, a server that has not yet answered that many at
 * once, and for a 4 MB body TCP buffers not yet grown; all of it paid once per connection). bench:scale
 * seeds and computes in its own process before (hundreds of MB of ballots and snapshots in its heap), and its garbage
 * collections would otherwise land in the readers' times. `node readers.mjs '<json options>'` answers one message with
 * what read() returns (and 'warmed' before the measured requests, which start on the answer 'go');
 * `--readers-in-process` makes bench:scale call read() itself instead (the old way, to compare).
 */
import { request, Agent } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ port: number, path: string, cookie?: string, n: number, readers: number, warm: number }} o
 * @param {() => Promise<unknown>} [warmed] called after the warm-up, before the measured requests
 * @returns {Promise<{ times: number[], started: number[], failed: number, status: number, bytes: number, seconds: number, loopMax: number, cpuMs: number, firstWave: number }>}
 *   times: ms per request in order of sending; started: ms after the start; loopMax: this process's longest event-loop
 *   delay; cpuMs: this process's CPU time (user + system) while reading; firstWave: the warm-up wave's slowest, in ms
 */
export async function read({ port, path, cookie, n, readers, warm }, warmed = async () => {}) {
	const agent = new Agent({ keepAlive: true, maxSockets: readers });
	const headers = { accept: 'text/html', 'accept-encoding': 'br, gzip', ...(cookie ? { cookie } : {}) };
	const getOnce = () =>
		new Promise((resolve, reject) => {
			const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
				let bytes = 0;
				res.on('data', (c) => (bytes += c.length));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end();
		});
	// A kept-alive socket the server has just closed answers ECONNRESET: ask again once on a fresh one.
	const get = () => getOnce().catch(() => getOnce());

	for (let i = 0; i < warm; i++) await get();
	const wave = await Promise.all(
		Array.from({ length: readers }, async () => {
			const s = performance.now();
			await get();
			return performance.now() - s;
		})
	);
	await warmed();

	const loop = monitorEventLoopDelay({ resolution: 5 });
	loop.enable();
	const cpu = process.cpuUsage();
	const times = [];
	const started = [];
	let failed = 0;
	let status = 200;
	let bytes = 0;
	let next = 0;
	const t = performance.now();
	await Promise.all(
		Array.from({ length: readers }, async () => {
			while (next < n) {
				const i = next++;
				const s = performance.now();
				const r = await get();
				times[i] = performance.now() - s;
				started[i] = s - t;
				bytes = r.bytes;
				if (r.status !== 200) {
					failed++;
					status = r.status;
				}
			}
		})
	);
	const seconds = (performance.now() - t) / 1000;
	const used = process.cpuUsage(cpu);
	loop.disable();
	agent.destroy();
	return {
		times,
		started,
		failed,
		status,
		bytes,
		seconds,
		loopMax: loop.max / 1e6,
		cpuMs: (used.user + used.system) / 1000,
		firstWave: Math.max(...wave)
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const result = await read(
		JSON.parse(process.argv[2]),
		() =>
			new Promise((go) => {
				process.once('message', go);
				process.send('warmed');
			})
	);
	process.send(result, () => process.exit(0));
}
