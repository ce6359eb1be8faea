import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { isUserError } from '../../domain/errors';
import { authorize, type Action, type Actor } from '../platform/policy';
import { userErrorPage } from './role-hint';

export interface FormErrorData {
	error: { code: string; params: Record<string, string | number> };
	values?: Record<string, string>;
}

/** Form fields to echo back after a refusal, never secrets. */
export function echo(form: FormData, omit: string[] = []): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of form.entries())
		if (typeof v === 'string' && !omit.includes(k) && !/password|code/i.test(k)) out[k] = v;
	return out;
}

/** Runs a form action's command; a UserError becomes a translated-on-the-page refusal and changes nothing. */
export async function attempt<T>(fn: () => T | Promise<T>, values?: Record<string, string>) {
	try {
		return await fn();
	} catch (e) {
		// `values` only when there are some: pages read `'values' in form` and then its fields.
		if (isUserError(e))
			return fail(e.status, {
				error: { code: e.code, params: e.params },
				...(values ? { values } : {})
			} satisfies FormErrorData);
		throw e;
	}
}

/** For load functions: the actor allowed to do `action` here, or a redirect to log in / a translated 403. */
export function requireActor(event: RequestEvent, action: Action): Actor {
	const { locals, url } = event;
	const m = locals.municipality;
	if (!m) error(404, locals.t('errors.notFound'));
	if (!locals.actor) {
		if (locals.user) error(403, locals.t('errors.otherMunicipality'));
		redirect(303, `/${m.slug}/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	try {
		authorize(locals.actor, action, m.id);
	} catch (e) {
		userErrorPage(event, e);
	}
	return locals.actor;
}

export function requireMunicipality(event: RequestEvent) {
	const m = event.locals.municipality;
	if (!m) error(404, event.locals.t('errors.notFound'));
	return m;
}

/** The handover confirmation carried to the page a departing official lands on (`?handover=<revoked>-<granted>`). */
export function handoverNotice(url: URL): { revoked: number; granted: number } | null {
	const m = /^(\d{1,3})-(\d{1,3})$/.exec(url.searchParams.get('handover') ?? '');
	return m ? { revoked: Number(m[1]), granted: Number(m[2]) } : null;
}
