export const LOCALES = ['es', 'qu'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
	return value === 'es' || value === 'qu';
}

/** Best supported language in an Accept-Language header (quechua variants quz/quy/que map to qu). */
export function fromAcceptLanguage(header: string | null | undefined): Locale | null {
	if (!header) return null;
	const ranked = header
		.split(',')
		.map((part) => {
			const [tag, ...params] = part.trim().split(';');
			const q = params.find((p) => p.trim().startsWith('q='));
			return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
		})
		.filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const primary = tag.split('-')[0];
		if (primary === 'es') return 'es';
		if (primary === 'qu' || primary === 'quz' || primary === 'quy' || primary === 'que') return 'qu';
	}
	return null;
}

/**
 * Saved user preference, then cookie (a person's own choice wins over everything); then Quechua if the browser asks for
 * it first; then the municipality's default; then whatever the browser asked for; then Spanish.
 * Why the municipality comes before a Spanish Accept-Language: Android and iOS offer no Quechua UI, so Quechua
 * speakers' phones send es-PE, and a municipality that chose Quechua would otherwise serve Spanish to nearly everyone.
 */
export function negotiateLocale(input: {
	userPreference?: string | null;
	cookie?: string | null;
	acceptLanguage?: string | null;
	municipalityDefault?: string | null;
}): Locale {
	if (isLocale(input.userPreference)) return input.userPreference;
	if (isLocale(input.cookie)) return input.cookie;
	const accepted = fromAcceptLanguage(input.acceptLanguage);
	if (accepted === 'qu') return 'qu';
	if (isLocale(input.municipalityDefault)) return input.municipalityDefault;
	return accepted ?? 'es';
}
