import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared pabulib data sit beside the repository: ../shared/pabulib (never copied into the repo). MINKA_SHARED
 * points elsewhere (Stryker runs the tests in a sandbox below .stryker-tmp/, where ../shared is not the same folder).
 */
export const PABULIB_DIR = path.resolve(
	process.env.MINKA_SHARED ?? path.resolve(process.cwd(), '../shared'),
	'pabulib'
);
export const EXPECTED_DIR = path.join(PABULIB_DIR, 'expected');

/** True when CI is set to anything but "", "0" or "false" (how most CI services and .ci/run say so). */
export const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/**
 * What to do with the checks against ../shared/pabulib: a clone on its own skips them (with a message) so `npm test`
 * works there; CI never skips them: a missing folder fails.
 */
export function sharedPlan(present: boolean, ci: boolean): 'run' | 'skip' | 'fail' {
	if (present) return 'run';
	return ci ? 'fail' : 'skip';
}
export const SHARED_PLAN = sharedPlan(existsSync(EXPECTED_DIR), IN_CI);
export const SHARED_MISSING = `${PABULIB_DIR} not found: the cross-checks against real pabulib elections need the project's shared folder checked out beside this repository (../shared).`;
export const CLI = path.resolve(process.cwd(), 'dist/minka-tally.js');

export interface ExpectedEntry {
	selected: string[];
	total_cost: string;
	source: string;
}

export interface ExpectedFile {
	file: string;
	vote_type: string;
	budget: string;
	n_voters: number;
	n_projects: number;
	official_selected?: string[];
	rules: Record<string, ExpectedEntry>;
}

export function expectedFiles(): { name: string; data: ExpectedFile }[] {
	if (!existsSync(EXPECTED_DIR)) return [];
	return readdirSync(EXPECTED_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ name: f, data: JSON.parse(readFileSync(path.join(EXPECTED_DIR, f), 'utf8')) as ExpectedFile }));
}

export function readPb(file: string): string {
	return readFileSync(path.join(PABULIB_DIR, file), 'utf8');
}

/** Splits an expected key "id" or "id@ties=t" into rule and ties. */
export function parseKey(key: string): { rule: string; ties?: string } {
	const [rule, ...mods] = key.split('@');
	const out: { rule: string; ties?: string } = { rule };
	for (const m of mods) {
		const [k, v] = m.split('=');
		if (k === 'ties') out.ties = v;
	}
	return out;
}
