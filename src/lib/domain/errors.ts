/**
 * A refusal the person can act on. `code` is a key under `errors.` in messages/*.json; `params` fill its
 * placeholders. Routes turn it into a translated message; nothing else about the failure reaches the page.
 */
export class UserError extends Error {
	constructor(
		public readonly code: string,
		public readonly params: Record<string, string | number> = {},
		public readonly status: 400 | 403 | 404 | 409 | 429 = 400
	) {
		super(code);
		this.name = 'UserError';
	}
}

export function isUserError(e: unknown): e is UserError {
	return e instanceof UserError;
}
