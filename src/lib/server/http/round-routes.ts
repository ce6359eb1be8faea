import { fail, type RequestEvent } from '@sveltejs/kit';
import { isUserError } from '../../domain/errors';
import { echo, type FormErrorData } from './forms';
import { userErrorPage } from './role-hint';
import { chargeUploadQuota, formFileBytes, readForm } from '../platform/uploads';

/**
 * The one error path for loads and endpoints: a UserError (e.g. a round of another municipality) becomes a translated
 * error page with its status; anything else stays a 500. Works for synchronous and async functions.
 */
export function orPageError<T>(event: RequestEvent, fn: () => T): T {
	const page = (e: unknown): never => userErrorPage(event, e);
	try {
		const r = fn();
		return (r instanceof Promise ? r.catch(page) : r) as T;
	} catch (e) {
		return page(e);
	}
}

/**
 * For multipart actions: reads the form (a body over the limit becomes a translated refusal), charges its files to
 * the account's daily upload quota, runs the command,
 * and turns a UserError into fail() with the fields echoed back.
 */
export async function attemptMultipart<T>(
	event: RequestEvent,
	fn: (form: FormData) => T | Promise<T>,
	omit: string[] = []
) {
	let form: FormData | undefined;
	try {
		form = await readForm(event.request);
		const user = event.locals.user;
		if (user) chargeUploadQuota(event.locals.db, user.id, formFileBytes(form));
		return await fn(form);
	} catch (e) {
		if (isUserError(e))
			return fail(e.status, {
				error: { code: e.code, params: e.params },
				// Only when the form was read: pages read `'values' in form` and then its fields.
				...(form ? { values: echo(form, omit) } : {})
			} satisfies FormErrorData);
		throw e;
	}
}

export const idParam = (v: string | undefined) => (v && /^\d{1,12}$/.test(v) ? Number(v) : NaN);
