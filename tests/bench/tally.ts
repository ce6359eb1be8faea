/**
 * npm run bench:tally — seconds per rule, timing `node dist/minka-tally.js` as a whole process
 * (start-up, reading and parsing the .pb, counting, JSON output), for each shared pabulib instance and
 * for two seeded synthetic elections written to a temporary directory.
 *
 * Then the in-browser engine (tally-browser.ts): the 90 000-voter synthetic election recounted with MES in Chromium by
 * the recount page's Web Worker, and the compressed size of that worker bundle (budget ≤ 40 KB).
 *
 * Options: --runs N (default 3; the minimum and median are printed), --only <substring of a file name>,
 * --rules a,b (default: every rule that applies), --no-browser (skip the Chromium part), --no-build (use the
 * existing build of the app for it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SYNTHETIC, syntheticPb } from './synthetic';
import { browserRecount } from './tally-browser';

const ROOT = process.cwd();
const CLI = path.join(ROOT, 'dist/minka-tally.js');
const PABULIB = path.resolve(ROOT, '../shared/pabulib');

const args = process.argv.slice(2);
const opt = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(opt('--runs') ?? 3);
const ONLY = opt('--only');
const RULES_OPT = opt('--rules')?.split(',');

const ALL_RULES = [
	'greedy',
	'greedy-stop80',
	'mes',
	'mes-points',
	'mes-add1',
	'mes-add1-exhaustive',
	'mes-add1-exhaustive-greedy',
	'phragmen'
];

interface Target {
	file: string;
	rule: string;
	seconds: number;
	what: string;
	/** pabutools on a comparable real election, measured on this kind of machine (spec §6.3) */
	pabutools: string;
}
const TARGETS: Target[] = [
	{
		file: 'poland_wieliczka_2023.pb',
		rule: 'mes-add1',
		seconds: 0.5,
		what: 'mes-add1 on Wieliczka 2023',
		pabutools: 'pabutools add1: 15.7 s'
	},
	{
		file: `${SYNTHETIC[0].name}.pb`,
		rule: 'mes',
		seconds: 0.5,
		what: 'mes on 90 000 voters / 160 projects / 3.6 approvals',
		pabutools: 'pabutools MES on Łódź 2022 (90 494 voters): 17.4 s'
	},
	{
		file: `${SYNTHETIC[1].name}.pb`,
		rule: 'mes-add1',
		seconds: 10,
		what: 'mes-add1 on 5 500 voters / 90 projects / 10 approvals',
		pabutools: 'pabutools add1 on Warszawa-Ochota 2021 (5 552 voters): 439.7 s'
	}
];

function timeOnce(
	file: string,
	rule: string,
	extra: string[] = []
): { seconds: number; out: { selected: string[]; totalCost: string; mes?: { steps: number } } } {
	const t0 = process.hrtime.bigint();
	const r = spawnSync(process.execPath, [CLI, '--rule', rule, ...extra, file], {
		encoding: 'utf8',
		maxBuffer: 1 << 28
	});
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	if (r.status !== 0) throw new Error(`minka-tally --rule ${rule} ${file} failed: ${r.stderr}`);
	return { seconds, out: JSON.parse(r.stdout) };
}

function pabutoolsSeconds(file: string, rule: string): number | null {
	const f = path.join(PABULIB, 'expected', file.replace(/\.pb$/, '.json'));
	if (!existsSync(f)) return null;
	const data = JSON.parse(readFileSync(f, 'utf8'));
	const s = data.rules?.[rule]?.pabutools_seconds_here;
	return typeof s === 'number' ? s : null;
}

async function main() {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:cli`);
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'minka-bench-'));
	const instances: { file: string; label: string; voteType: string }[] = [];
	for (const f of readdirSync(PABULIB)
		.filter((x) => x.endsWith('.pb'))
		.sort()) {
		const vt = /\nvote_type;\s*(\w[\w-]*)/i.exec(readFileSync(path.join(PABULIB, f), 'utf8'))?.[1] ?? 'approval';
		instances.push({ file: path.join(PABULIB, f), label: f, voteType: vt });
	}
	for (const s of SYNTHETIC) {
		const f = path.join(tmp, `${s.name}.pb`);
		writeFileSync(f, syntheticPb(s));
		instances.push({ file: f, label: `${s.name}.pb`, voteType: 'approval' });
	}
	console.log(
		`minka-tally benchmark: node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), load average ${os
			.loadavg()
			.map((x) => x.toFixed(2))
			.join(' ')}`
	);
	console.log(`whole process (node dist/minka-tally.js), ${RUNS} run(s) each: min / median seconds\n`);
	const results = new Map<string, number>();
	for (const inst of instances) {
		if (ONLY && !inst.label.includes(ONLY)) continue;
		const rules = (RULES_OPT ?? ALL_RULES).filter(
			(r) => r !== 'mes-points' || inst.voteType === 'cumulative' || inst.voteType === 'scoring' || RULES_OPT
		);
		console.log(inst.label);
		for (const rule of rules) {
			const times: number[] = [];
			let out: ReturnType<typeof timeOnce>['out'] | null = null;
			for (let i = 0; i < RUNS; i++) {
				const r = timeOnce(inst.file, rule);
				times.push(r.seconds);
				out = r.out;
			}
			times.sort((a, b) => a - b);
			const min = times[0];
			const med = times[Math.floor(times.length / 2)];
			results.set(`${inst.label}|${rule}`, med);
			const pt = pabutoolsSeconds(inst.label, rule);
			// pabutools' figure is in-process (no start-up, no parsing); a ratio only means something when it is large
			const vs = pt ? `  pabutools here ${pt.toFixed(3)} s${pt >= 1 ? ` (${(pt / med).toFixed(0)}× faster)` : ''}` : '';
			const steps = out?.mes?.steps ? `, ${out.mes.steps} add1 steps` : '';
			console.log(
				`  ${rule.padEnd(28)} ${min.toFixed(3)} / ${med.toFixed(3)} s   ${String(out?.selected.length).padStart(3)} projects, ${out?.totalCost}${steps}${vs}`
			);
		}
	}
	console.log('\ntargets (median, whole process):');
	for (const t of TARGETS) {
		const got = results.get(`${t.file}|${t.rule}`);
		if (got === undefined) continue;
		console.log(
			`  ${got <= t.seconds ? 'OK  ' : 'SLOW'} ${t.what}: ${got.toFixed(3)} s (target < ${t.seconds} s; ${t.pabutools})`
		);
	}
	if (!args.includes('--no-browser')) {
		const big = instances.find((i) => i.label === `${SYNTHETIC[0].name}.pb`)!;
		// the recount page's tie-break list starts at «lower cost»: the CLI is asked for the same
		const cli = timeOnce(big.file, 'mes', ['--ties', 'cost']).out.selected;
		const b = await browserRecount(big.file, 'mes', 'cost', RUNS);
		const sorted = [...b.seconds].sort((x, y) => x - y);
		const same = b.winners.length > 0 && JSON.stringify([...b.winners].sort()) === JSON.stringify([...cli].sort());
		console.log(`\nin the browser (headless Chromium, the recount page's Web Worker ${b.workerFile}), ${RUNS} run(s):`);
		console.log(
			`  ${big.label} mes: ${sorted[0].toFixed(3)} / ${sorted[Math.floor(sorted.length / 2)].toFixed(3)} s (min / median, click to winners shown), ` +
				`${b.winners.length} winners, ${same ? 'the same as' : 'DIFFERENT FROM'} minka-tally --rule mes --ties cost`
		);
		console.log(
			`  ${b.wireBytes <= 40 * 1024 ? 'OK  ' : 'OVER'} engine bundle on the wire: ${(b.wireBytes / 1024).toFixed(1)} KB ${b.encoding} ` +
				`(${(b.rawBytes / 1024).toFixed(1)} KB uncompressed; budget ≤ 40 KB compressed)`
		);
		if (!same) process.exitCode = 1;
	}
	rmSync(tmp, { recursive: true, force: true });
}

await main();
