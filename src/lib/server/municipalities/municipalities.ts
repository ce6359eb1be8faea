import { asc, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { UserError } from '../../domain/errors';
import { isLocale, type Locale } from '../../domain/locale';
import { countRows, writeTx, type Db } from '../db/client';
import { municipalities, users } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { hashPassword } from '../auth/password';
import { createAccount } from '../accounts';
import { grantRoleInTx } from '../roles';
import { findPlace } from './ubigeo/ubigeo';
import { optionalEmail, requireBirthDate, requireDni, requireNewPassword, requireText } from '../platform/validation';
import { authorize, authorizeInstallation, type Actor } from '../platform/policy';

export type Municipality = typeof municipalities.$inferSelect;

export function listMunicipalities(db: Db): Municipality[] {
	return db.select().from(municipalities).orderBy(asc(municipalities.name)).all();
}

export function municipalityCount(db: Db): number {
	return countRows(db, municipalities);
}

export function getMunicipalityBySlug(db: Db, slug: string): Municipality | undefined {
	return prepared(db, 'municipality.bySlug', () =>
		db
			.select()
			.from(municipalities)
			.where(eq(municipalities.slug, sql.placeholder('slug')))
			.prepare()
	).get({ slug });
}

export function slugify(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

export interface NewMunicipalityInput {
	ubigeo: unknown;
	name: unknown;
	defaultLocale: unknown;
	adminName: unknown;
	adminDni: unknown;
	adminBirthDate: unknown;
	adminEmail: unknown;
	adminPassword: unknown;
	adminPasswordConfirm: unknown;
}

/**
 * Creates a municipality from the official ubigeo list, with its first admin account. Open to anyone while the
 * installation is empty (first run: that admin also gets the installation-level role); afterwards only a holder of
 * the installation role may add another, not a municipality's admin as such (security review M9).
 */
export async function createMunicipality(db: Db, actor: Actor | null, input: NewMunicipalityInput) {
	const first = municipalityCount(db) === 0;
	if (!first) authorizeInstallation(actor, 'municipalities.create');
	const place = findPlace(typeof input.ubigeo === 'string' ? input.ubigeo.trim() : '');
	if (!place) throw new UserError('setup.unknownUbigeo');
	const name = requireText(input.name || place.suggestedName, 'name', 160);
	const defaultLocale: Locale = isLocale(input.defaultLocale) ? input.defaultLocale : 'es';
	const adminName = requireText(input.adminName, 'fullName', 120);
	const dni = requireDni(input.adminDni);
	const birthDate = requireBirthDate(input.adminBirthDate);
	const email = optionalEmail(input.adminEmail);
	const passwordHash = await hashPassword(requireNewPassword(input.adminPassword, input.adminPasswordConfirm));
	return writeTx(db, (tx) => {
		if (tx.select().from(municipalities).where(eq(municipalities.ubigeo, place.ubigeo)).get())
			throw new UserError('setup.exists', {}, 409);
		const base = slugify(place.district ?? place.province);
		const taken = (s: string) => Boolean(tx.select().from(municipalities).where(eq(municipalities.slug, s)).get());
		const slug = !taken(base)
			? base
			: !taken(`${base}-${slugify(place.province)}`)
				? `${base}-${slugify(place.province)}`
				: `${base}-${place.ubigeo}`;
		const municipality = tx
			.insert(municipalities)
			.values({
				slug,
				ubigeo: place.ubigeo,
				name,
				kind: place.kind,
				department: place.department,
				province: place.province,
				defaultLocale,
				createdAt: Date.now()
			})
			.returning()
			.get();
		const { user } = createAccount(tx, municipality.id, {
			fullName: adminName,
			dni,
			birthDate,
			email,
			passwordHash,
			locale: defaultLocale
		});
		// A second first run cannot slip in between the count above and this transaction: check again inside it.
		const firstHere = first && countRows(tx, municipalities) === 1;
		if (first && !firstHere) throw new UserError('setup.installationOnly', {}, 403);
		if (firstHere) tx.update(users).set({ installationAdminAt: Date.now() }).where(eq(users.id, user.id)).run();
		appendAudit(tx, {
			municipalityId: municipality.id,
			actorUserId: user.id,
			type: 'municipality.created',
			payload: {
				ubigeo: place.ubigeo,
				name,
				kind: place.kind,
				defaultLocale,
				installationAdmin: firstHere,
				createdByUserId: first ? null : actor!.userId
			}
		});
		grantRoleInTx(tx, null, municipality.id, user.id, 'admin');
		return municipality;
	});
}

export function updateMunicipalitySettings(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	input: { name: unknown; defaultLocale: unknown }
) {
	authorize(actor, 'municipality.settings', municipalityId);
	const name = requireText(input.name, 'name', 160);
	if (!isLocale(input.defaultLocale)) throw new UserError('required', { field: 'defaultLocale' });
	const defaultLocale = input.defaultLocale;
	writeTx(db, (tx) => {
		tx.update(municipalities).set({ name, defaultLocale }).where(eq(municipalities.id, municipalityId)).run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'municipality.updated',
			payload: { name, defaultLocale }
		});
	});
}
