import type { LayoutLoad } from './$types';
import { loadTranslator } from '$lib/i18n';

// Runs on the server and in the browser, so both render with the same messages; with the Spanish fallback in the
// browser too, a key missing from qu.json shows Spanish after hydration, never the raw key.
export const load: LayoutLoad = async ({ data }) => {
	return { ...data, t: await loadTranslator(data.locale, { withFallback: true }) };
};
