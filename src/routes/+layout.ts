import type { LayoutLoad } from './$types';
import { loadTranslator } from '$lib/i18n';

// Runs on the server and in the browser, so both render with the same messages.
export const load: LayoutLoad = async ({ data }) => {
	return { ...data, t: await loadTranslator(data.locale) };
};
