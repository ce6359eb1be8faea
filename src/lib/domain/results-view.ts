/**
 * How a frozen result reads on the results pages: one cut-off line, the status of each row and the support figure
 * as text. Pure, so the table-driven results test checks exactly what the page prints.
 */
import type { BudgetOutcomeRow, SupportFigure } from './results';

export type RowStatus = 'funded' | 'fundedLeftover' | 'reserve' | 'notEligible';

export interface ViewRow {
	row: BudgetOutcomeRow;
	/** 1-based position in the ranking; null for proposals that could not be funded at all */
	position: number | null;
	status: RowStatus;
}

/**
 * Rows with their status and the single cut-off line: it sits above the first project that was not funded. A
 * project below it that was still funded (greedy skipped a bigger one and this one fit in what was left) is
 * `fundedLeftover`; proposals left out for a failed gate or no score are `notEligible`, after the ranking.
 */
export function rankedView(rows: BudgetOutcomeRow[]): { rows: ViewRow[]; cutoffBefore: number | null } {
	let cutoffBefore: number | null = null;
	const out = rows.map((row, i): ViewRow => {
		if (row.ineligible) return { row, position: null, status: 'notEligible' };
		if (!row.selected && cutoffBefore === null) cutoffBefore = i;
		const status: RowStatus = row.selected ? (cutoffBefore === null ? 'funded' : 'fundedLeftover') : 'reserve';
		return { row, position: i + 1, status };
	});
	return { rows: out, cutoffBefore };
}

type T = (key: string, params?: Record<string, unknown>) => string;

/** Snapshots made before figures were stored: the figure they showed (votes, or points for points/ranked ballots). */
export function figureOf(
	row: BudgetOutcomeRow,
	snap: { scoreFrom: string; ballotType: string }
): SupportFigure | { kind: 'legacy'; text: string } {
	if (row.figure) return row.figure;
	if (snap.scoreFrom === 'projects') return { kind: 'legacy', text: row.score };
	if (snap.ballotType === 'cumulative' || snap.ballotType === 'ranked')
		return { kind: 'points', points: row.score, voters: row.votes };
	return { kind: 'votes', votes: row.votes };
}

/** The column heading for a budget's support figures. */
export function figureHeading(kind: string): string {
	return kind === 'votes'
		? 'results.votes'
		: kind === 'points'
			? 'results.points'
			: kind === 'mix'
				? 'results.figure.mixHeading'
				: 'results.score';
}

/** One formatter per number of decimals: building an Intl.NumberFormat costs far more than formatting with it. */
const formatters = new Map<number, Intl.NumberFormat>();

/** A decimal string in Peruvian notation (es-PE, both languages), keeping its decimals. */
const num = (s: string) => {
	const d = (s.split('.')[1] ?? '').length;
	let f = formatters.get(d);
	if (!f)
		formatters.set(d, (f = new Intl.NumberFormat('es-PE', { minimumFractionDigits: d, maximumFractionDigits: d })));
	return f.format(Number(s));
};

/** The support figure as the page prints it. */
export function figureText(f: SupportFigure | { kind: 'legacy'; text: string }, t: T): string {
	switch (f.kind) {
		case 'votes':
			return num(String(f.votes));
		case 'points':
			return t('results.figure.points', { points: num(f.points), count: f.voters, voters: f.voters });
		case 'score':
			return t('results.figure.score', { mean: num(f.mean), max: num(String(f.max)) });
		case 'mix':
			return t('results.figure.mix', {
				value: num(f.value),
				votes: num(f.votes),
				maxVotes: num(f.maxVotes),
				mean: num(f.mean),
				maxMean: num(f.maxMean),
				voteWeight: f.voteWeight,
				scoreWeight: f.scoreWeight
			});
		default:
			return f.text;
	}
}
