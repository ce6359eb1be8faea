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

/** Opens (creating if needed) a database file, sets the durability pragmas and applies pending migrations. */
export function openDatabase(path: string): Db {
	mkdirSync(dirname(path), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	// FULL: a ballot is acknowledged only once it is on disk.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = drizzle(sqlite, { schema }) as Db;
	migrate(db, { migrationsFolder: migrationsFolder() });
	return db;
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

/** Synchronous row count (drizzle's $count is awaitable only, which better-sqlite3 code cannot use). */
export function countRows(db: Db, table: SQLiteTable, where?: SQL): number {
	return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}
