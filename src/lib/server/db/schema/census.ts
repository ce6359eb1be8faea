import { sqliteTable, integer, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';

/** One row of the municipal census (padrón). The uploaded file itself is never stored; only these HMAC'd rows. */
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
		importedAt: integer('imported_at').notNull()
	},
	(t) => [uniqueIndex('census_dni_per_municipality').on(t.municipalityId, t.dniHmac)]
);
