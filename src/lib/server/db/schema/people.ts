import { sqliteTable, integer, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { municipalities, zones } from './municipalities';

/** A human the municipality records: resident, council member, participating agent. */
export const persons = sqliteTable(
	'person',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		fullName: text('full_name').notNull(),
		/** HMAC-SHA-256 of the DNI under MINKA_SECRET; the raw DNI is never stored here. */
		dniHmac: text('dni_hmac'),
		/** A DNI this person claims that another account already holds; an official settles it in person. */
		pendingDniHmac: text('pending_dni_hmac'),
		birthDate: text('birth_date'),
		gender: text('gender', { enum: ['f', 'm', 'x'] }),
		language: text('language', { enum: ['es', 'qu', 'other'] }),
		phone: text('phone'),
		email: text('email'),
		zoneId: integer('zone_id').references(() => zones.id),
		verifiedAt: integer('verified_at'),
		verifiedMethod: text('verified_method', { enum: ['census', 'in_person'] }),
		verifiedByUserId: integer('verified_by_user_id'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [
		uniqueIndex('person_dni_per_municipality').on(t.municipalityId, t.dniHmac),
		index('person_municipality').on(t.municipalityId)
	]
);

/** A Person's login account. */
export const users = sqliteTable(
	'user',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		personId: integer('person_id')
			.notNull()
			.references(() => persons.id),
		email: text('email'),
		passwordHash: text('password_hash').notNull(),
		locale: text('locale', { enum: ['es', 'qu'] }),
		privacyConsentAt: integer('privacy_consent_at').notNull(),
		privacyNoticeVersion: text('privacy_notice_version').notNull(),
		disabledAt: integer('disabled_at'),
		/**
		 * When this account got the installation-level role (creating municipalities); null for everyone else. Not a
		 * municipality's role: the first-run admin holds it, and on installations older than the role, migration
		 * 0020 gave it to the admins of the first municipality.
		 */
		installationAdminAt: integer('installation_admin_at'),
		createdAt: integer('created_at').notNull()
	},
	(t) => [
		uniqueIndex('user_person').on(t.personId),
		uniqueIndex('user_email_per_municipality').on(t.municipalityId, t.email)
	]
);

export const sessions = sqliteTable(
	'session',
	{
		/** SHA-256 (hex) of the session token; the token itself only lives in the cookie. */
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at').notNull()
	},
	(t) => [index('session_user').on(t.userId)]
);

export const ROLES = ['admin', 'official', 'technical', 'council_secretary', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const roleGrants = sqliteTable(
	'role_grant',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		role: text('role', { enum: ROLES }).notNull(),
		grantedByUserId: integer('granted_by_user_id'),
		grantedAt: integer('granted_at').notNull(),
		revokedByUserId: integer('revoked_by_user_id'),
		revokedAt: integer('revoked_at')
	},
	(t) => [index('role_grant_user').on(t.userId)]
);

/** One-time password-reset codes (by e-mail link or issued in person at the office). Only the hash is kept. */
export const passwordResets = sqliteTable('password_reset', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	userId: integer('user_id')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	codeHash: text('code_hash').notNull().unique(),
	channel: text('channel', { enum: ['email', 'office'] }).notNull(),
	issuedByUserId: integer('issued_by_user_id'),
	expiresAt: integer('expires_at').notNull(),
	usedAt: integer('used_at')
});

/** Fixed-window counters for login throttling, kept in the database so restarts do not reset them. */
export const rateLimits = sqliteTable('rate_limit', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	windowEndsAt: integer('window_ends_at').notNull()
});

/**
 * Sign-up pacing per client address (issue 11): the address is kept only as an HMAC. `nextAt` is the earliest time
 * the next sign-up from it is served once the free allowance of the hour is used: a growing delay, never a refusal.
 */
export const signupThrottles = sqliteTable('signup_throttle', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	windowEndsAt: integer('window_ends_at').notNull(),
	nextAt: integer('next_at').notNull()
});

/**
 * Online birth-date checks against the census per DNI (its HMAC), counted across accounts and deletions: after
 * MAX misses the DNI is verified at the office only.
 */
export const signupDniChecks = sqliteTable(
	'signup_dni_check',
	{
		municipalityId: integer('municipality_id')
			.notNull()
			.references(() => municipalities.id),
		dniHmac: text('dni_hmac').notNull(),
		misses: integer('misses').notNull()
	},
	(t) => [uniqueIndex('signup_dni_check_dni').on(t.municipalityId, t.dniHmac)]
);
