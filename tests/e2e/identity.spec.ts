/**
 * Issue 11 point 6 (newcomer D4, review H1/H2): the birth-date typo story ends with a verified resident who votes
 * once; a polling station serves a census resident whose online account is unverified.
 */
import { test, expect, seedMunicipality, logIn, testDb, freshDni, dniHmac, type SeededMunicipality } from './fixtures';
import { seedVotingRound } from '../support/voting-fixture';
import { censusEntries, persons, rollEntries, stations } from '../../src/lib/server/db/schema/index';
import { createAccount } from '../../src/lib/server/accounts';
import { and, eq } from 'drizzle-orm';

test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
let roundId: number;

function census(digits: string, birthDate: string) {
	testDb()
		.insert(censusEntries)
		.values({
			municipalityId: m.id,
			dniHmac: dniHmac(digits),
			birthDate,
			zoneId: m.zones[0].id,
			importedAt: Date.now()
		})
		.run();
}

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080115', name: 'Identidad Cusco', residents: 1, roles: ['official'] });
	({ roundId } = seedVotingRound(testDb(), {
		municipalityId: m.id,
		authorPersonId: m.people.official.personId,
		ballot: { type: 'approval', maxChoices: 2 },
		budgets: [[null, 80_000_00]],
		proposals: [
			[null, 'Puente sobre el río', null, 50_000_00],
			[null, 'Biblioteca municipal', null, 10_000_00]
		]
	}));
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a birth-date typo: a clear message, a retry, a verified resident who votes once', async ({ page }) => {
		const dni = freshDni();
		census(dni.digits, '1978-11-23');
		await page.goto(`/${m.slug}/signup`);
		const fill = async (birthDate: string) => {
			await page.getByLabel('Nombres y apellidos').fill('Elena Pariona Ccente');
			await page.getByLabel(/^DNI/).fill(dni.full);
			await page.getByLabel('Fecha de nacimiento').fill(birthDate);
			await page.getByLabel(/^Contraseña/).fill('clave-segura-2026');
			await page.getByLabel('Repita la contraseña').fill('clave-segura-2026');
			await page.getByRole('checkbox').check();
			await page.getByRole('button', { name: 'Crear cuenta' }).click();
		};
		await fill('1978-11-24');
		await expect(page.getByRole('alert')).toContainText('No pudimos verificarle: revise la fecha de nacimiento');
		await expect(page.getByRole('alert')).toContainText('verifíquese en persona en la municipalidad');
		// No account was made: the typo costs nothing but a retry.
		expect(
			testDb()
				.select()
				.from(persons)
				.where(and(eq(persons.municipalityId, m.id), eq(persons.fullName, 'Elena Pariona Ccente')))
				.all()
		).toHaveLength(0);
		await fill('1978-11-23');
		await expect(page.getByRole('status')).toContainText('verificada por el padrón');

		await page.goto(`/${m.slug}/rounds/${roundId}/vote`);
		await page.getByLabel(/Biblioteca municipal/).check();
		await page.getByRole('button', { name: 'Revisar mi voto' }).click();
		await page.getByRole('button', { name: 'Confirmar y votar' }).click();
		await expect(page.getByText('Su voto fue guardado y será contado.')).toBeVisible();
		const rows = testDb()
			.select()
			.from(rollEntries)
			.where(and(eq(rollEntries.roundId, roundId), eq(rollEntries.dniHmac, dniHmac(dni.digits))))
			.all();
		expect(rows.map((r) => r.channel)).toEqual(['web']);
		expect(
			testDb()
				.select()
				.from(persons)
				.where(and(eq(persons.municipalityId, m.id), eq(persons.fullName, 'Elena Pariona Ccente')))
				.all()
		).toHaveLength(1);
	});
});

test('a polling station serves a census resident whose online account is unverified', async ({ page }) => {
	const dni = freshDni();
	// An account holds her DNI unverified (made before the census listed it); then the census lists her.
	testDb().transaction((tx) => {
		createAccount(tx as never, m.id, {
			fullName: 'Rosa Huamán',
			dni: dni.digits,
			birthDate: '2001-01-01',
			email: null,
			passwordHash: 'x',
			locale: 'es'
		});
	});
	census(dni.digits, '1966-04-09');
	const station = testDb()
		.insert(stations)
		.values({ municipalityId: m.id, roundId, name: 'Local comunal', createdAt: Date.now() })
		.returning()
		.get();
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting/station?station=${station.id}`);
	await page.getByLabel(/^DNI/).fill(dni.full);
	await page.getByLabel(/^Fecha de nacimiento/).fill('1966-04-09');
	await page.getByRole('button', { name: 'Buscar' }).click();
	await expect(page.getByText(/\) puede votar\.$/)).toBeVisible();
	await page.getByRole('button', { name: /entregar cédula en papel/ }).click();
	await expect(page.getByRole('status')).toContainText('quedó marcado en el padrón');
	const row = testDb()
		.select()
		.from(rollEntries)
		.where(and(eq(rollEntries.roundId, roundId), eq(rollEntries.dniHmac, dniHmac(dni.digits))))
		.get();
	expect(row).toMatchObject({ channel: 'paper', stationId: station.id });
	// The look-up is counted for the station on the reconciliation page.
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting/reconciliation`);
	await expect(page.getByRole('row', { name: /Local comunal/ })).toBeVisible();
});
