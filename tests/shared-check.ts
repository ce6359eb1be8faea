import { SHARED_MISSING, SHARED_PLAN } from './engine/helpers';

// Vitest global setup: says once, before any test, what happens to the checks that need ../shared.
export default function sharedCheck() {
	if (SHARED_PLAN === 'fail') throw new Error(`${SHARED_MISSING} CI is set, so they are not skipped.`);
	if (SHARED_PLAN === 'skip')
		console.warn(`\n⚠ ${SHARED_MISSING}\n  Skipping them (outside CI only); everything else runs.\n`);
}
