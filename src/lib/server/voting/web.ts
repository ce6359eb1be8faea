/** Web voting: the voter's ballot page, casting and replacing a web ballot. */
import { and, eq, sql } from 'drizzle-orm';
import { prepared } from '../db/prepared';
import { UserError } from '../../domain/errors';
import type { SectionChoices } from '../../domain/ballot';
import { groupWrite, writeTx, type Db } from '../db/client';
import { ballots, receipts, type BallotChannel } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import {
	loadRound,
	requireOpen,
	type BallotSpec,
	type RoundRow,
	paperFor,
	specFor,
	eligibleSections,
	personOf,
	checkChoices,
	readBallotForm
} from './paper';
import { newReceiptCode, insertBallot } from './ballots';
import { claimRoll, rollRow } from './roll';
import { ballotTag, roundKey } from './keys';
import { sealIfEnded } from './seal';

export type VoterState =
	| { kind: 'none' }
	| { kind: 'voted'; day: string | null; channel: BallotChannel }
	| { kind: 'marked'; channel: 'paper' | 'assisted' };

/** What the roll says about this DNI in this round (whatever account it is used from). */
export function voterState(db: Db, roundId: number, dniHmac: string | null): VoterState {
	const row = dniHmac ? rollRow(db, roundId, dniHmac) : undefined;
	if (!row || row.channel === null) return { kind: 'none' };
	if (row.channel !== 'web') return { kind: 'marked', channel: row.channel };
	return { kind: 'voted', day: row.day, channel: 'web' };
}

/** requireOpen, and if voting has ended, run the end-of-voting step now (lazily) before refusing. */
function requireOpenOrSeal(db: Db, round: RoundRow) {
	try {
		requireOpen(db, round);
	} catch (e) {
		sealIfEnded(db, round.id);
		throw e;
	}
}

/**
 * What the logged-in resident sees on the ballot page. Throws a translated refusal when they may not vote
 * (not verified, too young, no zone, voting closed, already marked at a polling station).
 */
export function ballotForVoter(db: Db, actor: Actor | null, municipalityId: number, roundId: number, locale: string) {
	authorize(actor, 'ballot.cast', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	requireOpenOrSeal(db, round);
	const person = personOf(db, municipalityId, actor.personId);
	const sections = eligibleSections(db, round, person);
	if (!person.dniHmac) throw new UserError('ballot.notVerified', {}, 403);
	const state = voterState(db, roundId, person.dniHmac);
	if (state.kind === 'marked') throw new UserError('ballot.markedAtStation', {}, 409);
	return { paper: paperFor(db, round, sections, locale), state };
}

/**
 * What a cast carries: the choices already in their canonical shape (checked again here), a function of the ballot
 * read inside the transaction (its answer checked again here), or the raw form fields (read and checked once, against
 * the ballot read inside the transaction).
 */
export type CastChoices =
	SectionChoices[] | ((paper: BallotSpec) => SectionChoices[]) | { form: (name: string) => string[] };

/**
 * Casts (or replaces) the resident's web ballot in ONE immediate transaction: eligibility is re-checked inside it,
 * the roll row of the DNI claimed (or found already web: then the ballot under the same tag is superseded), the new
 * ballot inserted with its sections and receipt, the audit event appended. Returns only after the commit; the
 * receipt code is returned once and never stored.
 */
export function castWebBallot(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: CastChoices
) {
	authorize(actor, 'ballot.cast', municipalityId);
	return writeTx(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices));
}

/** The same cast for the web form under load: concurrent casts share one commit (group commit), each answered after it. */
export function castWebBallotGrouped(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	choices: CastChoices
): Promise<{ receipt: string; replaced: boolean }> {
	authorize(actor, 'ballot.cast', municipalityId);
	return groupWrite(db, (tx) => castInTx(tx, actor, municipalityId, roundId, choices));
}

function castInTx(tx: Db, actor: Actor, municipalityId: number, roundId: number, choices: CastChoices) {
	const receipt = newReceiptCode();
	const now = Date.now();
	const round = loadRound(tx, municipalityId, roundId);
	requireOpen(tx, round, now);
	const person = personOf(tx, municipalityId, actor.personId);
	const eligible = eligibleSections(tx, round, person);
	if (!person.dniHmac) throw new UserError('ballot.notVerified', {}, 403);
	// Inside the write lock only what the check needs: ids, costs and budgets (no titles, summaries or translations).
	const spec = specFor(tx, round, eligible);
	const sections =
		'form' in choices
			? // readBallotForm checks every section by the rule: the canonical choices need no second pass.
				readBallotForm(spec, choices.form).map((c, i) => ({ zoneId: spec.sections[i].zoneId, choices: c }))
			: checkChoices(spec, typeof choices === 'function' ? choices(spec) : choices);
	const tag = ballotTag(roundKey(tx, roundId, true)!, person.dniHmac);
	const { replace } = claimRoll(tx, {
		roundId,
		dniHmac: person.dniHmac,
		zoneId: person.zoneId,
		channel: 'web',
		stationId: null,
		userId: null,
		now
	});
	if (replace) {
		const superseded = prepared(tx, 'voting.supersede', () =>
			tx
				.update(ballots)
				.set({ status: 'superseded' })
				.where(
					and(
						eq(ballots.roundId, sql.placeholder('roundId')),
						eq(ballots.tag, sql.placeholder('tag')),
						eq(ballots.status, 'counted')
					)
				)
				.prepare()
		).run({ roundId, tag }).changes;
		// The roll says this DNI holds a web ballot but the tag finds none: the key file was lost (or replaced).
		// Refuse rather than risk a second counted ballot.
		if (superseded !== 1) throw new UserError('ballot.replaceUnavailable', {}, 409);
		prepared(tx, 'voting.supersedeReceipt', () =>
			tx
				.update(receipts)
				.set({ status: 'superseded' })
				.where(
					and(
						eq(receipts.roundId, sql.placeholder('roundId')),
						eq(receipts.tag, sql.placeholder('tag')),
						eq(receipts.status, 'counted')
					)
				)
				.prepare()
		).run({ roundId, tag });
	}
	insertBallot(tx, round, { channel: 'web', receipt, tag, stationId: null, batchId: null, sections });
	// No actor, no voter, no ballot id, no sequence: only that the round received a ballot by this channel.
	appendAudit(tx, { municipalityId, actorUserId: null, type: 'ballot.accepted', payload: { roundId, channel: 'web' } });
	return { receipt, replaced: replace };
}
