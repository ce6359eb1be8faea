import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { idParam, orPageError } from '$lib/server/http';
import { findRound } from '$lib/server/rounds';
import { actaAmendments, actaState, actaVersionsOf } from '$lib/server/acta';

/**
 * Public: whether the round's acta is issued, the PDFs in both languages and the SHA-256 of the content and scan; the
 * earlier versions and replaced scans stay listed.
 */
export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	return orPageError(event, () => {
		const round = findRound(event.locals.db, m.id, idParam(event.params.roundId));
		const s = actaState(event.locals.db, m.id, round.id);
		return {
			round: { id: round.id, titleEs: round.titleEs, titleQu: round.titleQu, fiscalYear: round.fiscalYear },
			acta: {
				issued: s.status === 'issued',
				issuedAt: s.issuedAt,
				contentSha256: s.contentSha256,
				scanSha256: s.scanSha256,
				scanUploadedAt: s.scanUploadedAt,
				anchor: s.anchor
			},
			/** Earlier issued versions taken back to draft, and every correction (with the previous value). */
			versions: actaVersionsOf(event.locals.db, m.id, round.id),
			amendments: actaAmendments(event.locals.db, m.id, round.id)
		};
	});
};
