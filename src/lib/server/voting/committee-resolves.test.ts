/**
 * Issue 13 point 2, the few-staff path: where the municipality has fewer than three staff persons, a member of the
 * round's Comité de Vigilancia whose term covers today, and who keyed neither version, resolves a batch's keying
 * differences. A keyer who sits on the committee, a non-member, a member whose term has ended, and any member where
 * three staff persons exist, are refused and change nothing; each resolution is audited and public.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { ballots, paperBatches, participantAgents } from '../db/schema/index';
import { limaToday } from '../../domain/clock';
import { addDays } from '../../domain/council';
import { grantRoleInTx } from '../roles';
import { auditEventsOfType } from '../platform/audit';
import { addCommitteeMember } from '../committee';
import {
	batchesForCommittee,
	committeeBatchDetail,
	committeeMayResolve,
	createBatch,
	createStation,
	enterBatch,
	markForPaper,
	publicBatches,
	resolveBatchAsCommittee,
	stationStaffPersons
} from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let roundId: number;
let a: Person, b: Person;
let member: Person, pastMember: Person, outsider: Person;
let stationId: number;
const today = limaToday();

/** Registers the person as the round's agent and seats them on the committee with the given term. */
function seat(p: Person, termStart: string, termEnd: string) {
	const agent = db
		.insert(participantAgents)
		.values({
			municipalityId: town.municipalityId,
			roundId,
			personId: p.personId,
			organisation: 'Junta vecinal',
			hasVote: true,
			registeredAt: Date.now()
		})
		.returning()
		.get();
	addCommitteeMember(db, a.actor, town.municipalityId, roundId, { agentId: agent.id, termStart, termEnd });
}

/** A batch of two papers keyed by a and b, differing on line 2. */
function differingBatch(label: string) {
	const m = town.municipalityId;
	for (let i = 0; i < 2; i++)
		markForPaper(db, a.actor, m, roundId, stationId, seedPerson(db, m, { zoneId: town.zones[0] }).dni, '1980-01-01');
	const batch = createBatch(db, a.actor, m, roundId, {
		stationId: String(stationId),
		zoneId: '',
		label,
		declaredCount: '2'
	});
	enterBatch(db, a.actor, m, roundId, batch.id, '1 2\n3');
	expect(enterBatch(db, b.actor, m, roundId, batch.id, '1 2\n2')).toEqual({ state: 'discrepancy', count: 1 });
	return batch.id;
}

const pickFirst = (n: string) => (n === 'line2' ? 'first' : null);
const untouched = (batchId: number) => {
	expect(db.select().from(paperBatches).where(eq(paperBatches.id, batchId)).get()!.status).toBe('discrepancy');
	expect(db.select().from(ballots).where(eq(ballots.batchId, batchId)).all()).toHaveLength(0);
};

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	town = seedTown(db, '080103');
	[a, b] = [0, 1].map(() => seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] }));
	writeTx(db, (tx) => {
		for (const s of [a, b]) grantRoleInTx(tx, null, town.municipalityId, s.userId, 'official');
	});
	member = seedPerson(db, town.municipalityId, { zoneId: town.zones[0], name: 'Rosa Quispe' });
	pastMember = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
	outsider = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
	roundId = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: a.personId,
		ballot: { type: 'approval', maxChoices: 3 },
		budgets: [[null, 100_000_00]],
		proposals: [
			[null, 'Agua potable', null, 10_000_00],
			[null, 'Veredas', null, 10_000_00],
			[null, 'Puente', null, 10_000_00]
		]
	}).roundId;
	stationId = createStation(db, a.actor, town.municipalityId, roundId, 'Mesa 1').id;
	// the member's term ends today; the past member's ended yesterday; keyer a also sits on the committee
	seat(member, addDays(today, -30), today);
	seat(pastMember, addDays(today, -30), addDays(today, -1));
	seat(a, addDays(today, -30), addDays(today, 30));
});

describe('few staff: a Comité de Vigilancia member resolves', () => {
	it('a member in term who keyed neither version resolves; audited and public as the committee', () => {
		const m = town.municipalityId;
		expect(stationStaffPersons(db, m)).toBe(2);
		const batchId = differingBatch('Sobre 1');
		expect(committeeMayResolve(db, member.actor, m, roundId)).toBe(true);
		const detail = committeeBatchDetail(db, member.actor, m, roundId, batchId);
		expect(detail).toMatchObject({ canResolve: true, keyedByMe: false, fewStaff: true });
		expect(detail.discrepancies).toEqual([{ line: 2, first: '3', second: '2' }]);

		expect(resolveBatchAsCommittee(db, member.actor, m, roundId, batchId, pickFirst)).toEqual({
			state: 'accepted',
			accepted: 2,
			void: 0
		});
		const events = auditEventsOfType(db, m, 'paper.batchResolved');
		expect(events).toHaveLength(1);
		expect(events[0].actorUserId).toBe(member.userId);
		expect(JSON.parse(events[0].payload)).toMatchObject({
			batchId,
			keyedBy: [a.userId, b.userId],
			resolvedBy: member.userId,
			confirmedBy: null,
			as: 'committee',
			lines: [{ line: 2, pick: 'first', value: '3' }]
		});
		expect(publicBatches(db, m, roundId).find((x) => x.id === batchId)).toMatchObject({
			status: 'accepted',
			counted: 2,
			resolvedBy: 'Rosa Quispe',
			resolvedAsCommittee: true,
			confirmedBy: null
		});
		// a resolved batch is closed to a second resolution
		expect(userErrorCode(() => resolveBatchAsCommittee(db, member.actor, m, roundId, batchId, pickFirst))).toBe(
			'ballot.batchClosed'
		);
	});

	it('refuses a member who keyed a version, a non-member and a member whose term has ended; nothing changes', () => {
		const m = town.municipalityId;
		const batchId = differingBatch('Sobre 2');
		// the member is pointed to the batch with differences (Sobre 1 is counted); nobody else is
		expect(batchesForCommittee(db, member.actor, m, roundId)).toEqual([batchId]);
		for (const p of [outsider, pastMember]) expect(batchesForCommittee(db, p.actor, m, roundId)).toEqual([]);
		expect(batchesForCommittee(db, null, m, roundId)).toEqual([]);
		// keyer a sits on the committee in term: still one of the two versions' authors
		expect(committeeBatchDetail(db, a.actor, m, roundId, batchId)).toMatchObject({
			canResolve: false,
			keyedByMe: true
		});
		expect(userErrorCode(() => resolveBatchAsCommittee(db, a.actor, m, roundId, batchId, pickFirst))).toBe(
			'ballot.resolverKeyed'
		);
		expect(userErrorCode(() => resolveBatchAsCommittee(db, outsider.actor, m, roundId, batchId, pickFirst))).toBe(
			'committee.notInTerm'
		);
		expect(userErrorCode(() => committeeBatchDetail(db, outsider.actor, m, roundId, batchId))).toBe(
			'committee.notInTerm'
		);
		expect(committeeMayResolve(db, outsider.actor, m, roundId)).toBe(false);
		expect(userErrorCode(() => resolveBatchAsCommittee(db, pastMember.actor, m, roundId, batchId, pickFirst))).toBe(
			'committee.notInTerm'
		);
		// the member whose term ends today is refused the day after
		expect(
			userErrorCode(() => resolveBatchAsCommittee(db, member.actor, m, roundId, batchId, pickFirst, addDays(today, 1)))
		).toBe('committee.notInTerm');
		expect(userErrorCode(() => resolveBatchAsCommittee(db, null, m, roundId, batchId, pickFirst))).toBe(
			'loginRequired'
		);
		untouched(batchId);
		expect(auditEventsOfType(db, m, 'paper.batchResolved')).toHaveLength(1);
	});

	it('with three staff persons the committee is not the third pair of eyes', () => {
		const m = town.municipalityId;
		const batchId = differingBatch('Sobre 3');
		const c = seedPerson(db, m, { roles: ['official'], zoneId: town.zones[0] });
		writeTx(db, (tx) => grantRoleInTx(tx, null, m, c.userId, 'official'));
		expect(stationStaffPersons(db, m)).toBe(3);
		expect(committeeMayResolve(db, member.actor, m, roundId)).toBe(false);
		expect(batchesForCommittee(db, member.actor, m, roundId)).toEqual([]);
		expect(userErrorCode(() => resolveBatchAsCommittee(db, member.actor, m, roundId, batchId, pickFirst))).toBe(
			'ballot.committeeNotNeeded'
		);
		untouched(batchId);
	});
});
