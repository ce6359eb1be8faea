import QRCode from 'qrcode';
import type { PageServerLoad } from './$types';
import { requireActor } from '$lib/server/http';
import { agentCodes, roundsForWorkshops } from '$lib/server/workshops';

/** Printable credentials: each agent's personal QR code, rendered on the server as SVG (no script needed). */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event, 'workshops.manage');
	const db = event.locals.db;
	const rounds = roundsForWorkshops(db, actor.municipalityId);
	const asked = Number(event.url.searchParams.get('round'));
	const round = rounds.find((r) => r.id === asked) ?? rounds[0] ?? null;
	const codes = round ? agentCodes(db, actor, actor.municipalityId, round.id) : [];
	const origin = event.url.origin;
	return {
		rounds,
		round,
		cards: await Promise.all(
			codes.map(async (c) => {
				const url = `${origin}/${event.params.municipality}/admin/workshops/checkin/${c.code}`;
				return { ...c, url, svg: await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }) };
			})
		)
	};
};
