import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

export const municipalities = sqliteTable('municipality', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	ubigeo: text('ubigeo').notNull().unique(),
	name: text('name').notNull(),
	kind: text('kind', { enum: ['provincial', 'distrital'] }).notNull(),
	department: text('department').notNull(),
	province: text('province').notNull(),
	defaultLocale: text('default_locale', { enum: ['es', 'qu'] })
		.notNull()
		.default('es'),
	createdAt: integer('created_at').notNull()
});

export const zones = sqliteTable(
	'zone',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		createdAt: integer('created_at').notNull(),
		/** Retired: kept for past rounds, the census and proposals that name it; no longer offered for new ones. */
		retiredAt: integer('retired_at')
	},
	(t) => [
		uniqueIndex('zone_code_per_municipality').on(t.municipalityId, t.code),
		index('zone_municipality').on(t.municipalityId)
	]
);
