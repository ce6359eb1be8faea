import { loadDotEnv } from './env.js';

loadDotEnv();
const { databasePath } = await import('../lib/server/db/client');
const { uploadsDir } = await import('../lib/server/platform/uploads');
const { secretFilePath } = await import('../lib/server/platform/secret');
const { restoreBackup } = await import('../lib/server/backup');

/** npm run restore -- <archive.zip>: restores a backup into an empty data folder (DATABASE_URL, MINKA_UPLOADS). */
const archive = process.argv[2];
if (!archive) {
	console.error('usage: npm run restore -- <minka-backup-….zip>   (stop Minka first; the data folder must be empty)');
	process.exit(2);
}
try {
	const r = restoreBackup(
		{
			database: databasePath(),
			uploads: uploadsDir(),
			secretFile: secretFilePath(),
			envSecret: process.env.MINKA_SECRET || null
		},
		archive
	);
	console.log(
		`Restored: database ${r.database}, ${r.files} uploaded files into ${r.uploads} (each checked by SHA-256)`
	);
	const secret = {
		restored: `The server secret from the archive was written to ${secretFilePath()}.`,
		'kept-env-matches': 'MINKA_SECRET in the environment is the secret this backup was taken with.',
		'in-place-matches': `The secret at ${secretFilePath()} is the one this backup was taken with.`,
		'none-in-backup': 'The backup was taken before any secret existed.',
		missing: `THE SERVER SECRET IS MISSING: put it back as MINKA_SECRET or in ${secretFilePath()} before starting Minka, or DNIs will not match.`,
		mismatch: `THE SERVER SECRET IN PLACE IS NOT THE ONE THIS BACKUP WAS TAKEN WITH: DNIs will not match. Put the right one back before starting Minka.`
	}[r.secret];
	(r.secret === 'missing' || r.secret === 'mismatch' ? console.error : console.log)(secret);
	if (r.secret === 'missing' || r.secret === 'mismatch') process.exit(3);
} catch (e) {
	console.error(`Restore failed: ${(e as Error).message}`);
	process.exit(1);
}
