import Database from 'better-sqlite3';
import { createHash, createHmac } from 'node:crypto';
import {
	closeSync,
	existsSync,
	fstatSync,
	lstatSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	readSync,
	renameSync,
	rmSync,
	writeSync
} from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { Unzip, UnzipInflate, Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';

/**
 * One consistent archive of a Minka installation: the database (SQLite `VACUUM INTO`, safe while the server runs),
 * every uploaded file (ordinances, photos, signed scans, attachments) with its SHA-256, and either a reminder about the
 * server secret or, when asked for, the secret itself. Never in it: the per-round voting key files (`round-keys/`,
 * destroyed at close so that no one can link ballots to voters), the database's -wal/-shm, temporary census uploads.
 */

export const BACKUP_FORMAT = 'minka-backup/1';
const DB_ENTRY = 'database/minka.db';
const SECRET_ENTRY = 'secret/minka-secret.key';
const CHUNK = 4 * 1024 * 1024;

export interface InstallationPaths {
	/** The SQLite file (DATABASE_URL). */
	database: string;
	/** The uploads folder (MINKA_UPLOADS, default `uploads/` beside the database). */
	uploads: string;
	/** Where the generated secret lives when MINKA_SECRET is not set: `minka-secret.key` beside the database. */
	secretFile: string;
	/** MINKA_SECRET from the environment, when set (it wins over the file). */
	envSecret?: string | null;
}

export interface Manifest {
	format: typeof BACKUP_FORMAT;
	createdAt: string;
	database: { entry: string; bytes: number; sha256: string };
	files: { path: string; bytes: number; sha256: string }[];
	secret: 'included' | 'not-included' | 'none';
	/** HMAC of a fixed text under the secret: tells at restore whether the secret in place is the right one. */
	secretCheck: string | null;
}

const sha256 = () => createHash('sha256');
export const secretCheckOf = (secret: string) =>
	createHmac('sha256', secret).update('minka-backup-secret-check').digest('hex').slice(0, 32);

function currentSecret(p: InstallationPaths): string | null {
	if (p.envSecret) return p.envSecret;
	return existsSync(p.secretFile) ? readFileSync(p.secretFile, 'utf8').trim() : null;
}

/** Files under a folder, relative with `/`, skipping symlinks and anything that must never be backed up. */
function listFiles(root: string, skip: (abs: string) => boolean): string[] {
	const out: string[] = [];
	if (!existsSync(root)) return out;
	const walk = (dir: string) => {
		for (const name of readdirSync(dir).sort()) {
			const abs = join(dir, name);
			if (skip(abs)) continue;
			const st = lstatSync(abs);
			if (st.isDirectory()) walk(abs);
			else if (st.isFile()) out.push(relative(root, abs).split(sep).join('/'));
		}
	};
	walk(root);
	return out;
}

export interface BackupResult {
	archive: string;
	files: number;
	bytes: number;
	secret: Manifest['secret'];
	/** Where the secret is now (file or environment), for the message. */
	secretWhere: string;
}

/** Writes the archive (atomically: `.part` then rename). `includeSecret` puts the secret itself inside it. */
export function writeBackup(
	p: InstallationPaths,
	archive: string,
	opts: { includeSecret?: boolean } = {}
): BackupResult {
	if (!existsSync(p.database)) throw new Error(`No database at ${p.database}`);
	mkdirSync(dirname(archive), { recursive: true });
	const part = `${archive}.part`;
	const snapshot = `${archive}.db.tmp`;
	rmSync(snapshot, { force: true });
	const src = new Database(p.database, { readonly: true, fileMustExist: true });
	try {
		src.prepare('VACUUM INTO ?').run(snapshot);
	} finally {
		src.close();
	}
	const fd = openSync(part, 'w', 0o600);
	let failure: Error | null = null;
	const zip = new Zip((err, chunk) => {
		if (err) failure = err;
		else writeSync(fd, chunk);
	});
	const dataDir = resolve(dirname(p.database));
	const never = new Set(
		[p.database, `${p.database}-wal`, `${p.database}-shm`, p.secretFile, archive, part, snapshot].map((f) => resolve(f))
	);
	const skip = (abs: string) => {
		const r = resolve(abs);
		return (
			never.has(r) ||
			r === join(dataDir, 'round-keys') ||
			r.startsWith(join(dataDir, 'round-keys') + sep) ||
			r === join(dataDir, 'backups') ||
			r === join(dataDir, 'census-imports') ||
			r.endsWith('.key') ||
			r.endsWith('.part')
		);
	};
	try {
		// the database snapshot, deflated, read in chunks (constant memory)
		const dbEntry = new ZipDeflate(DB_ENTRY, { level: 6 });
		zip.add(dbEntry);
		const dbHash = sha256();
		const dbFd = openSync(snapshot, 'r');
		const dbBytes = fstatSync(dbFd).size;
		const buf = Buffer.alloc(CHUNK);
		let read = 0;
		for (;;) {
			const n = readSync(dbFd, buf, 0, CHUNK, null);
			read += n;
			const last = read >= dbBytes || n === 0;
			const chunk = new Uint8Array(buf.subarray(0, n));
			dbHash.update(chunk);
			dbEntry.push(chunk, last);
			if (last) break;
		}
		closeSync(dbFd);
		// every uploaded file, stored as is (photos and PDFs are already compressed)
		const files: Manifest['files'] = [];
		for (const rel of listFiles(p.uploads, skip)) {
			const bytes = readFileSync(join(p.uploads, rel));
			const entry = new ZipPassThrough(`uploads/${rel}`);
			zip.add(entry);
			entry.push(new Uint8Array(bytes), true);
			files.push({ path: rel, bytes: bytes.length, sha256: sha256().update(bytes).digest('hex') });
		}
		const secret = currentSecret(p);
		const secretState: Manifest['secret'] = !secret ? 'none' : opts.includeSecret ? 'included' : 'not-included';
		if (secret && opts.includeSecret) {
			const entry = new ZipDeflate(SECRET_ENTRY);
			zip.add(entry);
			entry.push(strToU8(secret + '\n'), true);
		}
		const manifest: Manifest = {
			format: BACKUP_FORMAT,
			createdAt: new Date().toISOString(),
			database: { entry: DB_ENTRY, bytes: dbBytes, sha256: dbHash.digest('hex') },
			files,
			secret: secretState,
			secretCheck: secret ? secretCheckOf(secret) : null
		};
		for (const [name, text] of [
			['manifest.json', JSON.stringify(manifest, null, 1)],
			['README.txt', readme(p, manifest)]
		]) {
			const entry = new ZipDeflate(name);
			zip.add(entry);
			entry.push(strToU8(text), true);
		}
		zip.end();
		if (failure) throw failure;
		closeSync(fd);
		renameSync(part, archive);
		return {
			archive,
			files: files.length,
			bytes: files.reduce((s, f) => s + f.bytes, dbBytes),
			secret: secretState,
			secretWhere: p.envSecret ? 'the MINKA_SECRET environment variable' : p.secretFile
		};
	} catch (e) {
		try {
			closeSync(fd);
		} catch {
			/* already closed */
		}
		rmSync(part, { force: true });
		throw e;
	} finally {
		rmSync(snapshot, { force: true });
	}
}

function readme(p: InstallationPaths, m: Manifest): string {
	const secretLines =
		m.secret === 'included'
			? [
					'THIS ARCHIVE CONTAINS THE SERVER SECRET (secret/minka-secret.key), because it was asked for with',
					'--include-secret. Whoever holds this file can match DNIs to the census: keep it locked away like the',
					'secret itself.'
				]
			: [
					'THE SERVER SECRET IS NOT IN THIS ARCHIVE. Keep it separately and safely: it is',
					p.envSecret
						? 'the MINKA_SECRET environment variable of the server.'
						: `the file ${p.secretFile} (minka-secret.key beside the database).`,
					'Without it the DNIs in this database can no longer be matched to the census or to logins.',
					'(npm run backup -- --include-secret puts it inside the archive instead.)'
				];
	return (
		[
			`Minka backup taken ${m.createdAt}.`,
			`It holds the database (${m.database.bytes} bytes) and ${m.files.length} uploaded files with their SHA-256`,
			'(manifest.json). Voting key files (round-keys/) are never included.',
			'',
			...secretLines,
			'',
			'Restore into an empty data folder (stop Minka first, set DATABASE_URL / MINKA_UPLOADS as on the server):',
			'  npm run restore -- <this archive>'
		].join('\n') + '\n'
	);
}

export interface RestoreResult {
	database: string;
	uploads: string;
	files: number;
	/** What happened with the secret, in plain words. */
	secret: 'restored' | 'kept-env-matches' | 'in-place-matches' | 'missing' | 'mismatch' | 'none-in-backup';
}

function safeEntry(name: string): string {
	const n = normalize(name);
	if (isAbsolute(n) || n.startsWith('..') || n.split(sep).includes('..')) throw new Error(`unsafe entry ${name}`);
	return n;
}

/**
 * Restores an archive into an empty data folder: refuses when the database already exists or the uploads folder holds
 * anything. Checks every file against the manifest's SHA-256 and the database's integrity.
 */
export function restoreBackup(p: InstallationPaths, archive: string): RestoreResult {
	if (existsSync(p.database))
		throw new Error(`A database already exists at ${p.database}: restore only into an empty data folder`);
	if (existsSync(p.uploads) && readdirSync(p.uploads).length)
		throw new Error(`The uploads folder ${p.uploads} is not empty: restore only into an empty data folder`);
	const staging = `${p.database}.restoring`;
	rmSync(staging, { recursive: true, force: true });
	mkdirSync(staging, { recursive: true });
	const written = new Map<string, { bytes: number; sha256: string }>();
	let failure: Error | null = null;
	const uz = new Unzip((file) => {
		let rel: string;
		try {
			rel = safeEntry(file.name);
		} catch (e) {
			failure = e as Error;
			return;
		}
		if (rel.endsWith(sep)) return;
		const target = join(staging, rel);
		mkdirSync(dirname(target), { recursive: true });
		const fd = openSync(target, 'w', rel === normalize(SECRET_ENTRY) ? 0o600 : 0o644);
		const hash = sha256();
		let bytes = 0;
		file.ondata = (err, chunk, final) => {
			if (err) {
				failure = err;
				return;
			}
			writeSync(fd, chunk);
			hash.update(chunk);
			bytes += chunk.length;
			if (final) {
				closeSync(fd);
				written.set(rel.split(sep).join('/'), { bytes, sha256: hash.digest('hex') });
			}
		};
		file.start();
	});
	uz.register(UnzipInflate);
	const fd = openSync(archive, 'r');
	const size = fstatSync(fd).size;
	const buf = Buffer.alloc(CHUNK);
	let read = 0;
	try {
		while (read < size) {
			const n = readSync(fd, buf, 0, CHUNK, null);
			if (!n) break;
			read += n;
			uz.push(new Uint8Array(buf.subarray(0, n)), read >= size);
		}
	} finally {
		closeSync(fd);
	}
	try {
		if (failure) throw failure;
		const manifestPath = join(staging, 'manifest.json');
		if (!existsSync(manifestPath)) throw new Error(`${archive}: not a Minka backup (no manifest.json)`);
		const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
		if (m.format !== BACKUP_FORMAT) throw new Error(`${archive}: unknown format ${m.format}`);
		const check = (entry: string, want: { bytes: number; sha256: string }) => {
			const got = written.get(entry);
			if (!got || got.sha256 !== want.sha256) throw new Error(`${archive}: ${entry} is missing or damaged`);
		};
		check(m.database.entry, m.database);
		for (const f of m.files) check(`uploads/${f.path}`, f);
		// integrity of the database before putting it in place
		const restoredDb = join(staging, m.database.entry);
		const probe = new Database(restoredDb, { readonly: true });
		const ok = probe.pragma('integrity_check', { simple: true });
		probe.close();
		if (ok !== 'ok') throw new Error(`${archive}: the database fails SQLite's integrity check (${ok})`);
		// into place
		mkdirSync(dirname(p.database), { recursive: true });
		renameSync(restoredDb, p.database);
		mkdirSync(p.uploads, { recursive: true });
		for (const f of m.files) {
			const to = join(p.uploads, f.path);
			mkdirSync(dirname(to), { recursive: true });
			renameSync(join(staging, 'uploads', f.path), to);
		}
		let secret: RestoreResult['secret'];
		const inArchive = join(staging, SECRET_ENTRY);
		if (m.secret === 'none') secret = 'none-in-backup';
		else if (existsSync(inArchive) && !p.envSecret && !existsSync(p.secretFile)) {
			renameSync(inArchive, p.secretFile);
			secret = 'restored';
		} else {
			const now = currentSecret(p);
			if (!now) secret = 'missing';
			else if (m.secretCheck && secretCheckOf(now) !== m.secretCheck) secret = 'mismatch';
			else secret = p.envSecret ? 'kept-env-matches' : 'in-place-matches';
		}
		return { database: p.database, uploads: p.uploads, files: m.files.length, secret };
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}
