import { join, dirname } from 'node:path';
import { loadDotEnv } from './env.js';

loadDotEnv();
const { databasePath } = await import('../lib/server/db/client');
const { uploadsDir } = await import('../lib/server/platform/uploads');
const { secretFilePath } = await import('../lib/server/platform/secret');
const { writeBackup } = await import('../lib/server/backup');

/**
 * npm run backup [-- --out <folder>] [--include-secret]: one consistent archive (.zip) of the database (online, safe
 * while the server runs), every uploaded file and a reminder about the secret, or the secret itself when asked for.
 */
const args = process.argv.slice(2);
const includeSecret = args.includes('--include-secret');
const outAt = args.indexOf('--out');
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--out');
const folder = outAt >= 0 ? args[outAt + 1] : (positional[0] ?? join(dirname(databasePath()), 'backups'));
if (!folder) {
	console.error('usage: npm run backup -- [--out <folder>] [--include-secret]');
	process.exit(2);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const archive = join(folder, `minka-backup-${stamp}.zip`);
try {
	const r = writeBackup(
		{
			database: databasePath(),
			uploads: uploadsDir(),
			secretFile: secretFilePath(),
			envSecret: process.env.MINKA_SECRET || null
		},
		archive,
		{ includeSecret }
	);
	console.log(`Backup written: ${r.archive}`);
	console.log(
		`  the database and ${r.files} uploaded files (${(r.bytes / 1024 / 1024).toFixed(1)} MB before compression)`
	);
	console.log('  voting key files (round-keys/) are never included');
	if (r.secret === 'included')
		console.log(
			`THE SERVER SECRET IS INSIDE THIS ARCHIVE (--include-secret). Anyone holding it can match DNIs: keep it locked away.`
		);
	else if (r.secret === 'not-included')
		console.log(
			`THE SERVER SECRET IS NOT IN THIS ARCHIVE. Keep it with the backup, separately and safely: it is ${r.secretWhere}.\n` +
				'Without it DNIs cannot be matched after a restore. (--include-secret puts it inside the archive.)'
		);
	else console.log('No server secret exists yet (nothing was ever keyed by DNI).');
} catch (e) {
	console.error(`Backup failed: ${(e as Error).message}`);
	process.exit(1);
}
