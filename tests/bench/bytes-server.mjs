/**
 * bench:scale's reference for a large response: a bare node:http server (no framework, no database) answering every
 * GET with the same BYTES-long buffer in one write, in a process of its own like the app's server. The same readers
 * read it as they read the audit export, so the two figures side by side say how much of the export's time is the
 * bytes themselves (loopback, the kernel, both processes on the same two cores). `node bytes-server.mjs BYTES [PORT]`; sends
 * its port once listening (prints it when not forked).
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const body = randomBytes(Number(process.argv[2]));
const server = createServer((req, res) => {
	res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
	// chunked, as the app's streamed export goes out
	res.write(body);
	res.end();
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.argv[3] ?? 0), '127.0.0.1', () =>
	process.send ? process.send(server.address().port) : console.log(`port ${server.address().port}`)
);
process.on('message', (m) => m === 'stop' && server.close(() => process.exit(0)));
