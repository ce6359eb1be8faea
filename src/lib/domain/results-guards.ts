/**
 * When results may be computed (issue 12 point 3). Pure: the stations' reconciliation and the stations an official
 * unblocked with an audited reason go in, the refusals come out, each a message key with its parameters.
 */
import type { DecisionRule } from './round-rules';

/** One station as the reconciliation reports it. */
export interface StationCheck {
	stationId: number;
	name: string;
	/** paper batches not accepted yet */
	pendingBatches: number;
	/** every paper handed out was keyed, the envelopes' counts agree, every assisted voter has a ballot */
	agrees: boolean;
}

export interface ComputeBlock {
	stationId: number;
	code: 'results.guard.pending' | 'results.guard.unreconciled';
	params: { station: string; n: number };
}

/**
 * Stations that stop the count: a batch still pending, or counts that do not agree. A station an official unblocked
 * (stations rarely reconcile to the ballot: a spoilt paper, a voter who left) stops nothing.
 */
export function computeBlocks(stations: readonly StationCheck[], unblocked: ReadonlySet<number>): ComputeBlock[] {
	const out: ComputeBlock[] = [];
	for (const s of stations) {
		if (unblocked.has(s.stationId)) continue;
		if (s.pendingBatches > 0)
			out.push({
				stationId: s.stationId,
				code: 'results.guard.pending',
				params: { station: s.name, n: s.pendingBatches }
			});
		else if (!s.agrees)
			out.push({ stationId: s.stationId, code: 'results.guard.unreconciled', params: { station: s.name, n: 0 } });
	}
	return out;
}

/** Votes decide (alone or in a mix) and nobody voted: computing needs the official to say so on purpose. */
export function zeroBallotsMatter(decision: DecisionRule, countedBallots: number): boolean {
	return decision.rule !== 'scores' && countedBallots === 0;
}

/** An unblocking reason long enough to mean something (it is public in the audit trail). */
export const MIN_REASON_LENGTH = 10;
