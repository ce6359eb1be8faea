import type { Db } from './client';

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * A query prepared once per database connection and reused: building a Drizzle query and preparing its SQL costs
 * more than running it, which matters on the hot paths (every request's session check, casting a ballot). Statements
 * run on the same connection, so they also run inside an open transaction.
 */
export function prepared<T>(db: Db, key: string, build: () => T): T {
	// A transaction object has no $client; its session holds the same connection.
	const client = ((db as unknown as { session?: { client?: object } }).session?.client ?? db.$client) as object;
	let perConnection = cache.get(client);
	if (!perConnection) cache.set(client, (perConnection = new Map()));
	let query = perConnection.get(key) as T | undefined;
	if (!query) perConnection.set(key, (query = build()));
	return query;
}
