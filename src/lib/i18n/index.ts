import i18next, { type TFunction } from 'i18next';
import type { Locale } from '../domain/locale';

export type { TFunction };

const loaders: Record<Locale, () => Promise<{ default: Record<string, unknown> }>> = {
	es: () => import('../../../messages/es.json'),
	qu: () => import('../../../messages/qu.json')
};

/** Quechua has no CLDR plural data; Intl silently borrows the host's rules. Pin it to the single form "other". */
const QUECHUA_PLURALS = {
	select: () => 'other',
	resolvedOptions: () => ({ pluralCategories: ['other'] as Intl.LDMLPluralRule[] })
};

const instance = i18next.createInstance();
let ready: Promise<unknown> | null = null;

function init() {
	ready ??= instance
		.init({
			resources: {},
			fallbackLng: 'es',
			supportedLngs: ['es', 'qu'],
			interpolation: { escapeValue: false },
			returnNull: false
		})
		.then(() => {
			const resolver = instance.services.pluralResolver as unknown as {
				getRule: (code: string, options?: object) => unknown;
			};
			const original = resolver.getRule.bind(resolver);
			resolver.getRule = (code, options) => (code === 'qu' ? QUECHUA_PLURALS : original(code, options));
		});
	return ready;
}

async function ensureBundle(locale: Locale) {
	if (!instance.hasResourceBundle(locale, 'translation')) {
		const messages = (await loaders[locale]()).default;
		instance.addResourceBundle(locale, 'translation', messages, true, true);
	}
}

/** A translate function fixed to one locale (never switches a shared instance: requests run concurrently). */
export async function loadTranslator(locale: Locale, options: { withFallback?: boolean } = {}): Promise<TFunction> {
	await init();
	await ensureBundle(locale);
	if (options.withFallback && locale !== 'es') await ensureBundle('es');
	return instance.getFixedT(locale);
}
