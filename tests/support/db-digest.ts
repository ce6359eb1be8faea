import { createHash } from 'node:crypto';
import type { Db } from '../../src/lib/server/db/client';

/** Counters of refused attempts: a refusal is allowed (expected) to count itself there. */
const COUNTERS = new Set(['rate_limit', 'signup_throttle', 'signup_dni_check', 'session', 'upload_usage']);

/**
 * A digest of every row that belongs to the given municipalities (tables with a municipality_id) or to their rounds
 * (tables with a round_id), audit events included, throttling counters and sessions left out. Other tests write to the
 * same database file at the same time; their rows are not in the digest.
 */
export function municipalityDigest(db: Db, municipalityIds: number[]): string {
	const raw = db.$client;
	const h = createHash('sha256');
	const marks = municipalityIds.map(() => '?').join(', ');
	const roundIds = (
		raw.prepare(`SELECT id FROM round WHERE municipality_id IN (${marks}) ORDER BY id`).all(...municipalityIds) as {
			id: number;
		}[]
	).map((r) => r.id);
	const tables = raw
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		.all() as { name: string }[];
	for (const { name } of tables) {
		if (COUNTERS.has(name)) continue;
		const cols = (raw.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
		const [scope, ids] = cols.includes('municipality_id')
			? ['municipality_id', municipalityIds]
			: cols.includes('round_id')
				? ['round_id', roundIds]
				: [null, []];
		if (!scope || !ids.length) continue;
		const rows = raw
			.prepare(`SELECT * FROM "${name}" WHERE ${scope} IN (${ids.map(() => '?').join(', ')}) ORDER BY rowid`)
			.all(...ids);
		h.update(name).update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
	}
	return h.digest('hex');
}
