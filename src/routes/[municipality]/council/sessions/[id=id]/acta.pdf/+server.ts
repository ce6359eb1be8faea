import type { RequestHandler } from './$types';
import { requireMunicipality, orPageError } from '$lib/server/http';
import { minutesPdf } from '$lib/server/council';
import { loadTranslator } from '$lib/i18n';

/** The generated acta (public: the CCL's minutes are a public record). ?lang=es|qu; default: the page language. */
export const GET: RequestHandler = async (event) => {
	const m = requireMunicipality(event);
	const lang =
		event.url.searchParams.get('lang') === 'qu'
			? 'qu'
			: event.url.searchParams.get('lang') === 'es'
				? 'es'
				: event.locals.locale;
	return orPageError(event, async () => {
		const pdf = await minutesPdf(
			event.locals.db,
			m.id,
			{ name: m.name, kind: m.kind },
			Number(event.params.id),
			await loadTranslator(lang)
		);
		return new Response(new Uint8Array(pdf), {
			headers: {
				'Content-Type': 'application/pdf',
				'Content-Disposition': `inline; filename="acta-ccl-${event.params.id}-${lang}.pdf"`
			}
		});
	});
};
