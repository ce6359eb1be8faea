/** Issue 17 point 5: aggregate reads kept until the data changes, never stale, never inside a transaction. */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from './client';
import { cachedRead, recentRead } from './read-cache';
import { municipalities } from './schema/index';

let db: Db;
let reads = 0;
const countTowns = (d: Db) =>
	cachedRead(d, 'towns', () => {
		reads++;
		return { n: d.select({ n: count() }).from(municipalities).get()!.n };
	});
const addTown = (d: Db, ubigeo: string) =>
	d
		.insert(municipalities)
		.values({
			slug: `t-${ubigeo}`,
			ubigeo,
			name: `Town ${ubigeo}`,
			kind: 'distrital',
			department: 'Cusco',
			province: 'Cusco',
			defaultLocale: 'es',
			createdAt: Date.now()
		})
		.run();

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-read-cache-')), 'test.db'));
});

describe('cachedRead', () => {
	it('reads once while nothing changes, and the same value is shared', () => {
		const a = countTowns(db);
		const b = countTowns(db);
		expect(b).toBe(a);
		expect(reads).toBe(1);
	});

	it('reads again after a write on this connection', () => {
		const before = countTowns(db).n;
		addTown(db, '080201');
		expect(countTowns(db).n).toBe(before + 1);
		expect(reads).toBe(2);
	});

	it('reads again after a commit by another connection (a worker, a CLI)', () => {
		const before = countTowns(db).n;
		const other = openDatabase(db.$client.name);
		addTown(other, '080202');
		other.$client.close();
		expect(countTowns(db).n).toBe(before + 1);
		expect(reads).toBe(3);
	});

	it('inside a transaction it reads every time and keeps nothing (the transaction may roll back)', () => {
		const before = countTowns(db).n;
		const r = reads;
		expect(() =>
			writeTx(db, (tx) => {
				addTown(tx, '080203');
				expect(cachedRead(db, 'towns', () => ({ n: before + 1 })).n).toBe(before + 1);
				throw new Error('rolled back');
			})
		).toThrow('rolled back');
		expect(countTowns(db).n).toBe(before);
		expect(reads).toBe(r + 1);
	});
});

describe('recentRead', () => {
	const recentTowns = (d: Db, now: number) =>
		recentRead(
			d,
			'recent-towns',
			1000,
			() => {
				reads++;
				return { n: d.select({ n: count() }).from(municipalities).get()!.n };
			},
			now
		);

	it('keeps a read for its age whatever is written, says when it was read, reads again at the age', () => {
		const t0 = 5_000_000;
		const first = recentTowns(db, t0);
		const before = reads;
		addTown(db, '990101');
		const kept = recentTowns(db, t0 + 999);
		expect(kept).toBe(first);
		expect(kept.readAt).toBe(t0);
		expect(reads).toBe(before);
		const fresh = recentTowns(db, t0 + 1000);
		expect(reads).toBe(before + 1);
		expect(fresh).toEqual({ n: first.n + 1, readAt: t0 + 1000 });
		// a clock gone back never serves a read from its future
		const back = recentTowns(db, t0 + 500);
		expect(back.readAt).toBe(t0 + 500);
	});

	it('inside a transaction it reads and keeps nothing', () => {
		const t0 = 9_000_000;
		const outside = recentTowns(db, t0);
		writeTx(db, (tx) => {
			addTown(tx, '990102');
			const inside = recentTowns(tx as unknown as Db, t0 + 1);
			expect(inside.n).toBe(outside.n + 1);
		});
		expect(recentTowns(db, t0 + 2)).toBe(outside);
	});
});
