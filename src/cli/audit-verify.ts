import { readFileSync } from 'node:fs';
import { auditReport, parseAnchor, type ChainAnchor } from '../lib/domain/audit-chain';
import { chainOfExport } from '../lib/domain/audit-export-format';

/**
 * npm run audit:verify -- <export.json> [--anchor POS:HASH]… [--anchors-from anchors.json]
 *
 * Re-checks every link of an exported audit chain, then that the export holds each anchor (the chain's head printed
 * on a published result, an issued acta or issued council minutes) at its position with its hash. Without anchors only
 * the chain's internal consistency can be checked: a chain whose last events were removed is still consistent.
 */
const USAGE =
	'usage: npm run audit:verify -- <audit-export.json> [--anchor POS:HASH]... [--anchors-from anchors.json|anchors.txt]';

function fail(message: string, code = 2): never {
	console.error(message);
	process.exit(code);
}

/** The document list `audit/anchors.json` (or any JSON with an `anchors` array of {seq, hash}), or lines `POS:HASH`. */
function anchorsFromFile(path: string): ChainAnchor[] {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		fail(`${path}: cannot read (${(e as Error).message})`);
	}
	if (text.trimStart().startsWith('{')) {
		let data: { anchors?: { seq?: unknown; hash?: unknown; type?: unknown; roundId?: unknown; sessionId?: unknown }[] };
		try {
			data = JSON.parse(text);
		} catch (e) {
			fail(`${path}: not JSON (${(e as Error).message})`);
		}
		if (!Array.isArray(data.anchors)) fail(`${path}: no "anchors" array`);
		return data.anchors.map((a, i) => {
			const parsed = parseAnchor(`${a.seq}:${a.hash}`);
			if (!parsed) fail(`${path}: anchor #${i + 1} is not a position and a hash`);
			const where = [a.roundId != null ? `round ${a.roundId}` : '', a.sessionId != null ? `session ${a.sessionId}` : '']
				.filter(Boolean)
				.join(', ');
			return { ...parsed, label: `${typeof a.type === 'string' ? a.type : 'anchor'}${where ? ` (${where})` : ''}` };
		});
	}
	const out: ChainAnchor[] = [];
	for (const [i, line] of text.split(/\r?\n/).entries()) {
		if (!line.trim() || line.trim().startsWith('#')) continue;
		const parsed = parseAnchor(line);
		if (!parsed) fail(`${path}:${i + 1}: not POS:HASH`);
		out.push({ ...parsed, label: `${path}:${i + 1}` });
	}
	return out;
}

const args = process.argv.slice(2);
let file: string | null = null;
const anchors: ChainAnchor[] = [];
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === '--anchor') {
		const parsed = parseAnchor(args[++i] ?? '');
		if (!parsed) fail(`--anchor needs POS:HASH (a position and at least 16 hex digits of its hash)\n${USAGE}`);
		anchors.push({ ...parsed, label: '--anchor' });
	} else if (a === '--anchors-from') {
		const path = args[++i];
		if (!path) fail(USAGE);
		anchors.push(...anchorsFromFile(path));
	} else if (a.startsWith('--')) fail(`unknown option ${a}\n${USAGE}`);
	else if (file === null) file = a;
	else fail(USAGE);
}
if (!file) fail(USAGE);

let doc: unknown;
try {
	doc = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
	fail(`${file}: not a Minka audit export (${(e as Error).message})`);
}
const chain = chainOfExport(doc);
if (!chain.ok && 'invalid' in chain) fail(`${file}: not a Minka audit export (${chain.invalid})`);
if (!chain.ok) {
	const why: Record<string, string> = {
		format: 'malformed (a field is missing or of the wrong kind)',
		head: 'the last event does not carry its whole hash'
	};
	console.error(`BROKEN at event #${chain.brokenAt}: ${why[chain.reason] ?? `${chain.reason} does not match`}`);
	process.exit(1);
}
const report = auditReport(chain.events, anchors);
for (const line of report.lines) (report.code ? console.error : console.log)(line);
process.exit(report.code);
