import type { PageServerLoad } from './$types';
import { findRound } from '$lib/server/rounds';
import { canEditProposal, proposalDetail } from '$lib/server/proposals';
import { idParam, orPageError } from '$lib/server/http';
import { parseWidths } from '$lib/server/platform/photo-variants';
import { ballotAudio } from '$lib/server/audio';

// A proposal page is read, not used: links, text and photos. No framework JavaScript (about 100 KB on a phone's
// first load), as on the ballot and the receipt pages.
export const csr = false;

export const load: PageServerLoad = (event) => {
	const { db, municipality, actor } = event.locals;
	const round = orPageError(event, () => findRound(db, municipality!.id, idParam(event.params.roundId)));
	const d = orPageError(event, () => proposalDetail(db, municipality!.id, round.id, idParam(event.params.proposalId)));
	const p = d.proposal;
	return {
		round: { id: round.id, titleEs: round.titleEs, titleQu: round.titleQu },
		// Public fields only: the author is not named (a resident), only whether an official filed it at a workshop.
		proposal: {
			id: p.id,
			seq: p.seq,
			title: p.title,
			description: p.description,
			originalLocale: p.originalLocale,
			translatedTitle: p.translatedTitle,
			translatedDescription: p.translatedDescription,
			category: p.category,
			estimatedCostCents: p.estimatedCostCents,
			adjustedCostCents: p.adjustedCostCents,
			beneficiaries: p.beneficiaries,
			latitude: p.latitude,
			longitude: p.longitude,
			status: p.status,
			notFeasibleReason: p.notFeasibleReason,
			notFeasibleText: p.notFeasibleText,
			investmentCui: p.investmentCui,
			filedAtWorkshop: p.filedByUserId !== null,
			createdAt: p.createdAt
		},
		zone: d.zone ? { name: d.zone.name } : null,
		photos: d.photos.map((ph) => ({
			id: ph.id,
			width: ph.width,
			height: ph.height,
			sha256: ph.sha256,
			variants: parseWidths(ph.variantWidths)
		})),
		// The recording made for the ballot, in the reader's language, heard here too (nothing fetched until play).
		audioClipId: ballotAudio(db, municipality!.id, round.id, event.locals.locale).byProposal[p.id] ?? null,
		canEdit: canEditProposal(actor, round, p),
		created: event.url.searchParams.has('created'),
		saved: event.url.searchParams.has('saved')
	};
};
