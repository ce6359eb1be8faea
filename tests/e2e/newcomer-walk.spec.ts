import { test } from './fixtures';
import { newcomerWalk } from './newcomer-walk';

// A first-time official, with JavaScript: setup → published result by the links the pages offer; axe on the new pages.
test('newcomer walk with JavaScript: setup, zones, census, stepped round, checklist, vote, close, compute, publish', async ({
	page
}) => {
	test.setTimeout(180_000); // a loaded 2-core machine; the walk itself takes well under a minute when idle
	await newcomerWalk(page, { ubigeo: '050401', hostUbigeo: '050402', axe: true });
});
