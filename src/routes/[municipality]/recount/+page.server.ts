import type { PageServerLoad } from './$types';
import { requireMunicipality } from '$lib/server/http';
import { publishedResult } from '$lib/server/results';

/**
 * `?round=N`: the round's published `.pb` files, each with the command its recount needs and the published winners,
 * for "recount here" (a budget kept private under MES is left out: its file holds no ballots). Without it, the page
 * counts a file the person chooses.
 */
export const load: PageServerLoad = (event) => {
	const m = requireMunicipality(event);
	const round = event.url.searchParams.get('round') ?? '';
	const pub = /^[1-9]\d{0,11}$/.test(round) ? publishedResult(event.locals.db, m.id, Number(round)) : null;
	if (!pub) return { round: null, budgets: [] };
	const r = pub.snapshot.parsed;
	return {
		round: Number(round),
		budgets: r.budgets
			.filter((b) => b.withheld !== 'auditors')
			.map((b) => ({
				fileName: b.fileName,
				zoneName: b.zoneName,
				href: `/${m.slug}/rounds/${round}/results/files/${b.fileName}`,
				rule: b.withheld === 'projects' ? 'greedy' : r.rule,
				ties: r.ties,
				scoreFrom: b.withheld === 'projects' ? 'projects' : r.scoreFrom,
				published: b.rows.filter((row) => row.selected).map((row) => String(row.seq))
			}))
	};
};
