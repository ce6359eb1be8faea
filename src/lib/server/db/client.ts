import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema/index';
import { count, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function databasePath(): string {
	const url = process.env.DATABASE_URL ?? './data/minka.db';
	return resolve(url.replace(/^file:/, ''));
}

export function migrationsFolder(): string {
	return resolve(process.env.MINKA_MIGRATIONS ?? 'drizzle');
}

/**
 * Opens (creating if needed) a database file, sets the durability pragmas and applies pending migrations.
 * secure_delete: what a write deletes or replaces is zeroed in place (a superseded ballot's row, a roll row's DNI
 * HMAC), on every connection that writes ballots, receipts or the roll (this one; attachDatabase's, the workers'). Not
 * the whole scrub: stale copies a b-tree rebalance leaves need the VACUUM of voting/seal.ts (docs/decisions.md).
 */
export function openDatabase(path: string): Db {
	mkdirSync(dirname(path), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	// FULL: a ballot is acknowledged only once it is on disk.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('secure_delete = ON');
	const db = drizzle(sqlite, { schema }) as Db;
	migrate(db, { migrationsFolder: migrationsFolder() });
	return db;
}

/**
 * A second connection to a database file the server already opened and migrated: a worker thread's own (heavy reads
 * there never hold the server's thread). Same pragmas; writes wait for the lock like any other writer.
 */
export function attachDatabase(path: string): Db {
	const sqlite = new Database(path, { fileMustExist: true });
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	sqlite.pragma('secure_delete = ON');
	return drizzle(sqlite, { schema }) as Db;
}

let current: Db | undefined;

/** The process-wide database, opened on first use. */
export function getDb(): Db {
	current ??= openDatabase(databasePath());
	return current;
}

/** Tests and scripts point the process at another file. */
export function useDatabase(db: Db): void {
	current = db;
}

/** Runs fn in one IMMEDIATE transaction: the write lock is taken up front, so concurrent writers queue instead of failing. */
export function writeTx<T>(db: Db, fn: (tx: Db) => T): T {
	return db.transaction((tx) => fn(tx as unknown as Db), { behavior: 'immediate' });
}

/** Runs fn in one DEFERRED transaction that only reads: one consistent view, and in WAL mode no lock on writers. */
export function readTx<T>(db: Db, fn: (tx: Db) => T): T {
	return db.transaction((tx) => fn(tx as unknown as Db), { behavior: 'deferred' });
}

/** Synchronous row count (drizzle's $count is awaitable only, which better-sqlite3 code cannot use). */
export function countRows(db: Db, table: SQLiteTable, where?: SQL): number {
	return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}

interface PendingWrite {
	db: Db;
	fn: (tx: Db) => unknown;
	resolve: (value: unknown) => void;
	reject: (reason: unknown) => void;
}

const pending: PendingWrite[] = [];
let flushScheduled = false;
const GROUP_LIMIT = 64;

function flushGroup() {
	flushScheduled = false;
	while (pending.length) {
		const group = pending.splice(0, GROUP_LIMIT);
		const db = group[0].db;
		const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
		try {
			// One IMMEDIATE transaction and one fsync for the whole group; each write runs in its own savepoint, so a
			// refused write rolls back alone and the others still commit.
			db.$client
				.transaction(() => {
					for (const job of group) {
						try {
							outcomes.push({ ok: true, value: db.transaction((tx) => job.fn(tx as unknown as Db)) });
						} catch (error) {
							outcomes.push({ ok: false, error });
						}
					}
				})
				.immediate();
		} catch (error) {
			for (const job of group) job.reject(error);
			continue;
		}
		// Only now, with the commit durable, does anyone hear back.
		group.forEach((job, i) => {
			const o = outcomes[i];
			if (o.ok) job.resolve(o.value);
			else job.reject(o.error);
		});
	}
}

/**
 * Like writeTx, for hot paths under concurrency (casting ballots): writes that arrive in the same turn of the event
 * loop share one transaction and one fsync (group commit). Each resolves only after that commit; each write is
 * isolated in a savepoint. Use it only with databases of the same connection per group (all callers use getDb()).
 */
export function groupWrite<T>(db: Db, fn: (tx: Db) => T): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		if (pending.length && pending[0].db !== db) flushGroup();
		pending.push({ db, fn, resolve: resolve as (v: unknown) => void, reject });
		if (!flushScheduled) {
			flushScheduled = true;
			setImmediate(flushGroup);
		}
	});
}
