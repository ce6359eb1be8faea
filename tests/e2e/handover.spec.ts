import { test, expect, expectAccessible, logIn, seedMunicipality, testDb } from './fixtures';
import { actorFor } from '../../src/lib/server/accounts';
import { users } from '../../src/lib/server/db/schema/index';
import { eq } from 'drizzle-orm';

test('after an election the admin hands over in one step: the departing official loses the role, the newcomer gets it', async ({
	page
}) => {
	const m = await seedMunicipality({ ubigeo: '080114', name: 'Traspaso', roles: ['admin', 'official'] });
	const db = testDb();
	const roles = (userId: number) => [...actorFor(db, db.select().from(users).where(eq(users.id, userId)).get()!).roles];

	await logIn(page, m.slug, m.people.admin);
	await page.goto(`/${m.slug}/admin`);
	await page.getByRole('link', { name: 'Transferencia de gestión' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Transferencia de gestión');
	await expectAccessible(page);

	// A newcomer without an account is refused and nothing changes.
	await page.getByLabel(`${m.people.official.fullName} — Funcionario`).check();
	await page.getByLabel('DNI o correo de la persona 1').fill('nadie@example.pe');
	await page.getByRole('button', { name: 'Hacer la transferencia' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	expect(roles(m.people.official.userId)).toEqual(['official']);

	await page.getByLabel(`${m.people.official.fullName} — Funcionario`).check();
	await page.getByLabel('DNI o correo de la persona 1').fill(m.people.resident1.dni);
	await page.getByLabel('Rol de la persona 1').selectOption('official');
	await page.getByRole('button', { name: 'Hacer la transferencia' }).click();
	await expect(page.getByRole('status').first()).toContainText(
		'Transferencia registrada. Roles retirados: 1. Roles otorgados: 1.'
	);
	expect(roles(m.people.official.userId)).toEqual([]);
	expect(roles(m.people.resident1.userId)).toEqual(['official']);
	await expectAccessible(page);

	// The departing admin hands over her own role: she lands on a page she may see, with the confirmation there
	// (before: a «sin permiso» error page).
	await page.getByLabel(`${m.people.admin.fullName} — Administrador`, { exact: false }).check();
	await page.getByLabel('DNI o correo de la persona 1').fill(m.people.resident2.dni);
	await page.getByLabel('Rol de la persona 1').selectOption('admin');
	await page.getByRole('button', { name: 'Hacer la transferencia' }).click();
	await expect(page).toHaveURL(new RegExp(`/${m.slug}/account\\?handover=1-1$`));
	await expect(page.getByRole('status').first()).toContainText('La transferencia de gestión quedó registrada.');
	await expect(page.getByText('sin permiso')).toHaveCount(0);
	expect(roles(m.people.admin.userId)).toEqual([]);
	expect(roles(m.people.resident2.userId)).toEqual(['admin']);
	await expectAccessible(page);
});
