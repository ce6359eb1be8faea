/** Messages between the page and the recount worker (tally.worker.ts). Types only. */
import type { RuleId, ScoreFrom, TieMode } from '../domain/tally/types';

export interface RecountFile {
	name: string;
	text: string;
	rule: RuleId;
	ties?: TieMode;
	scoreFrom?: ScoreFrom;
}

export interface RecountRow {
	id: string;
	name: string | null;
	cost: string;
	votes: number;
	score: string;
	selected: boolean;
}

export interface RecountOutcome {
	name: string;
	/** absent when the file could not be read or counted (then `error` says why, with the line when known) */
	result?: {
		voters: number;
		budget: string;
		selected: string[];
		totalCost: string;
		unspent: string;
		ranking: RecountRow[];
	};
	error?: string;
}

export type ToWorker = { id: number; files: RecountFile[] };
export type FromWorker =
	| { id: number; kind: 'progress'; done: number; total: number }
	| { id: number; kind: 'done'; outcomes: RecountOutcome[] };
