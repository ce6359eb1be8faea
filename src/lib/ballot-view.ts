import { formatSoles } from './i18n/format';

/** Ballot error params carry céntimos (…Cents); messages show soles. */
export function moneyParams(error: { code: string; params: Record<string, string | number> }) {
	const params: Record<string, string | number> = {};
	for (const [k, v] of Object.entries(error.params ?? {})) {
		if (k.endsWith('Cents') && typeof v === 'number') params[k.slice(0, -5)] = formatSoles(v);
		else params[k] = v;
	}
	return { code: error.code, params };
}
