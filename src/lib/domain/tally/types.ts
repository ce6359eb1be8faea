/** Shared types of the result engine. */

export type VoteType = 'approval' | 'ordinal' | 'cumulative' | 'scoring' | 'choose-1';

export const VOTE_TYPES: readonly VoteType[] = ['approval', 'ordinal', 'cumulative', 'scoring', 'choose-1'];

export interface Project {
	/** project_id, always a string */
	id: string;
	/** cost in units of 10^-election.scale of the currency (exact) */
	cost: bigint;
	/** every other PROJECTS column (name, votes, score, selected, category, …), trimmed raw text */
	fields: Record<string, string>;
	/** line of the PROJECTS row in the source file (0 when built in memory) */
	line: number;
}

export interface Voter {
	/** voter_id, always a string */
	id: string;
	/** indices into election.projects, in ballot order (rank order for ordinal, points order for cumulative).
	 * Read-only: voters with the same vote text share one array. */
	vote: readonly number[];
	/** points per entry of `vote`, in units of 10^-election.pointScale; null when the ballot has no points */
	points: number[] | null;
	/** values of election.voterColumns (the extra VOTES columns), same order */
	extra: readonly string[];
	/** line of the VOTES row in the source file (0 when built in memory) */
	line: number;
}

export interface Election {
	/** META key → value, in file order (budget, num_votes, … kept as written) */
	meta: Record<string, string>;
	voteType: VoteType;
	/** total budget in units of 10^-scale */
	budget: bigint;
	/** decimals used for money: every cost and the budget are integers in units of 10^-scale */
	scale: number;
	/** decimals used for points (0 for integer points) */
	pointScale: number;
	/** the PROJECTS header as written (includes project_id and cost) */
	projectHeader: string[];
	projects: Project[];
	/** the VOTES header as written (includes voter_id, vote and, if present, points) */
	voterHeader: string[];
	/** the extra VOTES columns (voterHeader without voter_id, vote, points), in file order */
	voterColumns: string[];
	/** whether the VOTES section has a points column */
	hasPoints: boolean;
	voters: Voter[];
	/** problems found while reading that do not stop the count (count mismatches, …) */
	warnings: string[];
}

export type RuleId =
	| 'greedy'
	| 'greedy-stop80'
	| 'mes'
	| 'mes-points'
	| 'mes-add1'
	| 'mes-add1-exhaustive'
	| 'mes-add1-exhaustive-greedy'
	| 'phragmen';

export type TieMode = 'file' | 'lex' | 'equalshares' | 'cost' | 'votes' | 'draw';

export const TIE_MODES: readonly TieMode[] = ['file', 'lex', 'equalshares', 'cost', 'votes', 'draw'];

export type ScoreFrom = 'ballots' | 'projects';

export interface RunOptions {
	rule: RuleId;
	/** default: the rule's own default (see RULES) */
	ties?: TieMode;
	/** greedy rules only: rank by recounted ballots (default) or by the PROJECTS `score` column */
	scoreFrom?: ScoreFrom;
	/** greedy rules only: honour META min_project_score_threshold (default true) */
	useThreshold?: boolean;
	/**
	 * ties 'draw' only: the draw's seed (hex SHA-256) instead of the one this file gives. A small budget kept private
	 * is counted from its ballots with the seed of the published file that holds only the totals (see drawSeed).
	 */
	drawSeed?: string;
	/** called after each pass of an MES completion (the endowment raised once more); never changes the outcome */
	onPass?: (passes: number) => void;
}

export interface RankedProject {
	id: string;
	name: string | null;
	/** exact decimal string in the election's currency */
	cost: string;
	/** ballots naming the project (recounted from VOTES) */
	votes: number;
	/** exact decimal string: points (cumulative/scoring), positional score (ordinal), votes (approval), or the PROJECTS score column with scoreFrom=projects */
	score: string;
	selected: boolean;
	/** 1-based position in selection order, null when not selected */
	selectionOrder: number | null;
	/** total cost of the selected projects up to and including this row of the ranking (exact decimal) */
	runningTotal: string;
}

export interface TallyResult {
	engine: 'minka-tally';
	engineVersion: string;
	rule: RuleId;
	ties: TieMode;
	scoreFrom: ScoreFrom | null;
	voteType: VoteType;
	/** number of ballots (blank ones included) */
	voters: number;
	projects: number;
	budget: string;
	/** selected project ids, in selection order */
	selected: string[];
	totalCost: string;
	unspent: string;
	/** every project: selected ones first in selection order (for greedy: the greedy order), then the rest by score */
	ranking: RankedProject[];
	/** MES-family extras */
	mes?: {
		/** per-voter endowment of the returned outcome (exact decimal or fraction `a/b`) */
		endowment: string;
		initialEndowment: string;
		/** number of endowment increments performed (add1 rules) */
		steps: number;
		/** projects added by the greedy top-up (mes-add1-exhaustive-greedy) */
		completedByGreedy?: string[];
		note?: string;
	};
	/** ties=draw: the public draw's seed (SHA-256 of the sorted ballot choice lines, see ties.ts) */
	drawSeed?: string;
	warnings: string[];
}

export class PbError extends Error {
	constructor(
		message: string,
		readonly line: number | null = null
	) {
		super(line ? `line ${line}: ${message}` : message);
		this.name = 'PbError';
	}
}
