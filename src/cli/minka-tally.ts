#!/usr/bin/env node
/**
 * minka-tally --rule <id> [--ties file|lex|equalshares|cost|votes|draw] [--score-from ballots|projects]
 *             [--draw-seed HEX] [--pretty] <file.pb | ->
 *
 * --draw-seed: with --ties draw, the seed of the public draw instead of the file's own (a small budget's ballots,
 * held by the auditors, are counted with the seed of its published file of totals).
 *
 * Prints one JSON object (the TallyResult) to stdout. Bad input exits with status 2 (usage) or 1
 * (unreadable / malformed file), with a message on stderr that names the line when there is one.
 */
import { readFileSync } from 'node:fs';
import {
	ENGINE_VERSION,
	PbError,
	RULE_IDS,
	TIE_MODES,
	isRuleId,
	isTieMode,
	parsePb,
	runRule
} from '../lib/domain/tally/index';
import type { ScoreFrom } from '../lib/domain/tally/index';

const USAGE = `usage: minka-tally --rule <${RULE_IDS.join('|')}> [--ties ${TIE_MODES.join('|')}] [--score-from ballots|projects] [--draw-seed HEX] [--pretty] <file.pb | ->`;

function fail(message: string, code: number): never {
	process.stderr.write(`minka-tally: ${message}\n`);
	process.exit(code);
}

function main(argv: string[]) {
	let rule: string | undefined;
	let ties: string | undefined;
	let scoreFrom: string | undefined;
	let seed: string | undefined;
	let pretty = false;
	const files: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const takeValue = (name: string): string => {
			const eq = a.indexOf('=');
			if (eq >= 0) return a.slice(eq + 1);
			const v = argv[++i];
			if (v === undefined) fail(`${name} needs a value\n${USAGE}`, 2);
			return v;
		};
		if (a === '--rule' || a.startsWith('--rule=')) rule = takeValue('--rule');
		else if (a === '--ties' || a.startsWith('--ties=')) ties = takeValue('--ties');
		else if (a === '--score-from' || a.startsWith('--score-from=')) scoreFrom = takeValue('--score-from');
		else if (a === '--draw-seed' || a.startsWith('--draw-seed=')) seed = takeValue('--draw-seed');
		else if (a === '--pretty') pretty = true;
		else if (a === '--help' || a === '-h') {
			process.stdout.write(`${USAGE}\n`);
			return;
		} else if (a === '--version') {
			process.stdout.write(`${ENGINE_VERSION}\n`);
			return;
		} else if (a.startsWith('--')) fail(`unknown option ${a}\n${USAGE}`, 2);
		else files.push(a);
	}
	if (rule === undefined) fail(`--rule is required\n${USAGE}`, 2);
	if (!isRuleId(rule)) fail(`unknown rule "${rule}" (expected one of ${RULE_IDS.join(', ')})`, 2);
	if (ties !== undefined && !isTieMode(ties))
		fail(`unknown tie-breaking "${ties}" (expected one of ${TIE_MODES.join(', ')})`, 2);
	if (scoreFrom !== undefined && scoreFrom !== 'ballots' && scoreFrom !== 'projects' && scoreFrom !== 'votes') {
		fail(`unknown --score-from "${scoreFrom}" (expected ballots or projects)`, 2);
	}
	if (seed !== undefined && !/^[0-9a-f]{64}$/.test(seed))
		fail(`--draw-seed needs 64 lower-case hex digits (a SHA-256)`, 2);
	if (seed !== undefined && ties !== 'draw') fail(`--draw-seed only applies with --ties draw`, 2);
	if (files.length !== 1) fail(`exactly one .pb file is needed\n${USAGE}`, 2);
	const file = files[0];
	let text: string;
	try {
		text = readFileSync(file === '-' ? 0 : file, 'utf8');
	} catch (err) {
		fail(`cannot read ${file}: ${(err as Error).message}`, 1);
	}
	try {
		const election = parsePb(text);
		const result = runRule(election, {
			rule,
			ties: ties as never,
			scoreFrom: scoreFrom === undefined ? undefined : ((scoreFrom === 'votes' ? 'ballots' : scoreFrom) as ScoreFrom),
			...(seed ? { drawSeed: seed } : {})
		});
		process.stdout.write(JSON.stringify(result, null, pretty ? 2 : undefined) + '\n');
	} catch (err) {
		if (err instanceof PbError) fail(`${file}: ${err.message}`, 1);
		throw err;
	}
}

// a closed pipe (e.g. `| head`) is not an error of the count
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
	if (err.code === 'EPIPE') process.exit(0);
	throw err;
});

main(process.argv.slice(2));
