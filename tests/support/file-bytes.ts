/**
 * What an attacker holding the database file and its WAL can find in their raw bytes, whatever SQLite says is live:
 * the tests of the secrecy step (seal, publication) look there for every old tag, DNI HMAC and id.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';

/** The main file's bytes and the WAL's (empty when there is none). */
export function fileBytes(file: string): { main: Buffer; wal: Buffer } {
	const wal = `${file}-wal`;
	return { main: readFileSync(file), wal: existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0) };
}

/** Every 64-character lowercase hex string in the bytes (tags, DNI HMACs, receipt hashes), in one pass. */
export function hex64(bytes: Buffer): Set<string> {
	const out = new Set<string>();
	for (const m of bytes.toString('latin1').matchAll(/[0-9a-f]{64,}/g))
		for (let i = 0; i + 64 <= m[0].length; i++) out.add(m[0].slice(i, i + 64));
	return out;
}

/** How many of the hex values are in the main file or the WAL. */
export function hexFound(file: string, values: string[]): string[] {
	const { main, wal } = fileBytes(file);
	const seen = new Set([...hex64(main), ...hex64(wal)]);
	return values.filter((v) => seen.has(v));
}

/**
 * The ways SQLite writes an integer id: as a rowid (a varint, in table cells and interior pages) and as a column or an
 * index key (big-endian, 6 or 8 bytes). Ids are random below 2^48, so any of these byte strings is as good as unique.
 */
export function idPatterns(n: number): Buffer[] {
	const varint: number[] = [];
	let v = BigInt(n);
	const low: number[] = [Number(v & 0x7fn)];
	v >>= 7n;
	while (v > 0n) {
		low.push(Number(v & 0x7fn) | 0x80);
		v >>= 7n;
	}
	varint.push(...low.reverse());
	const be8 = Buffer.alloc(8);
	be8.writeBigInt64BE(BigInt(n));
	const out = [Buffer.from(varint), be8];
	if (n < 2 ** 47) out.push(be8.subarray(2));
	return out;
}

/** The ids of which some encoding is in the main file or the WAL. */
export function idsFound(file: string, ids: number[]): number[] {
	const { main, wal } = fileBytes(file);
	return ids.filter((id) => idPatterns(id).some((p) => main.includes(p) || wal.includes(p)));
}

/**
 * Where in the main file each of the hex values lies: the name of the table or index owning each page it is found on
 * (SQLite's dbstat), '(free)' for a page no b-tree owns (the freelist); and whether the WAL holds it. For values that
 * legitimately live on elsewhere (a voter's DNI HMAC stays on their person row when the roll is reduced to counts).
 */
export function hexOwners(file: string, values: string[]): { owners: Map<string, Set<string>>; inWal: string[] } {
	const { main, wal } = fileBytes(file);
	const db = new Database(file, { readonly: true, fileMustExist: true });
	const pageSize = db.pragma('page_size', { simple: true }) as number;
	const owner = new Map(
		(db.prepare('SELECT pageno, name FROM dbstat').all() as { pageno: number; name: string }[]).map((p) => [
			p.pageno,
			p.name
		])
	);
	db.close();
	const text = main.toString('latin1');
	const owners = new Map<string, Set<string>>();
	for (const v of values) {
		const at = new Set<string>();
		for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + 1))
			at.add(owner.get(Math.floor(i / pageSize) + 1) ?? '(free)');
		owners.set(v, at);
	}
	const walSeen = hex64(wal);
	return { owners, inWal: values.filter((v) => walSeen.has(v)) };
}
