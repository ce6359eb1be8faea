import type { ParamMatcher } from '@sveltejs/kit';

/**
 * A database id in a URL: a positive integer of at most 12 digits, nothing else (no sign, space, `%0A`, exponent).
 * Any other spelling is a 404 page before a load runs, so no route reads `Number(' \n1')` as 1.
 */
export const match = ((param: string): param is string => /^[1-9]\d{0,11}$/.test(param)) satisfies ParamMatcher;
