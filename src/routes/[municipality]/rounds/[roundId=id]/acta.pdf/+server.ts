import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { actaDocument, actaState, actaVersionDocument } from '$lib/server/acta';
import { actaPdf } from '$lib/server/acta';
import { loadTranslator } from '$lib/i18n';
import type { ActaContent } from '$lib/domain/acta';

/**
 * The public version of the round's Acta de Acuerdos y Compromisos, once issued: names of agents acting in their role
 * and their organisations; no DNIs, phones or e-mails. ?lang=es|qu; default: the page language.
 */
export const GET: RequestHandler = async (event) => {
	const m = requireMunicipality(event);
	const lang =
		event.url.searchParams.get('lang') === 'qu'
			? 'qu'
			: event.url.searchParams.get('lang') === 'es'
				? 'es'
				: event.locals.locale;
	const roundId = idParam(event.params.roundId);
	const state = orPageError(event, () => actaState(event.locals.db, m.id, roundId));
	const versionParam = event.url.searchParams.get('version');
	let d: { content: ActaContent; contentSha256: string | null; anchor: { seq: number; hash: string } | null };
	let withdrawnAt: number | null = null;
	if (versionParam !== null) {
		// An earlier issued version, taken back to draft: it stays public, marked as withdrawn.
		const id = Number(versionParam);
		const v = Number.isSafeInteger(id) && id > 0 ? actaVersionDocument(event.locals.db, m.id, roundId, id) : null;
		if (!v) error(404, event.locals.t('errors.notFound'));
		d = v;
		withdrawnAt = v.withdrawnAt;
	} else {
		if (state.status !== 'issued') error(404, event.locals.t('acta.public.notYet'));
		d = actaDocument(event.locals.db, m.id, roundId);
	}
	const pdf = await actaPdf(d.content, await loadTranslator(lang), {
		draft: false,
		withdrawnAt,
		contentSha256: d.contentSha256,
		anchor: d.anchor,
		locale: lang
	});
	return new Response(new Uint8Array(pdf), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `inline; filename="acta-acuerdos-${d.content.round.fiscalYear}-${lang}.pdf"`
		}
	});
};
