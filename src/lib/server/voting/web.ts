/** Web voting: the voter's ballot page, casting and replacing a web ballot. */
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { UserError } from '../../domain/errors';
import type { SectionChoices } from '../../domain/ballot';
import { groupWrite, writeTx, type Db } from '../db/client';
import { ballots, rollMarks, type BallotChannel } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { loadRound, requireOpen, type BallotPaper, paperFor, eligibleSections, personOf, checkChoices } from './paper';
import { newReceiptCode, insertBallot } from './ballots';

export type VoterState =
	| { kind: 'none' }
	| { kind: 'voted'; castAt: number; channel: BallotChannel }
	| { kind: 'marked'; kind2: 'paper' | 'assisted' };

export function voterState(db: Db, roundId: number, personId: number): VoterState {
	const mark = db
		.select({ kind: rollMarks.kind })
		.from(rollMarks)
		.where(and(eq(rollMarks.roundId, roundId), eq(rollMarks.personId, personId)))
		.get();
	if (mark) return { kind: 'marked', kind2: mark.kind };
	const b = db
		.select({ castAt: ballots.castAt, channel: ballots.channel })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.voterPersonId, personId), eq(ballots.status, 'counted')))
		.get();
	return b ? { kind: 'voted', castAt: b.castAt, channel: b.channel } : { kind: 'none' };
}

/**
 * What the logged-in resident sees on the ballot page. Throws a translated refusal when they may not vote
 * (not verified, too young, no zone, voting closed, already marked at a polling station).
 */
export function ballotForVoter(db: Db, actor: Actor | null, municipalityId: number, roundId: number, locale: string) {
	authorize(actor, 'ballot.cast', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	requireOpen(db, round);
	const person = personOf(db, municipalityId, actor.personId);
	const sections = eligibleSections(db, round, person);
	const state = voterState(db, roundId, person.id);
	if (state.kind === 'marked') throw new UserError('ballot.markedAtStation', {}, 409);
	return { paper: paperFor(db, round, sections, locale), state };
}

/**
 * Casts (or replaces) the resident's web ballot in ONE immediate transaction: eligibility and the roll are
 * re-checked inside it, the previous counted ballot is superseded, the new one inserted with its sections, the
 * audit event appended. Returns only after the commit; the receipt code is returned once and never stored.
 */
export function castWebBallot(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale = 'es'
) {
	authorize(actor, 'ballot.cast', municipalityId);
	return writeTx(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices, locale));
}

/** The same cast for the web form under load: concurrent casts share one commit (group commit), each answered after it. */
export function castWebBallotGrouped(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale = 'es'
): Promise<{ receipt: string; replaced: boolean }> {
	authorize(actor, 'ballot.cast', municipalityId);
	return groupWrite(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices, locale));
}

export function castInTx(
	tx: Db,
	actor: Actor,
	municipalityId: number,
	roundId: number,
	choices: SectionChoices[] | ((paper: BallotPaper) => SectionChoices[]),
	locale: string
) {
	const receipt = newReceiptCode();
	const now = Date.now();
	{
		const round = loadRound(tx, municipalityId, roundId);
		requireOpen(tx, round, now);
		const person = personOf(tx, municipalityId, actor.personId);
		const paper = paperFor(tx, round, eligibleSections(tx, round, person), locale);
		const sections = checkChoices(paper, typeof choices === 'function' ? choices(paper) : choices);
		const mark = prepared(tx, 'voting.rollMark', () =>
			tx
				.select({ id: rollMarks.id })
				.from(rollMarks)
				.where(
					and(eq(rollMarks.roundId, sql.placeholder('roundId')), eq(rollMarks.personId, sql.placeholder('personId')))
				)
				.prepare()
		).get({ roundId, personId: person.id });
		if (mark) throw new UserError('ballot.markedAtStation', {}, 409);
		const replaced = prepared(tx, 'voting.supersede', () =>
			tx
				.update(ballots)
				.set({ status: 'superseded', supersededAt: sql`${sql.placeholder('now')}` })
				.where(
					and(
						eq(ballots.roundId, sql.placeholder('roundId')),
						eq(ballots.voterPersonId, sql.placeholder('personId')),
						eq(ballots.status, 'counted')
					)
				)
				.prepare()
		).run({ now, roundId, personId: person.id }).changes;
		const b = insertBallot(tx, round, {
			voterPersonId: person.id,
			channel: 'web',
			receipt,
			stationId: null,
			batchId: null,
			sections,
			now
		});
		// No actor, no voter, no choices: only that the round received its n-th ballot by this channel.
		appendAudit(tx, {
			municipalityId,
			actorUserId: null,
			type: 'ballot.accepted',
			payload: { roundId, channel: 'web', ballotSeq: b.seq }
		});
		return { receipt, replaced: replaced > 0 };
	}
}
