/**
 * Why the seal and publishing still VACUUM (seal.ts, docs/decisions.md): SQLite's secure_delete, on from the first
 * write, zeroes a deleted cell, a freeblock and a freed page, but not the stale copies a b-tree rebalance leaves
 * behind. When a page is rebuilt during a split (btree.c: editPage falls back to rebuildPage), its cells are rewritten
 * from the end of the page and the space between the cell pointers and the new content keeps the bytes that were
 * there: copies of cells that were live then. When such a cell is later nulled or deleted, secure_delete zeroes the
 * live copy only. Measured on SQLite 3.53 (better-sqlite3): 0–2 of 20 000 tags and 1–3 of 10 000 DNI HMACs per run
 * stayed in the file, always in the unallocated space of a table leaf page; none after VACUUM.
 *
 * The data are drawn from a fixed seed, so the pages split the same way on every run. If SQLite ever zeroes those
 * copies this test fails: then the VACUUM could be reconsidered (the WAL would still need truncating).
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexFound } from '../../../../tests/support/file-bytes';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** A random-looking id below 2^48, as the ballots' (ballots.ts randomId), from a fixed seed. */
const id = (s: string) => parseInt(hex(s).slice(0, 12), 16) + 1;

function open() {
	const file = join(mkdtempSync(join(tmpdir(), 'minka-securedel-')), 't.db');
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	db.pragma('secure_delete = ON');
	return { db, file };
}

const found = (file: string, values: string[]) => hexFound(file, values).length;

function emptyWal(db: Database.Database) {
	expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
}

describe('secure_delete on from the first write, without VACUUM', () => {
	it('leaves old tags of ballots that stay (tags nulled at the seal) in the file', () => {
		const { db, file } = open();
		db.exec(`CREATE TABLE ballot (id INTEGER PRIMARY KEY, round_id INT, status TEXT, tag TEXT);
			CREATE INDEX ballot_tag ON ballot (round_id, tag)`);
		const cast = db.prepare("INSERT INTO ballot VALUES (?, 1, 'counted', ?)");
		const supersede = db.prepare("UPDATE ballot SET status = 'superseded' WHERE id = ?");
		const tags: string[] = [];
		const ids: number[] = [];
		db.transaction(() => {
			for (let i = 0; i < 20_000; i++) {
				tags.push(hex(`tag ${i}`));
				ids.push(id(`ballot ${i}`));
				cast.run(ids[i], tags[i]);
				// a re-vote now and then: the row grows, its old cell is freed (and zeroed)
				if (i % 5 === 4) supersede.run(ids[parseInt(hex(`re ${i}`).slice(0, 8), 16) % i]);
			}
		})();
		db.exec('UPDATE ballot SET tag = NULL');
		emptyWal(db);
		expect(db.prepare('SELECT count(*) FROM ballot WHERE tag IS NOT NULL').pluck().get()).toBe(0);
		expect(found(file, tags)).toBeGreaterThan(0);
		db.exec('VACUUM');
		emptyWal(db);
		expect(found(file, tags)).toBe(0);
		db.close();
	});

	it("leaves DNI HMACs of a published round's roll in the file when another round's roll shares its pages", () => {
		const { db, file } = open();
		db.exec(`CREATE TABLE roll_entry (id INTEGER PRIMARY KEY, round_id INT, dni_hmac TEXT, channel TEXT, day TEXT);
			CREATE UNIQUE INDEX roll_entry_dni ON roll_entry (round_id, dni_hmac)`);
		const mark = db.prepare(
			"INSERT INTO roll_entry (round_id, dni_hmac, channel, day) VALUES (?, ?, 'web', '2027-05-01')"
		);
		const published: string[] = [];
		db.transaction(() => {
			// two municipalities voting at the same time: their rows interleave in the table
			for (let i = 0; i < 20_000; i++) {
				const dni = hex(`dni ${i}`);
				mark.run(1 + (i % 2), dni);
				if (i % 2 === 0) published.push(dni);
			}
		})();
		db.exec('DELETE FROM roll_entry WHERE round_id = 1');
		emptyWal(db);
		expect(found(file, published)).toBeGreaterThan(0);
		db.exec('VACUUM');
		emptyWal(db);
		expect(found(file, published)).toBe(0);
		db.close();
	});
});
