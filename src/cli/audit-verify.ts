import { readFileSync } from 'node:fs';
import { verifyChain, type ChainedEvent } from '../lib/domain/audit-chain';

/** npm run audit:verify -- <export.json>: re-checks every link of an exported audit chain. */
const file = process.argv[2];
if (!file) {
	console.error('usage: npm run audit:verify -- <audit-export.json>');
	process.exit(2);
}
let data: { events: (ChainedEvent & { payload: string | null })[] };
try {
	data = JSON.parse(readFileSync(file, 'utf8'));
	if (!Array.isArray(data.events)) throw new Error('no "events" array');
} catch (e) {
	console.error(`${file}: not a Minka audit export (${(e as Error).message})`);
	process.exit(2);
}
const payloads = new Map<number, string>();
for (const e of data.events) if (typeof e.payload === 'string') payloads.set(e.seq, e.payload);
const result = verifyChain(data.events, payloads);
if (result.ok) {
	console.log(
		`OK: ${result.count} events, chain intact (withheld payloads checked by hash: ${data.events.length - payloads.size})`
	);
} else {
	console.error(`BROKEN at event #${result.brokenAt}: ${result.reason} does not match`);
	process.exit(1);
}
