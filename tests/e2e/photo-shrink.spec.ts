import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { test, expect, seedMunicipality, logIn, testDb } from './fixtures';
import { rounds, proposals, proposalPhotos } from '../../src/lib/server/db/schema/index';

/** A phone-sized photo (3000×2000, fine texture): a few MB as a phone sends it. */
async function phonePhoto(): Promise<Buffer> {
	const w = 300;
	const h = 200;
	const raw = Buffer.alloc(w * h * 3);
	for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
	return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
		.resize(3000, 2000, { kernel: 'nearest' })
		.jpeg({ quality: 95 })
		.toBuffer();
}

test('with JavaScript a photo is shrunk in the browser before upload, and the proposal is filed', async ({ page }) => {
	const m = await seedMunicipality({ ubigeo: '080116', name: 'Santiago Fotos', roles: ['official'] });
	const db = testDb();
	const now = Date.now();
	const round = db
		.insert(rounds)
		.values({
			municipalityId: m.id,
			fiscalYear: 2027,
			titleEs: 'PP 2027',
			budgetCents: 500_000_00,
			phase: 'propuestas',
			rules: {
				ballot: { type: 'approval', maxChoices: 3 },
				voteScope: 'own_zone_and_wide',
				minAge: 16,
				decision: { rule: 'votes' },
				allocation: 'greedy',
				tieBreak: 'cost'
			},
			createdAt: now,
			updatedAt: now
		})
		.returning()
		.get();
	const original = await phonePhoto();
	await logIn(page, m.slug, m.people.resident0);
	await page.goto(`/${m.slug}/rounds/${round.id}/propose`);
	await page.getByLabel('Título de la propuesta').fill('Mejoramiento de la losa deportiva');
	await page.getByLabel(/^Descripción/).fill('La losa está rota y los niños no tienen dónde jugar.');
	await page.getByLabel('Categoría').selectOption('security');
	await page.getByLabel('Zona').selectOption('wide');
	await page.getByLabel(/^Costo estimado/).fill('50 000');
	await page.getByLabel('Personas beneficiadas').fill('300');
	await page.locator('#photos').setInputFiles({ name: 'IMG_0001.jpeg', mimeType: 'image/jpeg', buffer: original });
	await expect(page.getByRole('status')).toContainText(/Fotos reducidas de [\d\s.,]+ KB a [\d\s.,]+ KB/, {
		timeout: 30_000
	});
	const sent = await page.evaluate(() => {
		const f = (document.querySelector('#photos') as HTMLInputElement).files![0];
		return { name: f.name, type: f.type, size: f.size };
	});
	expect(sent).toMatchObject({ name: 'IMG_0001.jpg', type: 'image/jpeg' });
	expect(sent.size).toBeLessThan(original.length / 2);
	await page.getByRole('button', { name: 'Enviar propuesta' }).click();
	await page.waitForURL(/\/proposals\/\d+\?created=1/);
	await expect(page.getByRole('status')).toContainText('N.º 1');
	const p = db.select().from(proposals).where(eq(proposals.roundId, round.id)).get()!;
	const photo = db.select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, p.id)).get()!;
	expect([photo.width, photo.height]).toEqual([1600, 1067]);
});
