import type { Statement } from 'better-sqlite3';
import type { Db } from './client';

/**
 * Reads kept until the database changes. The key is a version that moves on every write: this connection's
 * `total_changes()` (its own inserts, updates and deletes, committed or not) and `PRAGMA data_version` (commits by any
 * other connection: a worker thread, a CLI). So a page that many people read at once (turnout, the published result)
 * costs one aggregate query per change of the data instead of one per request, and is never stale. Never used inside a
 * transaction (what it sees might be rolled back). The value is shared between callers: treat it as read-only.
 */
interface PerConnection {
	version: Statement;
	entries: Map<string, { version: string; value: unknown }>;
}

const caches = new WeakMap<object, PerConnection>();
const LIMIT = 200;

function perConnection(client: Db['$client']): PerConnection {
	let c = caches.get(client);
	if (!c) {
		c = {
			version: client.prepare('SELECT total_changes() AS c, (SELECT data_version FROM pragma_data_version) AS v'),
			entries: new Map()
		};
		caches.set(client, c);
	}
	return c;
}

/** The data's version as seen by this connection; null inside a transaction (nothing may be kept then). */
export function dataVersion(db: Db): string | null {
	const client = db.$client as Db['$client'] | undefined;
	if (!client || client.inTransaction) return null;
	const r = perConnection(client).version.get() as { c: number; v: number };
	return `${r.c}:${r.v}`;
}

export function cachedRead<T>(db: Db, key: string, read: () => T): T {
	const version = dataVersion(db);
	if (version === null) return read();
	const c = perConnection(db.$client);
	const hit = c.entries.get(key);
	if (hit && hit.version === version) return hit.value as T;
	const value = read();
	c.entries.delete(key);
	// a read that wrote (sealing a round whose window ended) is kept only under the version it left behind
	const after = dataVersion(db);
	if (after !== null) c.entries.set(key, { version: after, value });
	if (c.entries.size > LIMIT) c.entries.delete(c.entries.keys().next().value!);
	return value;
}
