import type { RequestHandler } from './$types';
import { requireActor } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { actaDocument, agentDnis } from '$lib/server/acta';
import { actaPdf } from '$lib/server/acta';
import { loadTranslator } from '$lib/i18n';

/**
 * Officials' PDFs of the acta, draft or issued. ?copy=signing adds the agents' DNIs (the copy printed for signature,
 * never published); ?copy=public is what the public page will carry. ?lang=es|qu.
 */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event, 'acta.manage');
	const lang =
		event.url.searchParams.get('lang') === 'qu'
			? 'qu'
			: event.url.searchParams.get('lang') === 'es'
				? 'es'
				: event.locals.locale;
	const signing = event.url.searchParams.get('copy') === 'signing';
	const roundId = idParam(event.params.roundId);
	const d = orPageError(event, () => actaDocument(event.locals.db, actor.municipalityId, roundId));
	const dnis = signing ? agentDnis(event.locals.db, actor, actor.municipalityId, roundId) : undefined;
	const pdf = await actaPdf(d.content, await loadTranslator(lang), {
		draft: !d.issued,
		contentSha256: d.contentSha256,
		anchor: d.anchor,
		dnis,
		locale: lang
	});
	const name = `acta-acuerdos-${d.content.round.fiscalYear}-${signing ? 'firma' : 'publica'}-${lang}.pdf`;
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="${name}"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
