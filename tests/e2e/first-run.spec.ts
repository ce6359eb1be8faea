import { test, expect, expectAccessible, freshDni, PASSWORD } from './fixtures';

// Runs first, on the empty installation: the newcomer's path from `/` to a verified resident.
test('first run: setup, admin in Quechua, zone, census with a bad row, resident verified', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/setup$/);
	await expectAccessible(page);
	await page.getByLabel('Buscar distrito o provincia').fill('san jeronimo');
	await page.getByRole('button', { name: 'Buscar' }).click();
	await page.getByRole('link', { name: 'Municipalidad Distrital de San Jerónimo' }).nth(0).click();
	await expect(page.getByText('Ubigeo 030213')).toBeVisible();
	await page.goto('/setup?ubigeo=080104');
	await expect(page.getByText('Ubigeo 080104')).toBeVisible();

	const admin = freshDni();
	await page.getByLabel('Nombres y apellidos').fill('Rosa Quispe Huamán');
	await page.getByLabel('DNI').fill(`${admin.digits}-9`.replace(/-9$/, admin.full.endsWith('-9') ? '-0' : '-9'));
	await page.getByLabel('Fecha de nacimiento').fill('1980-02-03');
	await page.getByLabel(/^Contraseña/).fill(PASSWORD);
	await page.getByLabel('Repita la contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Crear municipalidad' }).click();
	// A wrong check character is refused with a clear message and nothing is created.
	await expect(page.getByRole('alert')).toContainText('dígito de verificación no corresponde');
	await page.getByLabel('DNI').fill(admin.full);
	await page.getByLabel(/^Contraseña/).fill(PASSWORD);
	await page.getByLabel('Repita la contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Crear municipalidad' }).click();
	await expect(page).toHaveURL(/\/san-jeronimo\/login\?created=1/);

	await page.getByLabel('DNI o correo electrónico').fill(admin.full);
	await page.getByLabel('Contraseña').fill(PASSWORD);
	await page.getByRole('button', { name: 'Ingresar' }).click();
	await expect(page).toHaveURL(/\/san-jeronimo$/);

	// Switch to Quechua: <html lang> follows and the admin pages speak Quechua.
	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await page.getByRole('link', { name: 'Kamachiy' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Municipalidadta kamachiy');
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Suyukuna' }).first().click();
	await page.getByLabel(/Suyup códigon/).fill('Z1');
	await page.getByLabel('Suyup sutin').fill('Larapa');
	await page.getByRole('button', { name: 'Suyuta yapay' }).click();
	await expect(page.getByRole('status')).toContainText('Larapa');
	await expectAccessible(page);

	// Census with one bad row: reported by line, the other rows imported.
	const resident = freshDni();
	const other = freshDni();
	const csv = `dni;fecha_nacimiento;zona\n${resident.digits};15/08/1990;Z1\n1234;01/01/1970;Z1\n${other.digits};1975-01-01;Larapa\n`;
	await page.goto('/san-jeronimo/admin/census');
	await page
		.getByLabel(/CSV kipu/)
		.setInputFiles({ name: 'padron.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await page.getByRole('button', { name: 'Manaraq apamuspa qhaway' }).click();
	await expect(page.getByText('3 fila, 1 pantayniyuq.')).toBeVisible();
	await expect(page.getByText('DNI mana allin')).toBeVisible();
	await page.getByRole('button', { name: 'Allin filakunata apamuy' }).click();
	await expect(page.getByRole('status')).toContainText('Apamusqa: 2.');
	await expect(page.getByText("3 siq'i: DNI mana allin")).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Lluqsiy' }).click();

	// A resident signs up (in Quechua, the cookie remembers it) and is verified by the census at once.
	await page.goto('/san-jeronimo/signup');
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await expectAccessible(page);
	await page.getByLabel('Sutiyki, ayllu sutiyki').fill('Juan Mamani Ccori');
	await page.getByLabel('DNI').fill(resident.full);
	await page.getByLabel("Paqarisqayki p'unchaw").fill('1990-08-15');
	await page.getByLabel(/^Yaykuna rima 8 sananpa/).fill(PASSWORD);
	await page.getByLabel('Yaykuna rimata huk kutita qillqay').fill(PASSWORD);
	await page.getByRole('checkbox').check();
	await page.getByRole('button', { name: 'Cuentata kamay' }).last().click();
	await expect(page).toHaveURL(/\/account\?welcome=verified/);
	await expect(page.getByRole('status').first()).toContainText('chiqaqchasqañam');
	await expect(page.getByText('Larapa')).toBeVisible();
	await expectAccessible(page);
});
