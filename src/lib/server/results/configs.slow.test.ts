/**
 * The CLI recounts the published `.pb` of every kind of round: one case per engine command (rule, ties,
 * score source), each spawning `node dist/minka-tally.js` once with the command the results page prints.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CASES, runCase, setupDb } from '../../../../tests/support/round-configs';
import { CLI } from '../../../../tests/engine/helpers';

beforeAll(() => {
	setupDb();
});

describe('minka-tally on published files', () => {
	it('gives the published winners, once per rule', () => {
		const jobs = new Map<string, { file: string; selected: string[] }>();
		const tried = new Set<string>();
		CASES.forEach((c, i) => {
			// cases that add no new command are skipped: the CLI runs once per rule, not per case
			const r = c.rules;
			const kind = `${r.decision.rule}/${r.allocation}/${r.mesCompletion}/${r.ballot.type === 'cumulative'}/${r.tieBreak}`;
			if (tried.has(kind)) return;
			tried.add(kind);
			for (const j of runCase(c, i)) if (!jobs.has(j.args.join(' '))) jobs.set(j.args.join(' '), j);
		});
		expect(jobs.size).toBeGreaterThanOrEqual(6);
		for (const [args, job] of jobs) {
			const r = spawnSync(process.execPath, [CLI, ...args.split(' '), job.file], { encoding: 'utf8' });
			expect(r.status, r.stderr).toBe(0);
			expect(JSON.parse(r.stdout).selected).toEqual(job.selected);
		}
	});
});
