/**
 * What parsePb learnt about the ballots while reading, kept beside the election (not in it, so the
 * Election type stays plain data): voters grouped by identical vote text. Counting, ballot merging and
 * the voter count use it without building one object per voter (see the lazy `voters` in pb.ts).
 */
import type { Election } from './types';

/**
 * Voters of a parsed election grouped by identical vote text: voter i cast vote voteIdx[i], and vote d names
 * projects flat[start[d] .. start[d + 1]) in the order written (voters[i].vote is voteArray(voteIdx[i])).
 */
export interface DistinctVotes {
	count: number;
	start: Int32Array;
	flat: Int32Array;
	voteIdx: Int32Array;
	/** vote d as an array, the same array on every call */
	voteArray: (d: number) => readonly number[];
}

const memo = new WeakMap<Election, DistinctVotes>();

export function rememberDistinct(e: Election, info: DistinctVotes): void {
	memo.set(e, info);
}

/** Whether e.voters is still the lazy getter parsePb put there (nobody has read or replaced it). */
function votersPending(e: Election): boolean {
	return typeof Object.getOwnPropertyDescriptor(e, 'voters')?.get === 'function';
}

/**
 * The grouping made while parsing, if this election came from parsePb and its voters still hold the
 * parsed vote arrays (checked once they exist); otherwise null.
 */
export function distinctVotes(e: Election): DistinctVotes | null {
	const info = memo.get(e);
	if (!info) return null;
	if (votersPending(e)) return info;
	if (info.voteIdx.length !== e.voters.length) return null;
	const { voteArray, voteIdx } = info;
	for (let i = 0; i < e.voters.length; i++) if (e.voters[i].vote !== voteArray(voteIdx[i])) return null;
	return info;
}

/** Number of ballots (blank ones included), without building the voters when they are still pending. */
export function voterCount(e: Election): number {
	const info = memo.get(e);
	return info && votersPending(e) ? info.voteIdx.length : e.voters.length;
}
