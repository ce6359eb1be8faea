/** Issue 17 point 5: aggregate reads kept until the data changes, never stale, never inside a transaction. */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from './client';
import { cachedRead } from './read-cache';
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
