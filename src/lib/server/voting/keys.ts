/**
 * The per-round replacement key: a random 32-byte file in the data folder, beside the database — never in the
 * database, never in a backup (`npm run backup` skips `round-keys/`). A web ballot's tag is
 * HMAC(key, DNI HMAC): with the key, a replacement or an in-person void finds the ballot held under a DNI; without
 * it (deleted when the voting window ends) nothing can.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../db/client';

/** The connection under a database or a transaction object (a transaction has no $client; its session does). */
export function connectionOf(db: Db): Db['$client'] {
	return ((db as unknown as { session?: { client?: Db['$client'] } }).session?.client ?? db.$client) as Db['$client'];
}

export function roundKeyPath(db: Db, roundId: number): string {
	return join(dirname(resolve(connectionOf(db).name)), 'round-keys', `round-${roundId}.key`);
}

/**
 * Keys read from their files, by path, with the file's identity when read. Every cast needs its round's key: one
 * stat per cast instead of open/read/close. The file stays the authority: a key file deleted (the end of the voting
 * window, or lost) or replaced is seen at the next use, and deleteRoundKey drops the copy held here.
 */
const keyCache = new Map<string, { ino: number; mtimeMs: number; size: number; key: Buffer }>();

/**
 * The round's key. create: make it if absent (atomically: two processes racing both end with the same key).
 * Returns null when absent and not created.
 */
export function roundKey(db: Db, roundId: number, create: boolean): Buffer | null {
	const path = roundKeyPath(db, roundId);
	const st = statSync(path, { throwIfNoEntry: false });
	if (st) {
		const held = keyCache.get(path);
		if (held && held.ino === st.ino && held.mtimeMs === st.mtimeMs && held.size === st.size) return held.key;
		const key = readFileSync(path);
		keyCache.set(path, { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, key });
		return key;
	}
	keyCache.delete(path);
	if (!create) return null;
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
	writeFileSync(tmp, randomBytes(32), { mode: 0o600 });
	try {
		linkSync(tmp, path); // fails if another process made it first: then theirs is the key
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	} finally {
		unlinkSync(tmp);
	}
	return roundKey(db, roundId, false);
}

export function deleteRoundKey(db: Db, roundId: number) {
	const path = roundKeyPath(db, roundId);
	keyCache.delete(path);
	rmSync(path, { force: true });
}

export function ballotTag(key: Buffer, dniHmac: string): string {
	return createHmac('sha256', key).update(dniHmac).digest('hex');
}

/** A station look-up's DNI in the audit trail: keyed by the round's key, so it means nothing once voting ends. */
export function lookupTag(key: Buffer, dniHmac: string): string {
	return createHmac('sha256', key)
		.update('lookup:' + dniHmac)
		.digest('hex');
}
