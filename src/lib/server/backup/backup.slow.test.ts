/**
 * Issue 13 point 4: a backup of the demo brings everything back. Back up (database, every uploaded file, the secret
 * when asked for), wipe the data folder, restore into the empty folder: every table row and every file comes back
 * identical, the voting key files never travel, and a restore into a folder that holds data is refused.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { openDatabase } from '../db/client';
import { seedFoundationDemo } from '../demo/foundation';
import { seedAllFeatureDemos } from '../demo/features';
import { restoreBackup, writeBackup, type InstallationPaths } from './backup';

function tree(root: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string) => {
		for (const n of readdirSync(d)) {
			const abs = join(d, n);
			if (statSync(abs).isDirectory()) walk(abs);
			else out[relative(root, abs)] = createHash('sha256').update(readFileSync(abs)).digest('hex');
		}
	};
	if (existsSync(root)) walk(root);
	return out;
}

/** Every row of every table, as JSON, per table. */
function dump(file: string): Record<string, string> {
	const db = new Database(file, { readonly: true });
	const tables = db
		.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
		.pluck()
		.all() as string[];
	const out: Record<string, string> = {};
	for (const t of tables) out[t] = JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all());
	db.close();
	return out;
}

describe('backup and restore', () => {
	it('backs up the demo, wipes it, restores it into an empty folder and finds every row and file again', async () => {
		const data = mkdtempSync(join(tmpdir(), 'minka-bk-'));
		const prevUrl = process.env.DATABASE_URL;
		const prevSecret = process.env.MINKA_SECRET;
		const prevUploads = process.env.MINKA_UPLOADS;
		process.env.DATABASE_URL = join(data, 'minka.db');
		delete process.env.MINKA_SECRET;
		delete process.env.MINKA_UPLOADS;
		const { resetSecretCacheForTests } = await import('../platform/secret');
		resetSecretCacheForTests();
		try {
			const paths: InstallationPaths = {
				database: join(data, 'minka.db'),
				uploads: join(data, 'uploads'),
				secretFile: join(data, 'minka-secret.key'),
				envSecret: null
			};
			const db = openDatabase(paths.database);
			const { municipality } = await seedFoundationDemo(db);
			await seedAllFeatureDemos(db, municipality.id);
			db.$client.close();
			const files = tree(paths.uploads);
			expect(Object.keys(files).length).toBeGreaterThan(0);
			const rows = dump(paths.database);
			const secret = readFileSync(paths.secretFile, 'utf8');
			// a voting key file sits in the data folder (issue 11): it must never be in a backup
			mkdirSync(join(data, 'round-keys'), { recursive: true });
			writeFileSync(join(data, 'round-keys', 'round-99.key'), 'never copied');

			const plain = writeBackup(paths, join(data, 'backups', 'plain.zip'));
			expect(plain.secret).toBe('not-included');
			const withSecret = writeBackup(paths, join(data, 'backups', 'with-secret.zip'), { includeSecret: true });
			expect(withSecret.secret).toBe('included');
			const entries = Object.keys(unzipSync(readFileSync(plain.archive)));
			expect(entries.some((e) => /round-keys|\.key$|-wal|-shm/.test(e))).toBe(false);
			expect(entries).toContain('database/minka.db');
			expect(strFromU8(unzipSync(readFileSync(plain.archive))['README.txt'])).toMatch(/SECRET IS NOT IN THIS ARCHIVE/);
			expect(Object.keys(unzipSync(readFileSync(withSecret.archive)))).toContain('secret/minka-secret.key');

			// a restore over existing data is refused and changes nothing
			expect(() => restoreBackup(paths, plain.archive)).toThrow(/empty data folder/);

			// wipe everything but the archives, restore the one with the secret
			for (const n of readdirSync(data)) if (n !== 'backups') rmSync(join(data, n), { recursive: true, force: true });
			const r = restoreBackup(paths, withSecret.archive);
			expect(r.secret).toBe('restored');
			expect(readFileSync(paths.secretFile, 'utf8')).toBe(secret);
			expect(tree(paths.uploads)).toEqual(files);
			expect(dump(paths.database)).toEqual(rows);
			expect(existsSync(join(data, 'round-keys'))).toBe(false);

			// the plain archive restores too, and says plainly when the secret is missing
			for (const n of readdirSync(data)) if (n !== 'backups') rmSync(join(data, n), { recursive: true, force: true });
			expect(restoreBackup(paths, plain.archive).secret).toBe('missing');
			expect(tree(paths.uploads)).toEqual(files);
			writeFileSync(paths.secretFile, 'another secret\n');
			for (const n of ['minka.db', 'uploads']) rmSync(join(data, n), { recursive: true, force: true });
			expect(restoreBackup(paths, plain.archive).secret).toBe('mismatch');
		} finally {
			process.env.DATABASE_URL = prevUrl;
			if (prevSecret === undefined) delete process.env.MINKA_SECRET;
			else process.env.MINKA_SECRET = prevSecret;
			if (prevUploads !== undefined) process.env.MINKA_UPLOADS = prevUploads;
			resetSecretCacheForTests();
		}
	});
});
