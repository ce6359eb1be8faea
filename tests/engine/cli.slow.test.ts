/**
 * The command-line contract: `node dist/minka-tally.js --rule <id> [--ties t] [--score-from projects] <file.pb>`
 * prints one JSON object; bad input exits non-zero with a message naming the line.
 * dist/minka-tally.js is bundled by the Vitest global setup (npm run build:cli).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, PABULIB_DIR, expectedFiles, parseKey } from './helpers';

function tally(args: string[], input?: string) {
	const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'minka-tally-'));
function tmpFile(name: string, text: string): string {
	const f = path.join(tmp, name);
	writeFileSync(f, text);
	return f;
}

const GOOD = `META
key;value
description;test
budget;100
vote_type;approval
PROJECTS
project_id;cost;name;score
a;60;"Agua; fase ""1""";7.5
b;50;Losa;9
c;40;Parque;1
VOTES
voter_id;vote
1;a,b
2;a
3;a,c
`;

describe('minka-tally CLI', () => {
	it('is a node script with a shebang', () => {
		expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
	});

	it('prints one JSON object with the contract fields', () => {
		const r = tally(['--rule', 'greedy', tmpFile('good.pb', GOOD)]);
		expect(r.code).toBe(0);
		expect(r.stdout.trim().split('\n')).toHaveLength(1);
		const out = JSON.parse(r.stdout);
		expect(out).toMatchObject({
			rule: 'greedy',
			ties: 'file',
			selected: ['a', 'c'],
			totalCost: '100',
			unspent: '0',
			budget: '100'
		});
		expect(out.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);
		expect(Array.isArray(out.warnings)).toBe(true);
		expect(out.ranking[0]).toMatchObject({ id: 'a', votes: 3, selected: true, runningTotal: '60' });
	});

	it('accepts --ties, --score-from projects and stdin', () => {
		const out = JSON.parse(tally(['--rule', 'greedy', '--score-from', 'projects', '--ties', 'cost', '-'], GOOD).stdout);
		expect(out).toMatchObject({ ties: 'cost', scoreFrom: 'projects', selected: ['b', 'c'], totalCost: '90' });
		const mes = JSON.parse(tally(['--rule=mes', tmpFile('good2.pb', GOOD)]).stdout);
		expect(mes.ties).toBe('lex');
		expect(mes.mes.endowment).toBe('100/3');
	});

	it('rejects an unknown rule and an unknown tie-break', () => {
		const r = tally(['--rule', 'borda', tmpFile('good3.pb', GOOD)]);
		expect(r.code).not.toBe(0);
		expect(r.stdout).toBe('');
		expect(r.stderr).toMatch(/unknown rule "borda"/);
		const t = tally(['--rule', 'mes', '--ties', 'random', tmpFile('good4.pb', GOOD)]);
		expect(t.code).not.toBe(0);
		expect(t.stderr).toMatch(/unknown tie-breaking "random"/);
		expect(tally([tmpFile('good5.pb', GOOD)]).code).not.toBe(0);
	});

	it('names the line of a malformed file', () => {
		const unknownProject = tally(['--rule', 'greedy', tmpFile('bad1.pb', GOOD.replace('3;a,c', '3;a,z'))]);
		expect(unknownProject.code).not.toBe(0);
		expect(unknownProject.stderr).toMatch(/line 15: vote names unknown project "z"/);
		const badCost = tally(['--rule', 'mes', tmpFile('bad2.pb', GOOD.replace('b;50;Losa', 'b;5O;Losa'))]);
		expect(badCost.code).not.toBe(0);
		expect(badCost.stderr).toMatch(/line 9: cost "5O"/);
		const extraField = tally(['--rule', 'mes', tmpFile('bad3.pb', GOOD.replace('c;40;Parque;1', 'c;40;Parque;1;x'))]);
		expect(extraField.stderr).toMatch(/line 10: /);
		const noVotes = tally(['--rule', 'mes', tmpFile('bad4.pb', GOOD.slice(0, GOOD.indexOf('VOTES')))]);
		expect(noVotes.code).not.toBe(0);
		expect(noVotes.stderr).toMatch(/missing VOTES section/);
		const missing = tally(['--rule', 'mes', path.join(tmp, 'nope.pb')]);
		expect(missing.code).not.toBe(0);
		expect(missing.stderr).toMatch(/cannot read/);
		const noScore = tally([
			'--rule',
			'greedy',
			'--score-from',
			'projects',
			tmpFile('bad5.pb', GOOD.replace(';score', '').replace(/;(7\.5|9|1)\n/g, '\n'))
		]);
		expect(noScore.code).not.toBe(0);
		expect(noScore.stderr).toMatch(/line 8: .*no score/);
	});

	// every expected entry once through the real process (the in-process cross-check covers the engine)
	for (const { data } of expectedFiles()) {
		it(`reproduces ${data.file} through the bin`, () => {
			for (const [key, entry] of Object.entries(data.rules)) {
				const { rule, ties } = parseKey(key);
				if (rule.includes(':')) continue;
				const args = ['--rule', rule, ...(ties ? ['--ties', ties] : []), path.join(PABULIB_DIR, data.file)];
				const r = tally(args);
				expect(r.code, r.stderr).toBe(0);
				const out = JSON.parse(r.stdout);
				expect([...out.selected].sort()).toEqual([...entry.selected].sort());
				expect(out.totalCost).toBe(entry.total_cost);
			}
		});
	}
});
