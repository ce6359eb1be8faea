import { test, expect, seedMunicipality, logIn, testDb, type SeededMunicipality } from './fixtures';
import { seedVotingRound } from '../support/voting-fixture';
import { closeVoting } from '../support/results-seed';

// Issue 16: a Quechua-speaking resident's whole path, without JavaScript: the ballot (with recordings that load
// nothing until play is pressed), the receipt, and the published result with its explanation. The official attaches
// the recordings through the real upload form (and is refused a file that is not audio).
test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
let roundId: number;
let waterId: number;
const fixture = (name: string) => `tests/fixtures/audio/${name}`;

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080202', name: 'Runasimi Llaqta', roles: ['official'], residents: 2 });
	const z1 = m.zones[0].id;
	({ roundId } = seedVotingRound(testDb(), {
		municipalityId: m.id,
		authorPersonId: m.people.official.personId,
		ballot: { type: 'knapsack' },
		budgets: [
			[z1, 100_000_00],
			[null, 50_000_00]
		],
		proposals: [
			[z1, 'Agua potable para Ccollpa', 'Ccollpapaq yaku', 60_000_00],
			[z1, 'Losa deportiva', 'Pukllana pampa', 50_000_00],
			[null, 'Puente sobre el río', 'Mayu chakapaq', 40_000_00]
		]
	}));
});

test('an official attaches recordings per language; a file that is not audio is refused', async ({ page }) => {
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/audio`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grabaciones para escuchar la cédula');
	// Wrong content under an audio name: refused, translated, nothing stored.
	await page
		.locator('#f-ballot-qu')
		.setInputFiles({ name: 'grabacion.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('%PDF-1.7 not audio') });
	await page
		.locator('form')
		.filter({ has: page.locator('#f-ballot-qu') })
		.getByRole('button', { name: 'Subir grabación' })
		.click();
	await expect(page.getByRole('alert')).toHaveText(
		'El archivo no es un audio MP3, M4A u Opus. Suba la grabación en uno de esos formatos.'
	);
	await expect(page.locator('audio')).toHaveCount(0);

	await page.locator('#f-ballot-qu').setInputFiles(fixture('ballot-qu.opus'));
	await page
		.locator('form')
		.filter({ has: page.locator('#f-ballot-qu') })
		.getByRole('button', { name: 'Subir grabación' })
		.click();
	await expect(page.getByRole('status')).toHaveText('Grabación guardada.');
	const water = page.getByRole('region', { name: /Agua potable para Ccollpa/ });
	waterId = Number((await water.getAttribute('aria-labelledby'))!.slice(2));
	await page.locator(`#f-${waterId}-qu`).setInputFiles(fixture('ballot-qu.m4a'));
	await page
		.locator('form')
		.filter({ has: page.locator(`#f-${waterId}-qu`) })
		.getByRole('button', { name: 'Subir grabación' })
		.click();
	await expect(page.getByRole('status')).toHaveText('Grabación guardada.');
	await expect(page.locator('audio')).toHaveCount(2);
	await expect(water).toContainText('M4A');
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a resident votes in Quechua with the recordings, gets a receipt, checks it; nothing downloads until play', async ({
		page
	}) => {
		const audioRequests: string[] = [];
		page.on('request', (r) => {
			if (r.url().includes('/audio/')) audioRequests.push(r.url());
		});
		await logIn(page, m.slug, m.people.resident0);
		await page.goto(`/${m.slug}/rounds/${roundId}/vote`);
		await page.getByRole('button', { name: 'Runasimi' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akllasqay');
		// The instructions and the one proposal with a Quechua recording: native players that fetch nothing yet.
		const players = page.locator('audio');
		await expect(players).toHaveCount(2);
		for (const a of await players.all()) {
			await expect(a).toHaveAttribute('preload', 'none');
			await expect(a).toHaveAttribute('controls', '');
		}
		await expect(page.getByText('Imaynam akllanaykita uyariy:')).toBeVisible();
		await expect(page.getByRole('group').first().locator('audio')).toHaveAttribute(
			'aria-label',
			/Uyariy: N\.º 1 Ccollpapaq yaku/
		);
		await page.waitForLoadState('networkidle');
		expect(audioRequests).toEqual([]);

		// The proposal's own page offers the same recording, also without fetching it.
		await page.goto(`/${m.slug}/rounds/${roundId}/proposals/${waterId}`);
		await expect(page.locator('audio')).toHaveAttribute('preload', 'none');
		await expect(page.locator('audio')).toHaveAttribute('aria-label', /Uyariy: N\.º 1/);
		await page.waitForLoadState('networkidle');
		expect(audioRequests).toEqual([]);
		await page.goto(`/${m.slug}/rounds/${roundId}/vote`);

		await page.getByRole('checkbox', { name: /Ccollpapaq yaku/ }).check();
		await page.getByRole('checkbox', { name: /Mayu chakapaq/ }).check();
		await page.getByRole('button', { name: 'Akllasqayta qhaway' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akllasqaykita takyachiy');
		await page.getByRole('button', { name: 'Takyachiy, akllay' }).click();
		await expect(page).toHaveURL(new RegExp(`/rounds/${roundId}/receipt$`));
		await expect(page.getByText('Akllasqaykiqa waqaychasqañam')).toBeVisible();
		const code = (await page.locator('.code').textContent())!.trim();
		expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);

		await page.goto(`/${m.slug}/rounds/${roundId}/receipt`);
		await page.getByLabel('Recibopa códigon').fill(code);
		await page.getByRole('button', { name: 'Qhaway' }).click();
		await expect(page.getByRole('status')).toContainText('yupakunqam');
		expect(audioRequests).toEqual([]);
	});
});

test('pressing play fetches the recording, as uploaded', async ({ page }) => {
	await logIn(page, m.slug, m.people.resident1);
	await page.goto(`/${m.slug}/rounds/${roundId}/vote`);
	await page.getByRole('button', { name: 'Runasimi' }).click();
	const fetched = page.waitForResponse((r) => r.url().includes('/audio/'));
	await page
		.locator('audio')
		.first()
		.evaluate((a: HTMLAudioElement) => void a.play().catch(() => {}));
	const res = await fetched;
	expect(res.headers()['content-type']).toBe('audio/ogg');
});

test('the result in Quechua explains itself', async ({ page }) => {
	await logIn(page, m.slug, m.people.official);
	// Voting closes (the phase change itself is another issue's page and test).
	closeVoting(testDb(), roundId);
	await page.goto(`/${m.slug}/admin/rounds/${roundId}/results`);
	await page.getByRole('button', { name: 'Calcular resultados' }).click();
	await expect(page.getByRole('status')).toHaveText('Resultado calculado: versión 1.');
	await page.getByLabel('Revisé el orden de cada presupuesto y quiero publicarlo.').check();
	await page.getByRole('button', { name: 'Publicar la versión 1' }).click();
	await expect(page.getByRole('status')).toHaveText('Versión 1 publicada.');

	await page.goto(`/${m.slug}/rounds/${roundId}/results`);
	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Yupasqakuna');
	await expect(page.getByRole('heading', { name: 'Imaynatam akllakurqan' })).toBeVisible();
	await expect(
		page.getByText(/^Llaqtamasikunapa akllasqanmi tukuchirqan\. Proyectokunataqa aswan achka/)
	).toBeVisible();
	await expect(page.getByText(/«Kuchuna siq'i»: qullqi aypasqan proyectokunata/)).toBeVisible();
	const zone = page.getByRole('region', { name: m.zones[0].name });
	// The published snapshot carries the Spanish titles (results page logic, issue 12); the words around them are Quechua.
	await expect(zone.getByRole('row').nth(1)).toContainText('N.º 1');
	await expect(zone.getByRole('row').nth(1)).toContainText('qullqichasqa');
	// Technical material is folded away under the auditors' heading.
	await expect(zone.locator('details.auditors')).not.toHaveAttribute('open', '');
});
