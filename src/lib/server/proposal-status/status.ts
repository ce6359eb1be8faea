/**
 * The only writer of proposals.status (tests/unit/imports.test.ts checks no other file updates it). Every move is
 * checked against the pure table in domain/proposal-status.ts; a move outside it is a programming error.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { checkStatusMove, type ProposalStatus, type StatusCause, type Verdict } from '../../domain/proposal-status';
import { UserError } from '../../domain/errors';
import type { Db } from '../db/client';
import { proposals } from '../db/schema/index';

type Extra = Partial<Omit<typeof proposals.$inferInsert, 'id' | 'status'>>;

function move(tx: Db, p: { id: number; status: ProposalStatus }, to: ProposalStatus, cause: StatusCause, extra = {}) {
	const check = checkStatusMove(p.status, to, cause);
	if (!check.ok) throw new UserError(check.error, { from: p.status, to }, 409);
	tx.update(proposals)
		.set({ ...extra, status: to, updatedAt: Date.now() })
		.where(eq(proposals.id, p.id))
		.run();
}

/** The technical team's verdict (with the columns that go with it). */
export function recordVerdict(tx: Db, p: { id: number; status: ProposalStatus }, verdict: Verdict, extra: Extra) {
	move(tx, p, verdict, 'verdict', extra);
}

/** What a published result makes of a proposal on the ballot. */
export function recordOutcome(tx: Db, proposalId: number, to: ProposalStatus) {
	const p = tx
		.select({ id: proposals.id, status: proposals.status })
		.from(proposals)
		.where(eq(proposals.id, proposalId))
		.get();
	if (!p) throw new UserError('notFound', {}, 404);
	move(tx, p, to, 'published');
}

/**
 * The round-wide moves that come with a phase change: intake closes (submitted → under evaluation), intake reopens
 * (under evaluation without a verdict → submitted), the vote opens (feasible → on the ballot). Returns how many moved.
 */
export function moveWithPhase(
	tx: Db,
	roundId: number,
	cause: 'evaluationStarts' | 'intakeReopens' | 'voteOpens'
): number {
	const [from, to] = (
		{
			evaluationStarts: ['submitted', 'under_evaluation'],
			intakeReopens: ['under_evaluation', 'submitted'],
			voteOpens: ['feasible', 'on_ballot']
		} as const
	)[cause];
	if (!checkStatusMove(from, to, cause).ok) throw new Error(`no ${cause} move from ${from} to ${to}`);
	const where = and(
		eq(proposals.roundId, roundId),
		eq(proposals.status, from),
		// A proposal the team already marked "under evaluation" itself keeps that mark.
		cause === 'intakeReopens' ? isNull(proposals.evaluatedAt) : undefined
	);
	return tx.update(proposals).set({ status: to, updatedAt: Date.now() }).where(where).run().changes;
}
