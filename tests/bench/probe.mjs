/**
 * A static file asked for every INTERVAL ms on its own kept-alive socket, in a process of its own (forked by
 * bench:scale), so its waits are the server's and not those of the load generator's event loop. Asked for by
 * `node probe.mjs PORT PATH INTERVAL`; on the message 'stop' it answers { longest, waits } (every wait in ms) and ends.
 */
import { request, Agent } from 'node:http';

const [port, path, interval] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 25)];
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const waits = [];
let probing = true;

process.on('message', (m) => {
	if (m === 'stop') probing = false;
});

const once = () =>
	new Promise((resolve) => {
		const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
			res.resume();
			res.on('end', () => resolve());
		});
		req.on('error', () => resolve());
		req.end();
	});

process.send?.('ready');
while (probing) {
	const s = performance.now();
	await once();
	waits.push(performance.now() - s);
	await new Promise((r) => setTimeout(r, interval));
}
agent.destroy();
process.send?.({ longest: Math.max(0, ...waits), waits }, () => process.exit(0));
