import { test } from './fixtures';
import { newcomerWalk } from './newcomer-walk';

// The same walk without JavaScript: every step is a plain link or form POST (a separate file, so it runs beside the
// JavaScript walk on the second worker).
test.use({ javaScriptEnabled: false });
test('newcomer walk without JavaScript: setup to a published result', async ({ page }) => {
	test.setTimeout(180_000);
	await newcomerWalk(page, { ubigeo: '050403', hostUbigeo: '050404', axe: false });
});
