import type { Election, TieMode } from './types';

/**
 * Tie-breaking as a total order on projects. Returns rank[p] (0 = preferred when tied).
 *  - file:        PROJECTS-section order (pabulib checker)
 *  - lex:         project id as a plain string, UTF-16 code-unit order ("10" < "9"; pabutools default)
 *  - equalshares: lowest cost, then most votes, then project id as in `lex` (equalshares.net)
 *  - cost:        lowest cost, then PROJECTS-section order (Minka's default: cheaper first, then earlier proposal)
 */
export function tieRanks(e: Election, votes: readonly number[], mode: TieMode): Int32Array {
	const m = e.projects.length;
	const idx = Array.from({ length: m }, (_, i) => i);
	const ids = e.projects.map((p) => p.id);
	const lex = (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b);
	const byCost = (a: number, b: number) => {
		const ca = e.projects[a].cost;
		const cb = e.projects[b].cost;
		return ca < cb ? -1 : ca > cb ? 1 : 0;
	};
	switch (mode) {
		case 'file':
			break;
		case 'lex':
			idx.sort(lex);
			break;
		case 'equalshares':
			idx.sort((a, b) => byCost(a, b) || votes[b] - votes[a] || lex(a, b));
			break;
		case 'cost':
			idx.sort((a, b) => byCost(a, b) || a - b);
			break;
		default:
			throw new Error(`unknown tie-breaking mode ${String(mode)}`);
	}
	const rank = new Int32Array(m);
	idx.forEach((p, r) => (rank[p] = r));
	return rank;
}
