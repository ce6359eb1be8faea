/**
 * An attacker who holds the database file (main and WAL bytes), a backup and MINKA_SECRET, and knows who voted,
 * tries to link ballots to voters. Schema-agnostic on purpose (raw SQL over whatever tables and columns exist), so
 * the same attacker runs against the old schema (where it succeeds) and the new one (where it must find nothing).
 *
 * truth: the voters in the order they cast, each with what the attacker could know about them (person id, user id,
 * DNI HMAC) and, only to score the attack, the canonical content of their counted ballot.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface Voter {
	personId: number;
	userId: number;
	dniHmac: string;
	/** Canonical content of the counted ballot: the section choices as JSON strings, sorted, joined by '|'. */
	content: string;
	/** A receipt code a coercer made this voter hand over (web and assisted), if any. */
	receipt?: string;
	/** The channel, for the time-proximity attack on assisted ballots. */
	channel: 'web' | 'assisted';
}

export interface AttackReport {
	/** Links through a column (person/user id, DNI HMAC, receipt → ballot id): must be 0. */
	direct: number;
	/** Best of the order attacks (id, sequence, time columns, byte position in main/WAL/backup files, audit order). */
	byOrder: { attack: string; correct: number }[];
	/** Assisted ballots paired with a roll mark by nearest time. */
	byTime: number;
	/** Bytes of any DNI HMAC found next to content in the files (should not be there at all in ballot rows). */
	notes: string[];
}

const receiptHash = (code: string) =>
	createHash('sha256')
		.update('receipt:' + code.toUpperCase().replace(/[^A-Z0-9]/g, ''))
		.digest('hex');

function columns(db: Database.Database, table: string): string[] {
	return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

/** Content of every ballot row: ballot id → canonical content (from whichever table holds `choices`). */
function contents(db: Database.Database): Map<number, string> {
	const secs = db.prepare('SELECT ballot_id AS b, choices FROM ballot_section').all() as {
		b: number;
		choices: string;
	}[];
	const by = new Map<number, string[]>();
	for (const s of secs) by.set(s.b, [...(by.get(s.b) ?? []), s.choices]);
	return new Map([...by].map(([b, cs]) => [b, cs.sort().join('|')]));
}

function score(pairs: [string | undefined, Voter][]): number {
	return pairs.filter(([content, v]) => content !== undefined && content === v.content).length;
}

export function attack(files: { main: string; wal?: string; backup?: string }, truth: Voter[]): AttackReport {
	const db = new Database(files.backup ?? files.main, { readonly: true, fileMustExist: true });
	const report: AttackReport = { direct: 0, byOrder: [], byTime: 0, notes: [] };
	const content = contents(db);
	const ballotCols = columns(db, 'ballot');
	const ballotsRows = db.prepare('SELECT * FROM ballot').all() as Record<string, unknown>[];
	const web = truth.filter((v) => v.channel === 'web');

	// 1. Every column of every ballot row against everything known about each voter.
	for (const row of ballotsRows) {
		const c = content.get(row.id as number);
		for (const v of truth) {
			const hit = ballotCols.some((col) => {
				const x = row[col];
				if (x === null || x === undefined || col === 'id' || col.endsWith('municipality_id') || col === 'round_id')
					return false;
				if (x === v.dniHmac) return true;
				if (/person|voter/.test(col) && x === v.personId) return true;
				if (/user/.test(col) && x === v.userId) return true;
				return false;
			});
			if (hit && c === v.content) report.direct++;
		}
	}
	// 2. A coerced receipt: find the row holding its hash, and from it a ballot.
	const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
		(t) => t.name
	);
	for (const v of truth) {
		if (!v.receipt) continue;
		const h = receiptHash(v.receipt);
		for (const t of tables) {
			for (const col of columns(db, t)) {
				const rows = db.prepare(`SELECT * FROM "${t}" WHERE "${col}" = ?`).all(h) as Record<string, unknown>[];
				for (const r of rows) {
					const ballotId = t === 'ballot' ? r.id : (r.ballot_id ?? undefined);
					if (ballotId !== undefined && content.get(ballotId as number) === v.content) report.direct++;
				}
			}
		}
	}
	// 3. Order attacks on web ballots: by id, by any sequence or time column, by position in each file.
	const counted = ballotsRows.filter((r) => r.status === 'counted' && r.channel === 'web');
	const orderBy = (name: string, key: (r: Record<string, unknown>) => number | undefined) => {
		const withKey = counted.filter((r) => key(r) !== undefined);
		if (withKey.length < web.length) return;
		const sorted = [...withKey].sort((a, b) => key(a)! - key(b)!).slice(0, web.length);
		report.byOrder.push({
			attack: name,
			correct: score(sorted.map((r, i) => [content.get(r.id as number), web[i]] as [string | undefined, Voter]))
		});
	};
	orderBy('id', (r) => r.id as number);
	for (const col of ballotCols.filter((c) => /seq|_at$|time/.test(c)))
		orderBy(col, (r) => (r[col] === null ? undefined : Number(r[col])));
	for (const [name, path] of Object.entries(files)) {
		if (!path || !existsSync(path)) continue;
		const bytes = readFileSync(path);
		orderBy(`bytes:${name}`, (r) => {
			const c = content.get(r.id as number);
			if (!c) return undefined;
			const longest = c.split('|').sort((a, b) => b.length - a.length)[0];
			const at = bytes.indexOf(Buffer.from(longest));
			return at < 0 ? undefined : at;
		});
	}
	// 4. Audit trail: ballot events carrying a ballot number, in chain order.
	const events = tables.includes('audit_event')
		? (db.prepare(`SELECT payload FROM audit_event WHERE type = 'ballot.accepted' ORDER BY seq`).all() as {
				payload: string;
			}[])
		: [];
	const numbers = events.map((e) => Object.values(JSON.parse(e.payload)).filter((x) => typeof x === 'number'));
	for (const col of ballotCols.filter((c) => c !== 'round_id' && c !== 'municipality_id' && c !== 'station_id')) {
		const byValue = new Map(counted.map((r) => [r[col], r]));
		const webEventsHit = numbers.map((ns) => ns.map((n) => byValue.get(n)).find(Boolean)).filter(Boolean);
		if (webEventsHit.length >= web.length)
			report.byOrder.push({
				attack: `audit:${col}`,
				correct: score(
					webEventsHit
						.slice(0, web.length)
						.map((r, i) => [content.get(r!.id as number), web[i]] as [string | undefined, Voter])
				)
			});
	}
	// 5. Assisted ballots by time: a roll table with a person and a time, a ballot with a time.
	const assisted = truth.filter((v) => v.channel === 'assisted');
	const timeCol = ballotCols.find((c) => /cast_at/.test(c));
	if (timeCol && tables.includes('roll_mark')) {
		const marks = db.prepare('SELECT person_id AS p, marked_at AS t FROM roll_mark').all() as {
			p: number;
			t: number;
		}[];
		const aBallots = ballotsRows.filter((r) => r.channel === 'assisted');
		for (const v of assisted) {
			const m = marks.find((x) => x.p === v.personId);
			if (!m) continue;
			const nearest = [...aBallots].sort(
				(a, b) => Math.abs(Number(a[timeCol]) - m.t) - Math.abs(Number(b[timeCol]) - m.t)
			)[0];
			if (nearest && content.get(nearest.id as number) === v.content) report.byTime++;
		}
	}
	db.close();
	return report;
}
