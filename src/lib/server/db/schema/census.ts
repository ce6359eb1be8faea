import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';

/**
 * One row of the municipal census (padrón). The uploaded file itself is never stored; only these HMAC'd rows.
 * A DNI may have rows of several generations: readers see only the row of the highest generation not above the
 * municipality's active one (census_state), so an import writes its rows as the next generation, unseen, and one
 * single-row write makes them all visible at once (residents/census-state.ts, residents/census-stage.ts).
 */
export const censusEntries = sqliteTable(
	'census_entry',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		dniHmac: text('dni_hmac').notNull(),
		birthDate: text('birth_date').notNull(),
		zoneId: integer('zone_id').references(() => zones.id),
		importedAt: integer('imported_at').notNull(),
		/** The import that wrote the row (0: before generations existed, or written straight into the census). */
		generation: integer('generation').notNull().default(0)
	},
	// One index seek finds a DNI's visible row: the highest generation ≤ the active one.
	(t) => [uniqueIndex('census_dni_generation').on(t.municipalityId, t.dniHmac, t.generation)]
);

/** Per municipality: which census generation readers see, and how many DNIs it holds (counting is not cheap). */
export const censusState = sqliteTable('census_state', {
	municipalityId: integer('municipality_id')
		.primaryKey()
		.references(() => municipalities.id),
	/** The active generation: rows above it are an import still being staged (or abandoned). */
	generation: integer('generation').notNull().default(0),
	/** DNIs in the active census. */
	size: integer('size').notNull(),
	/**
	 * 1 while rows no reader sees may remain (an import staging or abandoned, rows superseded by the last swap):
	 * the next import (or the end of this one) deletes them in slices first.
	 */
	leftovers: integer('leftovers').notNull().default(0)
});
