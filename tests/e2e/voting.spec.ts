import { test, expect, seedMunicipality, logIn, expectAccessible, testDb, type SeededMunicipality } from './fixtures';
import { seedVotingRound } from '../support/voting-fixture';
import { persons, receipts } from '../../src/lib/server/db/schema/index';
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';

// One municipality and one round for the whole file; the tests build on each other (the official's checks rely on
// the residents' votes), so they run in order in one worker.
test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
let roundId: number;

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080101', name: 'Votacion Cusco', residents: 5 });
	const [z1, z2] = m.zones.map((z) => z.id);
	({ roundId } = seedVotingRound(testDb(), {
		municipalityId: m.id,
		authorPersonId: m.people.official.personId,
		ballot: { type: 'knapsack' },
		budgets: [
			[z1, 100_000_00],
			[z2, 50_000_00],
			[null, 80_000_00]
		],
		proposals: [
			[z1, 'Agua potable para Ccollpa', 'Ccollpapaq yaku', 60_000_00],
			[z1, 'Veredas del jirón Túpac Amaru', 'Túpac Amaru ñanpa veredankuna', 40_000_00],
			[z1, 'Losa deportiva', null, 40_000_01],
			[z2, 'Posta de salud', 'Hampina wasi', 30_000_00],
			[null, 'Puente sobre el río', 'Mayu chakapaq', 80_000_00],
			[null, 'Biblioteca municipal', null, 10_000_00]
		]
	}));
	// resident3 is too young for this round (minimum 16 on the voting date).
	testDb().update(persons).set({ birthDate: '2015-03-01' }).where(eq(persons.id, m.people.resident3.personId)).run();
});

const votePath = () => `/${m.slug}/rounds/${roundId}/vote`;

test('a resident votes in Quechua with the live budget meter, replaces the ballot and checks the receipts', async ({
	page
}) => {
	await logIn(page, m.slug, m.people.resident0);
	await page.goto(votePath());
	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akllasqay');
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await expectAccessible(page);
	// Quechua titles (reviewed translations) where they exist.
	await page.getByLabel(/Ccollpapaq yaku/).check();
	await expect(page.locator('.meter').first()).toContainText('Akllasqa: S/ 60');
	await page.getByLabel(/Losa deportiva/).check();
	await expect(page.locator('.meter').first()).toContainText('limiteta yallinña');
	// The server refuses one céntimo over and says by how much.
	await page.getByRole('button', { name: 'Akllasqayta qhaway' }).click();
	await expect(page.getByRole('alert')).toContainText('S/ 0.01');
	await page.getByLabel(/Losa deportiva/).uncheck();
	await page.getByLabel(/Túpac Amaru ñanpa/).check();
	await page.getByLabel(/Mayu chakapaq/).check();
	await page.getByRole('button', { name: 'Akllasqayta qhaway' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akllasqaykita takyachiy');
	await expect(page.getByText('Ccollpapaq yaku')).toBeVisible();
	await page.getByRole('button', { name: 'Takyachiy, akllay' }).click();
	// The cast answers with a 303 to the receipt page: the URL no longer holds the POST.
	await expect(page).toHaveURL(new RegExp(`/rounds/${roundId}/receipt$`));
	await expect(page.getByText('Akllasqaykiqa waqaychasqañam')).toBeVisible();
	const first = (await page.locator('.code').textContent())!.trim();
	expect(first).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
	// The code travels in an HttpOnly, SameSite=Strict cookie scoped to the round, for 30 minutes.
	const cookie = (await page.context().cookies()).find((c) => c.name === 'minka_receipt')!;
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: `/${m.slug}/rounds/${roundId}` });
	expect(cookie.expires * 1000 - Date.now()).toBeGreaterThan(29 * 60_000);
	expect(cookie.expires * 1000 - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5_000);
	// Offered as a small text file.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Recibota uraykachiy' }).click()
	]);
	expect(download.suggestedFilename()).toBe('recibo-minka.txt');
	expect(readFileSync((await download.path())!, 'utf8')).toContain(first);
	// A reload shows the same receipt and casts nothing: still one ballot, and the code still counts.
	const ballots = () => testDb().select().from(receipts).where(eq(receipts.roundId, roundId)).all().length;
	const before = ballots();
	await page.reload();
	await expect(page.locator('.code')).toHaveText(first);
	expect(ballots()).toBe(before);
	// Switching language keeps the receipt.
	await page.getByRole('button', { name: 'Español' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Voto registrado');
	await expect(page.locator('.code')).toHaveText(first);
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Runasimi' }).click();

	// Replace the ballot: only the last one counts.
	await page.goto(votePath());
	await expect(page.locator('.alert.info')).toContainText("p'unchawpim akllarqankiña");
	await page.getByLabel(/Biblioteca municipal/).check();
	await page.getByRole('button', { name: 'Akllasqayta qhaway' }).click();
	await expect(page.getByText(/Ch'usaq/)).toBeVisible(); // the zone section is blank
	await page.getByRole('button', { name: 'Takyachiy, akllay' }).click();
	await expect(page.getByText(/ñawpaq kaqtam rantin/)).toBeVisible();
	const second = (await page.locator('.code').textContent())!.trim();
	expect(second).not.toBe(first);
	await page.getByLabel('Recibopa códigon').fill(first);
	await page.getByRole('button', { name: 'Qhaway' }).click();
	await expect(page.getByRole('status')).toContainText('qhipa akllasqanmi rantirqan');
	await page.getByLabel('Recibopa códigon').fill(second.toLowerCase());
	await page.getByRole('button', { name: 'Qhaway' }).click();
	await expect(page.getByRole('status')).toContainText('yupakunqam');
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a resident votes in Spanish: the server checks the budget and explains, then records the vote', async ({
		page
	}) => {
		await logIn(page, m.slug, m.people.resident1);
		await page.goto(votePath());
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mi voto');
		await page.getByLabel(/Posta de salud/).check();
		await page.getByLabel(/Puente sobre el río/).check();
		await page.getByLabel(/Biblioteca municipal/).check();
		await page.getByRole('button', { name: 'Revisar mi voto' }).click();
		await expect(page.getByRole('alert')).toContainText('Sección 2: Su elección suma S/ 90,000.00');
		// The form keeps the choices.
		await expect(page.getByLabel(/Posta de salud/)).toBeChecked();
		await page.getByLabel(/Biblioteca municipal/).uncheck();
		await page.getByRole('button', { name: 'Revisar mi voto' }).click();
		await page.getByRole('button', { name: 'Cambiar mi elección' }).click();
		await expect(page.getByLabel(/Puente sobre el río/)).toBeChecked();
		await page.getByRole('button', { name: 'Revisar mi voto' }).click();
		await page.getByRole('button', { name: 'Confirmar y votar' }).click();
		await expect(page.getByText('Su voto fue guardado y será contado.')).toBeVisible();
		const code = (await page.locator('.code').textContent())!.trim();
		// Without JavaScript too, a reload and a language switch keep the receipt.
		await page.reload();
		await expect(page.locator('.code')).toHaveText(code);
		await page.getByRole('button', { name: 'Runasimi' }).click();
		await expect(page.locator('.code')).toHaveText(code);
		await page.getByRole('button', { name: 'Español' }).click();
		await page.getByLabel('Código de recibo').fill(code);
		await page.getByRole('button', { name: 'Comprobar' }).click();
		await expect(page.getByRole('status')).toContainText('registrado y será contado');
		// Another account on the same phone never sees it.
		await page.getByRole('button', { name: 'Salir' }).click();
		await logIn(page, m.slug, m.people.resident2);
		await page.goto(`/${m.slug}/rounds/${roundId}/receipt`);
		await expect(page.locator('.code')).toHaveCount(0);
	});

	test('an unverified and an ineligible resident get clear refusals', async ({ page }) => {
		await logIn(page, m.slug, m.people.unverified);
		await page.goto(votePath());
		await expect(page.getByRole('alert')).toContainText('aún no está verificada');
		await expect(page.locator('input[type=checkbox]')).toHaveCount(0);
		await page.getByRole('button', { name: 'Salir' }).click();
		await logIn(page, m.slug, m.people.resident3);
		await page.goto(votePath());
		await expect(page.getByRole('alert')).toContainText('16 años o más');
	});
});

test('officials key a paper batch twice, see one discrepancy and resolve it', async ({ page }) => {
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting`);
	await expect(page.getByRole('heading', { name: 'Participación' })).toBeVisible();
	await page.getByLabel('Nombre de la mesa').fill('Local comunal Ccollpa');
	await page.getByRole('button', { name: 'Agregar mesa' }).click();
	await expect(page.getByText('Mesa «Local comunal Ccollpa» creada.')).toBeVisible();
	await expectAccessible(page);

	// Station mode: a resident who voted online gets no paper ballot.
	await page.getByRole('link', { name: 'Local comunal Ccollpa' }).click();
	await page.getByLabel(/^DNI/).fill(m.people.resident0.dni);
	await page.getByLabel(/^Fecha de nacimiento/).fill('1985-05-05');
	await page.getByRole('button', { name: 'Buscar' }).click();
	await expect(page.getByRole('alert')).toContainText('ya votó por internet');
	await page.getByLabel(/^DNI/).fill(m.people.resident2.dni);
	await page.getByLabel(/^Fecha de nacimiento/).fill('1985-05-05');
	await page.getByRole('button', { name: 'Buscar' }).click();
	await page.getByRole('button', { name: /entregar cédula en papel/ }).click();
	await expect(page.getByRole('status')).toContainText('quedó marcado en el padrón');
	await page.getByLabel(/^DNI/).fill(m.people.resident4.dni);
	await page.getByLabel(/^Fecha de nacimiento/).fill('1985-05-05');
	await page.getByRole('button', { name: 'Buscar' }).click();
	await page.getByRole('button', { name: /entregar cédula en papel/ }).click();
	await expect(page.getByRole('status')).toContainText('quedó marcado en el padrón');

	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting/batches`);
	await page.getByLabel('Cédula de').selectOption({ label: m.zones[0].name });
	await page.getByLabel(/^Lote/).fill('Sobre 1');
	await page.getByLabel(/^Cédulas en el sobre/).fill('2');
	await page.getByRole('button', { name: 'Crear lote' }).click();
	await page.waitForURL(/\/batches\/\d+$/);
	await page.getByRole('textbox', { name: /^Cédulas/ }).fill('1 2 | 5\nNULO');
	await page.getByRole('button', { name: 'Guardar digitación' }).click();
	await expect(page.getByRole('status')).toContainText('otro funcionario');
	const batchUrl = page.url();

	// The second keying by another official (the admin also runs stations).
	await page.getByRole('button', { name: 'Salir' }).click();
	await page.waitForURL((u) => !u.pathname.includes('/admin'));
	const other = page;
	await logIn(other, m.slug, m.people.admin);
	await other.goto(batchUrl, { waitUntil: 'networkidle' }); // hydrated, so the enhanced form keeps what is typed
	await other.getByRole('textbox', { name: /^Cédulas/ }).fill('1 | 5\nnulo');
	await other.getByRole('button', { name: 'Guardar digitación' }).click();
	await expect(other.getByRole('status')).toContainText('no coinciden en 1 líneas');
	await expect(other.getByRole('group', { name: 'Cédula 1' })).toBeVisible();
	await other.getByLabel(/Primera digitación/).check();
	await other.getByRole('button', { name: 'Resolver y contar el lote' }).click();
	// Two staff persons only (four eyes need three): the batch counts once the other keyer confirms each line.
	await expect(other.getByRole('status')).toContainText('cuando el otro funcionario que lo digitó la confirme');
	await other.getByRole('button', { name: 'Salir' }).click();
	await other.waitForURL((u) => !u.pathname.includes('/admin'));
	await logIn(other, m.slug, m.people.official);
	await other.goto(batchUrl, { waitUntil: 'networkidle' });
	await expect(other.getByText(/propuso esta resolución/)).toBeVisible();
	await other.getByLabel(/Primera digitación/).check();
	await other.getByRole('button', { name: 'Resolver y contar el lote' }).click();
	await expect(other.getByRole('status')).toContainText('1 votos válidos, 1 nulos');
	await expectAccessible(other);

	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting/reconciliation`);
	// 2 marked for paper, 2 in the envelope, 2 keyed (a batch beyond the paper claims is refused: unit tests).
	await expect(page.getByRole('row', { name: /Local comunal Ccollpa/ })).toContainText('Cuadra');
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/voting`);
	await expect(page.getByRole('row', { name: /Total/ }).last()).toContainText('3');
});
