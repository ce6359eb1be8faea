import { UserError } from '../../src/lib/domain/errors';

/** What a command tells its user: the UserError's code, or 'ok' when it went through. Any other error is thrown on. */
export function userErrorCode(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		if (e instanceof UserError) return e.code;
		throw e;
	}
	return 'ok';
}
