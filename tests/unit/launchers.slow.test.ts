/**
 * The launchers read ./.env: `npm start` (src/cli/start.js) and `npm run backup` open the database named there,
 * and a variable set in the real environment still wins. Spawns real processes, hence test:slow.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = process.cwd();
const env = () => {
	const e = { ...process.env };
	delete e.DATABASE_URL;
	delete e.PORT;
	delete e.ORIGIN;
	return e;
};

/** Runs start.js in `dir` until it names its database, then stops it (it need not get as far as listening). */
function startedDatabase(dir: string, extra: Record<string, string> = {}): Promise<string> {
	return new Promise((ok, fail) => {
		const child = spawn(process.execPath, [join(ROOT, 'src/cli/start.js')], {
			cwd: dir,
			env: { ...env(), ...extra },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = /Minka: database (.*)\n/.exec(out);
			if (m) {
				child.kill();
				ok(m[1]);
			}
		});
		child.on('exit', () => fail(new Error(`start.js exited before naming its database: ${out}`)));
	});
}

describe('launchers read .env', () => {
	it('npm start opens the database .env names, unless the environment names another', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'minka-start-'));
		writeFileSync(join(dir, '.env'), 'DATABASE_URL=./from-dotenv.db\nPORT=4109\n');
		expect(await startedDatabase(dir)).toBe(resolve(dir, 'from-dotenv.db'));
		expect(await startedDatabase(dir, { DATABASE_URL: './from-env.db' })).toBe(resolve(dir, 'from-env.db'));
	});

	it('npm run backup looks for the database .env names', () => {
		const dir = mkdtempSync(join(tmpdir(), 'minka-backup-'));
		writeFileSync(join(dir, '.env'), 'DATABASE_URL=./nothing-here.db\n');
		const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/cli/backup.ts')], {
			cwd: dir,
			env: env(),
			encoding: 'utf8'
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain(`No database at ${resolve(dir, 'nothing-here.db')}`);
	});
});
