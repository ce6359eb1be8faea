import { type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/client';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { setSessionCookie, deleteSessionCookie, LOCALE_COOKIE } from '$lib/server/auth/cookies';
import { actorFor } from '$lib/server/accounts';
import { getMunicipalityBySlug } from '$lib/server/municipalities';
import { negotiateLocale } from '$lib/domain/locale';
import { loadTranslator } from '$lib/i18n';
import {
	cachedPage,
	compressResponse,
	guardRequestBody,
	pageCacheKey,
	setSecurityHeaders,
	waitForExclusiveWork
} from '$lib/server/http';
import { schedulePhotoVariants } from '$lib/server/platform/photo-variants';
import { finishVotingMigration, scrubInBackground } from '$lib/server/voting';
import { finishCommitteeMerge } from '$lib/server/committee';
import { finishAgentDniSealing } from '$lib/server/agents';

/**
 * At start-up: photos stored before responsive variants existed get them, in the background; and migrations
 * 0011-0013's data move is finished (audit events for resolved duplicates, tags from the round key files, sealing
 * of closed rounds) before the first request, and so is migration 0015's (the audit event listing what the merge of
 * the two Comité de Vigilancia lists resolved), and migration 0024's (agents' DNIs recorded in clear are sealed) —
 * each does nothing once done; a scrub of the file left pending (voting/seal.ts) starts in a worker.
 */
export const init: ServerInit = () => {
	finishVotingMigration(getDb());
	finishCommitteeMerge(getDb());
	finishAgentDniSealing(getDb());
	// a seal's or a publication's scrub of the file that the process did not live to run
	scrubInBackground(getDb());
	void schedulePhotoVariants(getDb());
};

export const handle: Handle = async ({ event, resolve }) => {
	const db = getDb();
	event.locals.db = db;
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.actor = null;

	const token = event.cookies.get(SESSION_COOKIE);
	// while a worker holds the write lock for long (the scrub's VACUUM), a request that may write waits here, not in
	// SQLite's busy handler on the server's thread, which froze every request
	await waitForExclusiveWork(event.request, Boolean(token));
	if (token) {
		const result = validateSessionToken(db, token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.sessionId = result.session.id;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt);
		} else deleteSessionCookie(event.cookies);
	}

	const slug = event.params.municipality;
	event.locals.municipality = slug ? (getMunicipalityBySlug(db, slug) ?? null) : null;
	const user = event.locals.user;
	if (user && event.locals.municipality && user.municipalityId === event.locals.municipality.id)
		event.locals.actor = actorFor(db, user);

	const locale = negotiateLocale({
		userPreference: user?.locale,
		cookie: event.cookies.get(LOCALE_COOKIE),
		acceptLanguage: event.request.headers.get('accept-language'),
		municipalityDefault: event.locals.municipality?.defaultLocale
	});
	event.locals.locale = locale;
	event.locals.t = await loadTranslator(locale, { withFallback: true });
	// Each route family has its own body limit (census 70 MB, uploads their caps, other forms 1 MB): see
	// domain/body-limits.ts. A bigger body is refused with the translated 413 page before it is read.
	guardRequestBody(event.request, event.url.pathname, event.locals.t);

	// A public page every anonymous reader sees alike (the published results), and an official's page reloaded in one
	// session (turnout), are rendered once per change of the data (http/page-cache.ts).
	const pageKey = user
		? pageCacheKey(event, locale, [SESSION_COOKIE, LOCALE_COOKIE], event.locals.sessionId)
		: pageCacheKey(event, locale, [LOCALE_COOKIE]);
	return cachedPage(
		db,
		pageKey,
		async () => {
			const response = await resolve(event, {
				transformPageChunk: ({ html }) => html.replace('%lang%', locale)
			});
			setSecurityHeaders(response.headers);
			// Rendered pages go out compressed too (adapter-node only precompresses static files): slow mobile links.
			return compressResponse(event.request, response);
		},
		() => !event.locals.noPageCache
	);
};

/** The message of an error page SvelteKit raises itself (unknown route, wrong method or body type), by status. */
const STATUS_MESSAGES: Record<number, string> = {
	400: 'errors.badRequest',
	404: 'errors.notFound',
	405: 'errors.methodNotAllowed',
	413: 'errors.tooLarge',
	415: 'errors.unsupportedType'
};

export const handleError: HandleServerError = async ({ error, event, status }) => {
	if (status >= 500) console.error(error);
	const t = event.locals.t ?? (await loadTranslator('es'));
	return { message: t(STATUS_MESSAGES[status] ?? 'errors.unexpected') };
};
