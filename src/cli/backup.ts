import Database from 'better-sqlite3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { databasePath } from '../lib/server/db/client';
import { loadDotEnv } from './env.js';

loadDotEnv();

/** npm run backup [-- <folder>]: a consistent copy through SQLite's online backup, safe while the server runs. */
const source = databasePath();
if (!existsSync(source)) {
	console.error(`No database at ${source}`);
	process.exit(1);
}
const folder = process.argv[2] ?? join(dirname(source), 'backups');
mkdirSync(folder, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = join(folder, `${basename(source, '.db')}-${stamp}.db`);
const db = new Database(source, { readonly: true });
await db.backup(target);
db.close();
writeFileSync(
	`${target}.README.txt`,
	[
		`Minka backup of ${source} taken ${new Date().toISOString()}.`,
		'',
		'KEEP THE SERVER SECRET WITH THIS COPY: MINKA_SECRET (or the file data/minka-secret.key).',
		'Without it the DNIs in this database can no longer be matched to the census or to logins.',
		'',
		'Restore: stop Minka, copy this file to the DATABASE_URL path (default ./data/minka.db),',
		'remove any minka.db-wal / minka.db-shm beside it, put the secret back, start Minka.'
	].join('\n') + '\n'
);
console.log(`Backup written: ${target}`);
console.log('Remember: keep MINKA_SECRET (data/minka-secret.key) with it, or DNIs cannot be matched after a restore.');
