import { sha256 } from '@oslojs/crypto/sha2';
import { fieldCI } from './pb';
import type { Election, TieMode } from './types';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The public draw's seed: SHA-256 (hex) of the file's ballot choices without voter ids, one line per voter
 * (`vote` ids joined by "," and, when the file has points, ";" and the points as integers in the file's point
 * unit), lines sorted by UTF-16 code units and joined by "\n". Only the ballots decide it: nothing a server could
 * re-roll, and anyone holding the `.pb` gets the same seed.
 *
 * A file without ballot lines whose every project carries a whole-number `votes` column (a small budget kept
 * private: it publishes each project's totals only) is seeded by those totals instead, which the ballots decided:
 * one line per project, `id;votes;score` (score as written, empty when absent), sorted and joined the same way.
 * So the seed of a private budget is derivable from what is published; its ballots, held by the auditors, are
 * counted with this same seed (`--draw-seed`).
 */
export function drawSeed(e: Election): string {
	if (e.voters.length === 0) {
		const totals = e.projects.map((p) => [
			p.id,
			fieldCI(p.fields, 'votes')?.trim(),
			fieldCI(p.fields, 'score')?.trim()
		]);
		if (totals.length && totals.every(([, v]) => v !== undefined && /^\d+$/.test(v))) {
			const lines = totals.map(([id, v, s]) => `${id};${v};${s ?? ''}`);
			lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
			return hex(sha256(utf8(lines.join('\n'))));
		}
	}
	const lines = e.voters.map((v) => {
		const ids = v.vote.map((p) => e.projects[p].id).join(',');
		return v.points ? `${ids};${v.points.join(',')}` : ids;
	});
	lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return hex(sha256(utf8(lines.join('\n'))));
}

/** Each project's lot in the public draw: SHA-256 (hex) of `seed + "\n" + project id`; the lower lot wins a tie. */
export function drawLots(e: Election, seed = drawSeed(e)): string[] {
	return e.projects.map((p) => hex(sha256(utf8(`${seed}\n${p.id}`))));
}

/**
 * Tie-breaking as a total order on projects. Returns rank[p] (0 = preferred when tied).
 *  - file:        PROJECTS-section order (pabulib checker; in Minka's files: the earlier proposal)
 *  - lex:         project id as a plain string, UTF-16 code-unit order ("10" < "9"; pabutools default)
 *  - equalshares: lowest cost, then most votes, then project id as in `lex` (equalshares.net)
 *  - cost:        lowest cost, then PROJECTS-section order (Minka's default: cheaper first, then earlier proposal)
 *  - votes:       most votes, then lowest cost, then PROJECTS-section order
 *  - draw:        the public draw (drawLots), lowest lot first; `seed` replaces the file's own (drawSeed)
 */
export function tieRanks(e: Election, votes: readonly number[], mode: TieMode, seed?: string): Int32Array {
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
		case 'votes':
			idx.sort((a, b) => votes[b] - votes[a] || byCost(a, b) || a - b);
			break;
		case 'draw': {
			const lots = drawLots(e, seed ?? drawSeed(e));
			idx.sort((a, b) => (lots[a] < lots[b] ? -1 : lots[a] > lots[b] ? 1 : a - b));
			break;
		}
		default:
			throw new Error(`unknown tie-breaking mode ${String(mode)}`);
	}
	const rank = new Int32Array(m);
	idx.forEach((p, r) => (rank[p] = r));
	return rank;
}
