import { exclusiveWorkEnded } from '../platform/workers';

/** The longest a request waits for a worker's exclusive work; then it goes on (SQLite's busy timeout takes over). */
export const EXCLUSIVE_WAIT_MS = 10_000;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A request that may write (a form action, an API call, or any request of a signed-in person: a session renewal, the
 * start of a seal) waits here, without holding the server's thread, while a worker holds the database's write lock for
 * long (platform/workers.ts exclusiveWork: the scrub's VACUUM). Anonymous reads go straight on.
 */
export async function waitForExclusiveWork(request: Request, signedIn: boolean): Promise<void> {
	const ended = exclusiveWorkEnded();
	if (!ended || (READS.has(request.method) && !signedIn)) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([ended, new Promise((go) => (timer = setTimeout(go, EXCLUSIVE_WAIT_MS)))]);
	clearTimeout(timer);
}
