import { parseDecimal, toScale } from './decimal';
import { distinctVotes, voterCount } from './distinct';
import type { Election } from './types';

export interface Counts {
	/** number of ballots naming each project */
	votes: number[];
	/** exact score per project, in units of 10^-scoreScale (approval: votes; ordinal: positional points len..1 or the points given; cumulative/scoring: sum of points) */
	score: bigint[];
	scoreScale: number;
}

/** META default_score for scoring ballots (points of an unlisted project), in point units. */
export function defaultScoreUnits(e: Election): bigint {
	if (e.voteType !== 'scoring') return 0n;
	const raw = e.meta['default_score'];
	if (raw === undefined || raw === '' || raw.toLowerCase() === 'none') return 0n;
	const d = parseDecimal(raw);
	if (!d || d.scale > e.pointScale) return 0n;
	return toScale(d, e.pointScale);
}

const memo = new WeakMap<Election, Counts>();

/** Recounts votes and scores from the VOTES section (memoised per election object; treat as read-only). */
export function countVotes(e: Election): Counts {
	let c = memo.get(e);
	if (!c) {
		c = recount(e);
		memo.set(e, c);
	}
	return c;
}

function recount(e: Election): Counts {
	const m = e.projects.length;
	const votes = new Array<number>(m).fill(0);
	const score = new Array<bigint>(m).fill(0n);
	const vt = e.voteType;
	if (vt === 'approval' || vt === 'choose-1') {
		const dv = distinctVotes(e);
		if (dv) {
			// once per distinct vote, weighted by how many voters cast it
			const { start, flat, voteIdx } = dv;
			const cnt = new Int32Array(dv.count);
			for (let i = 0; i < voteIdx.length; i++) cnt[voteIdx[i]]++;
			for (let d = 0; d < cnt.length; d++) for (let k = start[d]; k < start[d + 1]; k++) votes[flat[k]] += cnt[d];
		} else for (const v of e.voters) for (const p of v.vote) votes[p]++;
		for (let p = 0; p < m; p++) score[p] = BigInt(votes[p]);
		return { votes, score, scoreScale: 0 };
	}
	// accumulate in doubles while exact (|sum| < 2^53), BigInt otherwise
	const acc = new Float64Array(m);
	for (const v of e.voters) {
		const len = v.vote.length;
		for (let k = 0; k < len; k++) {
			const p = v.vote[k];
			votes[p]++;
			const pts = v.points ? v.points[k] : vt === 'ordinal' ? len - k : 1;
			acc[p] += pts;
		}
	}
	let safe = true;
	for (let p = 0; p < m; p++) if (!Number.isSafeInteger(acc[p])) safe = false;
	if (safe) {
		for (let p = 0; p < m; p++) score[p] = BigInt(acc[p]);
	} else {
		for (const v of e.voters) {
			const len = v.vote.length;
			for (let k = 0; k < len; k++) {
				const pts = v.points ? v.points[k] : vt === 'ordinal' ? len - k : 1;
				score[v.vote[k]] += BigInt(pts);
			}
		}
	}
	const def = defaultScoreUnits(e);
	if (def !== 0n) {
		const n = voterCount(e);
		for (let p = 0; p < m; p++) score[p] += def * BigInt(n - votes[p]);
	}
	return { votes, score, scoreScale: e.pointScale };
}
