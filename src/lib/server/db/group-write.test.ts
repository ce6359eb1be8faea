import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { groupWrite, openDatabase } from './client';
import { municipalities } from './schema/index';
import { UserError } from '../../domain/errors';

describe('group commit', () => {
	it('commits the good writes of a group, rolls back only the refused one, and answers after the commit', async () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-group-')), 't.db'));
		const add = (slug: string) =>
			groupWrite(db, (tx) => {
				tx.insert(municipalities)
					.values({ slug, ubigeo: slug, name: slug, kind: 'distrital', department: 'd', province: 'p', createdAt: 0 })
					.run();
				if (slug === 'bad') throw new UserError('refused');
				return slug;
			});
		const results = await Promise.allSettled([add('a'), add('bad'), add('b')]);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect(
			db
				.select()
				.from(municipalities)
				.all()
				.map((m) => m.slug)
				.sort()
		).toEqual(['a', 'b']);
		expect(db.select().from(municipalities).where(eq(municipalities.slug, 'bad')).get()).toBeUndefined();
		// By the time a promise resolves the row is committed: a second connection sees it.
		const other = openDatabase(db.$client.name);
		expect(other.select().from(municipalities).all()).toHaveLength(2);
	});
});
