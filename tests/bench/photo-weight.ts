/**
 * Part of npm run bench:weight — proposal photos as a phone sees them, in a real Chromium (/usr/bin/chromium) at
 * 360×740 CSS px and device-pixel ratio 2, bytes counted by the browser (Network.loadingFinished: headers + body as
 * transferred):
 *   - a proposal page's first load with its first photo (budget < 120 KB), then each further photo (< 60 KB each);
 *   - the proposal form with JavaScript: a 4000×3000 phone photo (~4–5 MB) is shrunk in the browser before upload,
 *     and the bytes of the POST are reported; without JavaScript the full file is uploaded and still accepted.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { proposalPhotos, rounds } from '../../src/lib/server/db/schema/index';
import { storePhoto } from '../../src/lib/server/platform/uploads';
import { seed, startServer } from './voting-server';
import { seedVotingRound } from '../support/voting-fixture';

const KB = 1024;

/**
 * A phone-like photo, 4000×3000 at JPEG quality 92 (about 4.6 MB, as a phone's): fine random texture with grain — a
 * hard case for the encoders (a real 720 px street photo, f3.jpg of the Rust embedded book, is 34 KB as AVIF q45).
 */
async function phonePhoto(seed: number): Promise<Buffer> {
	const w = 500;
	const h = 375;
	const raw = Buffer.alloc(w * h * 3);
	let x = seed * 2654435761;
	const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 255;
	for (let i = 0; i < raw.length; i++) raw[i] = rnd();
	const base = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
		.resize(4000, 3000, { kernel: 'cubic' })
		.blur(6)
		.raw()
		.toBuffer();
	const grain = Buffer.alloc(4000 * 3000 * 3);
	for (let i = 0; i < grain.length; i++) grain[i] = Math.max(0, Math.min(255, base[i] + (rnd() - 127) * 0.12));
	return sharp(grain, { raw: { width: 4000, height: 3000, channels: 3 } })
		.jpeg({ quality: 92 })
		.toBuffer();
}

/** Bytes on the wire per request, as Chromium counts them. */
function wireCounter(cdp: CDPSession) {
	const urls = new Map<string, string>();
	const bytes = new Map<string, number>();
	cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
	cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
	return {
		take(): { url: string; bytes: number }[] {
			const out = [...bytes].map(([id, b]) => ({ url: urls.get(id) ?? id, bytes: b }));
			bytes.clear();
			return out;
		}
	};
}

async function settle(page: Page) {
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(300);
}

export async function photoWeight(): Promise<boolean> {
	const s = seed({ voters: 2, proposalsPerSection: 2 });
	process.env.MINKA_UPLOADS = join(dirname(s.dbPath), 'uploads');
	// Two proposals with photos: the first with one, the second with three (stored as an upload stores them).
	const [withOne, withThree] = s.sections[0];
	let pos = 0;
	for (const [proposalId, n] of [
		[withOne, 1],
		[withThree, 3]
	] as const)
		for (let i = 0; i < n; i++) {
			const jpeg = await phonePhoto(10 + pos);
			const stored = await storePhoto(new File([new Uint8Array(jpeg)], `foto-${pos}.jpg`, { type: 'image/jpeg' }));
			s.db
				.insert(proposalPhotos)
				.values({
					proposalId,
					filePath: stored.path,
					sha256: stored.sha256,
					mimeType: stored.mimeType,
					width: stored.width,
					height: stored.height,
					bytes: stored.bytes,
					position: i,
					createdAt: Date.now()
				})
				.run();
			pos++;
		}
	// A second round taking proposals, for the upload.
	const intake = seedVotingRound(s.db, {
		municipalityId: s.db.select().from(rounds).get()!.municipalityId,
		authorPersonId: 1,
		budgets: [[null, 100_000_00]],
		proposals: []
	});
	s.db.update(rounds).set({ phase: 'propuestas' }).where(eq(rounds.id, intake.roundId)).run();

	const server = await startServer(s.dbPath);
	// The server makes the AVIF/WebP variants in the background at start: wait for them.
	for (let i = 0; i < 600; i++) {
		const left = s.db.select().from(proposalPhotos).all();
		if (left.every((p) => p.variantWidths !== null)) break;
		await new Promise((r) => setTimeout(r, 500));
	}

	const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
	const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
	const phone = {
		viewport: { width: 360, height: 740 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		locale: 'es-PE'
	};
	const cookie = { name: 'minka_session', value: s.tokens[0], url: server.origin };
	const lines: string[] = [];
	let ok = true;

	try {
		// 1. Proposal pages: first load, then the further photos as the reader scrolls to them.
		for (const [proposalId, n] of [
			[withOne, 1],
			[withThree, 3]
		] as const) {
			const ctx = await browser.newContext(phone);
			await ctx.addCookies([cookie]);
			const page = await ctx.newPage();
			const cdp = await ctx.newCDPSession(page);
			await cdp.send('Network.enable');
			await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
			const wire = wireCounter(cdp);
			await page.goto(`${server.origin}/${s.slug}/rounds/${s.roundId}/proposals/${proposalId}`);
			await settle(page);
			// Scroll through the page so every (lazy) photo is fetched; Chromium fetches lazy images well ahead anyway.
			const images = page.locator('article picture img');
			for (let i = 0; i < n; i++) {
				await images.nth(i).scrollIntoViewIfNeeded();
				await settle(page);
			}
			const all = wire.take();
			const photoId = (url: string) => Number(/\/photos\/(\d+)/.exec(url)?.[1] ?? NaN);
			const photos = all.filter((r) => photoId(r.url) > 0).sort((x, y) => photoId(x.url) - photoId(y.url));
			const page0 = all.filter((r) => !(photoId(r.url) > 0));
			const firstLoad = page0.reduce((t, r) => t + r.bytes, 0) + (photos[0]?.bytes ?? 0);
			const short = (url: string) => url.replace(/^.*\/photos\//, '');
			if (process.argv.includes('--verbose'))
				for (const r of all) console.log(`    ${(r.bytes / KB).toFixed(1).padStart(6)} KB ${r.url}`);
			ok &&= firstLoad < 120 * KB && photos.length === n;
			lines.push(
				`  ${(firstLoad / KB).toFixed(1).padStart(6)} KB  first load with the first photo, proposal with ${n} photo(s) ` +
					`(${page0.length + 1} requests; photo ${photos[0] ? short(photos[0].url) : '(none)'})   budget < 120 KB`
			);
			for (let i = 1; i < n; i++) {
				const b = photos[i]?.bytes ?? Infinity;
				ok &&= b < 60 * KB;
				lines.push(
					`  ${(b / KB).toFixed(1).padStart(6)} KB  photo ${i + 1} of ${n} (${photos[i] ? short(photos[i].url) : 'not loaded'})   budget < 60 KB`
				);
			}
			await ctx.close();
		}

		// 2. The form: with JavaScript the photo is shrunk before upload; without, the full file goes and is accepted.
		const original = await phonePhoto(99);
		for (const js of [true, false]) {
			const ctx = await browser.newContext({ ...phone, javaScriptEnabled: js });
			await ctx.addCookies([cookie]);
			const page = await ctx.newPage();
			await page.goto(`${server.origin}/${s.slug}/rounds/${intake.roundId}/propose`);
			await page.fill('#title', `Mejoramiento de la losa deportiva ${js ? 'con' : 'sin'} JavaScript`);
			await page.fill('#description', 'La losa del sector está rota y los niños no tienen dónde jugar.');
			await page.selectOption('#category', { index: 1 });
			await page.selectOption('#zoneId', 'wide');
			await page.fill('#estimatedCost', '50000');
			await page.fill('#beneficiaries', '300');
			const t0 = performance.now();
			await page.setInputFiles('#photos', { name: 'IMG_20261201.jpg', mimeType: 'image/jpeg', buffer: original });
			let shrinkMs = 0;
			// What the form will send: the file in the input (shrunk with JavaScript; as chosen without).
			let uploaded = original.length;
			if (js) {
				await page.getByText(/Fotos reducidas de/).waitFor({ timeout: 60_000 });
				shrinkMs = performance.now() - t0;
				uploaded = await page.evaluate(() =>
					[...((document.querySelector('#photos') as HTMLInputElement).files ?? [])].reduce((n, f) => n + f.size, 0)
				);
			}
			await Promise.all([
				page.waitForURL(/\/proposals\/\d+\?created=1/, { timeout: 60_000 }).catch(() => undefined),
				page.getByRole('button', { name: 'Enviar propuesta' }).click()
			]);
			const accepted = /created=1/.test(page.url());
			if (!accepted) console.error(`not accepted (${js ? 'JS' : 'no JS'}):`, await page.locator('main').innerText());
			// without JavaScript the whole file goes up (nothing shrinks it) and must still be accepted
			ok &&= accepted && (js ? uploaded < 1024 * KB : uploaded === original.length);
			lines.push(
				`  ${(uploaded / KB).toFixed(0).padStart(6)} KB  photo bytes the proposal form uploads ${js ? 'with' : 'without'} JavaScript ` +
					`(photo of ${(original.length / KB).toFixed(0)} KB${js ? `, shrunk in the browser in ${shrinkMs.toFixed(0)} ms` : ''}; ` +
					`${accepted ? 'accepted' : 'NOT accepted'})`
			);
			await ctx.close();
		}
	} finally {
		await browser.close();
		await server.stop();
	}
	console.log(`\nbench:weight — proposal photos in Chromium at 360×740, DPR 2 (bytes as transferred)`);
	for (const l of lines) console.log(l);
	console.log(ok ? 'photos: PASS' : 'photos: FAIL');
	return ok;
}

// Run alone: tsx tests/bench/photo-weight.ts [--no-build]
if (import.meta.url === `file://${process.argv[1]}`) {
	const { ensureBuild } = await import('./voting-server');
	ensureBuild();
	process.exit((await photoWeight()) ? 0 : 1);
}
