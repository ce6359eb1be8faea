import { test, expect, freshDni, seedMunicipality, PASSWORD, testDb } from './fixtures';
import { auditEventsOfType } from '../../src/lib/server/platform/audit';

test.use({ javaScriptEnabled: false });

test('without JavaScript: log in, language switch, zone, census, sign-up with census verification', async ({
	page
}) => {
	const m = await seedMunicipality({ ubigeo: '080108', name: 'Wanchaq', roles: ['admin'] });
	const admin = m.people.admin;
	await page.goto(`/${m.slug}/login`);
	await page.getByLabel('DNI o correo electrónico').fill(admin.dni);
	await page.getByLabel('Contraseña').fill('wrong-password');
	await page.getByRole('button', { name: 'Ingresar' }).click();
	await expect(page.getByRole('alert')).toHaveText('DNI, correo o contraseña incorrectos.');
	await page.getByLabel('Contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Ingresar' }).click();
	await expect(page).toHaveURL(new RegExp(`/${m.slug}$`));

	await page.goto(`/${m.slug}/admin/zones`);
	await page.getByLabel(/Código de zona/).fill('Z9');
	await page.getByLabel('Nombre de la zona', { exact: true }).fill('Centro Poblado Huayllarcocha');
	await page.getByRole('button', { name: 'Agregar zona' }).click();
	await expect(page.getByRole('status')).toContainText('Huayllarcocha');
	// Same code twice: refused, translated, nothing changed.
	await page.getByLabel(/Código de zona/).fill('Z9');
	await page.getByLabel('Nombre de la zona', { exact: true }).fill('Otra');
	await page.getByRole('button', { name: 'Agregar zona' }).click();
	await expect(page.getByRole('alert')).toHaveText('Ya existe una zona con el código Z9.');

	const resident = freshDni();
	await page.goto(`/${m.slug}/admin/census`);
	await page.getByLabel(/Archivo CSV/).setInputFiles({
		name: 'padron.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(`dni,fecha_nacimiento,zona\n${resident.digits},1992-11-30,Z9\n99999999,31/02/1990,Z9\n`)
	});
	await page.getByRole('button', { name: 'Importar ahora' }).click();
	await expect(page.getByRole('status')).toContainText('Importadas: 1.');
	await expect(page.getByText('Línea 3: fecha de nacimiento inválida')).toBeVisible();
	const imported = auditEventsOfType(testDb(), m.id, 'census.imported');
	expect(JSON.parse(imported.at(-1)!.payload)).toMatchObject({ imported: 1, rejectedLines: [3] });

	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await page.getByRole('button', { name: 'Lluqsiy' }).click();

	await page.goto(`/${m.slug}/signup`);
	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'es');
	await page.getByLabel('Nombres y apellidos').fill('Ana Condori');
	await page.getByLabel('DNI').fill(resident.full);
	await page.getByLabel('Fecha de nacimiento').fill('1992-11-30');
	await page.getByLabel(/^Contraseña/).fill(PASSWORD);
	await page.getByLabel('Repita la contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Crear cuenta' }).last().click();
	// The browser's own `required` check is bypassed without consent only by the server: keep it honest.
	await expect(page).toHaveURL(new RegExp(`/${m.slug}/signup`));
	await page.getByRole('checkbox').check();
	await page.getByLabel(/^Contraseña/).fill(PASSWORD);
	await page.getByLabel('Repita la contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Crear cuenta' }).last().click();
	await expect(page).toHaveURL(/\/account\?welcome=verified/);
	await expect(page.getByText('Centro Poblado Huayllarcocha')).toBeVisible();
	// (axe needs JavaScript in the page; the same pages are checked with axe in first-run.spec.ts)
});
