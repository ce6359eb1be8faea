/**
 * Issue 12 point 3: a paper batch counted after the round's first compute needs a public reason (a translated
 * refusal without one, changing nothing), is audited, and the next compute makes a new version that shows the
 * reason, also once published. Point 4: the results tables show each proposal's title in the reader's language.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { auditEvents, ballots, batchEntries, participantAgents, proposals, rounds } from '../db/schema/index';
import { UserError } from '../../domain/errors';
import { auditEventsOfType } from '../platform/audit';
import {
	batchDetail,
	createBatch,
	createStation,
	enterBatch,
	markForPaper,
	resolveBatch,
	resolveBatchAsCommittee
} from '../voting';
import { addCommitteeMember } from '../committee';
import { limaToday } from '../../domain/clock';
import { addDays } from '../../domain/council';
import {
	computeResults,
	listSnapshots,
	localTitles,
	publishResults,
	publishedResult,
	unblockStation,
	withLocalTitles
} from './results';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedOfficials, seedTown, type Person } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let roundId: number;
let staff: Person[];
let m: number;
let openAtPublication = { open: 0, differing: 0 };

const refusal = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		if (e instanceof UserError) return { code: e.code, params: e.params };
		throw e;
	}
	return null;
};

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-late-')), 't.db'));
	town = seedTown(db, '080107');
	m = town.municipalityId;
	staff = seedOfficials(db, m, town.zones[0], 3);
	roundId = seedVotingRound(db, {
		municipalityId: m,
		authorPersonId: staff[0].personId,
		ballot: { type: 'approval', maxChoices: 3 },
		budgets: [[null, 25_000_00]],
		proposals: [
			[null, 'Agua potable', 'Yaku', 10_000_00],
			[null, 'Veredas', null, 10_000_00],
			[null, 'Puente', null, 10_000_00]
		]
	}).roundId;
	db.update(rounds)
		.set({ rules: { ...db.select().from(rounds).where(eq(rounds.id, roundId)).get()!.rules, privateBelow: 1 } })
		.where(eq(rounds.id, roundId))
		.run();
});

const state = () => ({
	ballots: db.select({ n: count() }).from(ballots).where(eq(ballots.roundId, roundId)).get()!.n,
	entries: db.select({ n: count() }).from(batchEntries).get()!.n,
	audit: db.select({ n: count() }).from(auditEvents).get()!.n
});

describe('a batch keyed after the first compute', () => {
	it('needs a reason, is audited, and the next compute makes a new version that shows it publicly', () => {
		const [a, b, c] = staff;
		const station = createStation(db, a.actor, m, roundId, 'Mesa 1');
		for (let i = 0; i < 5; i++)
			markForPaper(db, a.actor, m, roundId, station.id, seedPerson(db, m, { zoneId: town.zones[0] }).dni, '1980-01-01');
		const batch = (label: string, n: number) =>
			createBatch(db, a.actor, m, roundId, { stationId: String(station.id), zoneId: '', label, declaredCount: n });
		// before any result: a batch counts without a reason
		const first = batch('Sobre 1', 2);
		enterBatch(db, a.actor, m, roundId, first.id, '1 2\n1');
		expect(enterBatch(db, b.actor, m, roundId, first.id, '1 2\n1')).toMatchObject({ state: 'accepted', accepted: 2 });
		db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, roundId)).run();
		unblockStation(db, a.actor, m, roundId, station.id, 'Quedan sobres por llegar de la comunidad');
		const v1 = computeResults(db, a.actor, m, roundId);
		expect(v1.version).toBe(1);
		expect(v1.parsed.lateBatches).toBeUndefined();

		// after it: the second keying that would count the batch is refused without a reason, and nothing changes
		const late = batch('Sobre 2', 2);
		expect(batchDetail(db, a.actor, m, roundId, late.id, 'es').afterResults).toBe(1);
		enterBatch(db, a.actor, m, roundId, late.id, '3\n3');
		const before = state();
		expect(refusal(() => enterBatch(db, b.actor, m, roundId, late.id, '3\n3'))).toEqual({
			code: 'ballot.lateBatchReason',
			params: { version: 1, min: 10 }
		});
		expect(refusal(() => enterBatch(db, b.actor, m, roundId, late.id, '3\n3', 'tarde'))?.code).toBe(
			'ballot.lateBatchReason'
		);
		expect(state()).toEqual(before);
		const reason = 'El sobre de la comunidad llegó tarde por la lluvia';
		expect(enterBatch(db, b.actor, m, roundId, late.id, '3\n3', `  ${reason} `)).toMatchObject({
			state: 'accepted',
			accepted: 2
		});
		const [event] = auditEventsOfType(db, m, 'paper.batchAfterResults');
		expect(JSON.parse(event.payload)).toMatchObject({
			roundId,
			batchId: late.id,
			label: 'Sobre 2',
			station: 'Mesa 1',
			afterVersion: 1,
			reason
		});

		// a resolved difference after the first compute needs the reason too
		const third = batch('Sobre 3', 1);
		enterBatch(db, a.actor, m, roundId, third.id, '2');
		enterBatch(db, b.actor, m, roundId, third.id, '3', reason);
		const pick = (n: string) => (n === 'line1' ? 'first' : null);
		expect(refusal(() => resolveBatch(db, c.actor, m, roundId, third.id, pick))?.code).toBe('ballot.lateBatchReason');
		const why = 'Revisé la cédula: marca el N.º 2';
		resolveBatch(db, c.actor, m, roundId, third.id, (n) => (n === 'lateReason' ? why : pick(n)));

		// the next compute: a new version, with the reasons; published, it shows them
		const v2 = computeResults(db, a.actor, m, roundId);
		expect(v2.version).toBe(2);
		expect(v2.parsed.lateAfterVersion).toBe(1);
		expect(v2.parsed.lateBatches).toEqual([
			{ batch: 'Sobre 2', station: 'Mesa 1', reason },
			{ batch: 'Sobre 3', station: 'Mesa 1', reason: why }
		]);
		// two batches still open when the result is published: one keyed once, one with a difference
		const open = batch('Sobre 4', 1);
		enterBatch(db, a.actor, m, roundId, open.id, '1');
		const differing = batch('Sobre 5', 1);
		enterBatch(db, a.actor, m, roundId, differing.id, '1');
		enterBatch(db, b.actor, m, roundId, differing.id, '2', reason);
		publishResults(db, a.actor, m, roundId, 2);
		expect(publishedResult(db, m, roundId)!.snapshot.parsed.lateBatches).toHaveLength(2);
		openAtPublication = { open: open.id, differing: differing.id };
		// the same input again: the same version, no new reasons
		expect(computeResults(db, a.actor, m, roundId).version).toBe(2);
		expect(listSnapshots(db, m, roundId)).toHaveLength(2);
	});
});

describe('a batch after the result is published', () => {
	it('can no longer be opened, keyed or resolved: a translated refusal that writes nothing', () => {
		const [a, b, c] = staff;
		const before = state();
		const station = createStation(db, a.actor, m, roundId, 'Mesa 2');
		const stateAfterStation = state();
		expect(stateAfterStation.entries).toBe(before.entries);
		const reason = 'El sobre de la comunidad llegó tarde por la lluvia';
		expect(
			refusal(() =>
				createBatch(db, a.actor, m, roundId, {
					stationId: String(station.id),
					zoneId: '',
					label: 'Sobre 6',
					declaredCount: 1
				})
			)?.code
		).toBe('ballot.afterPublication');
		expect(refusal(() => enterBatch(db, b.actor, m, roundId, openAtPublication.open, '1', reason))?.code).toBe(
			'ballot.afterPublication'
		);
		const pick = (n: string) => (n === 'line1' ? 'first' : n === 'lateReason' ? reason : null);
		expect(refusal(() => resolveBatch(db, c.actor, m, roundId, openAtPublication.differing, pick))?.code).toBe(
			'ballot.afterPublication'
		);
		// nor by a Comité de Vigilancia member (refused for publication before anything about the member is checked)
		const member = seedPerson(db, m, { zoneId: town.zones[0] });
		const agent = db
			.insert(participantAgents)
			.values({
				municipalityId: m,
				roundId,
				personId: member.personId,
				organisation: 'Junta vecinal',
				hasVote: true,
				registeredAt: Date.now()
			})
			.returning()
			.get();
		addCommitteeMember(db, a.actor, m, roundId, {
			agentId: agent.id,
			termStart: addDays(limaToday(), -1),
			termEnd: addDays(limaToday(), 30)
		});
		expect(
			refusal(() => resolveBatchAsCommittee(db, member.actor, m, roundId, openAtPublication.differing, pick))?.code
		).toBe('ballot.afterPublication');
		expect(state()).toEqual({ ...stateAfterStation, audit: state().audit });
		expect(state().audit).toBe(stateAfterStation.audit + 1); // the seat's own event, nothing else
		// the keyers' DNIs of the batches left open were forgotten at publication, and no keying brought one back
		const kept = db
			.select({ n: count() })
			.from(batchEntries)
			.where(and(isNotNull(batchEntries.keyerDniHmac)))
			.get()!.n;
		expect(kept).toBe(0);
	});
});

describe('results in Quechua', () => {
	it("use a proposal's Quechua title when it has one (the snapshot and the .pb keep the title as filed)", () => {
		const pub = publishedResult(db, m, roundId)!.snapshot.parsed;
		const titles = (locale: string) =>
			withLocalTitles(pub.budgets, localTitles(db, m, roundId, locale))[0]
				.rows.map((r) => [r.seq, r.title])
				.sort((x, y) => Number(x[0]) - Number(y[0]));
		expect(titles('qu')).toEqual([
			[1, 'Yaku'],
			[2, 'Veredas'],
			[3, 'Puente']
		]);
		expect(titles('es')).toEqual([
			[1, 'Agua potable'],
			[2, 'Veredas'],
			[3, 'Puente']
		]);
		expect(pub.budgets[0].rows.find((r) => r.seq === 1)!.title).toBe('Agua potable');
		// a proposal filed in Quechua reads in Quechua, and in Spanish through its translation
		db.update(proposals)
			.set({ originalLocale: 'qu', title: 'Chaka', translatedTitle: 'Puente' })
			.where(and(eq(proposals.roundId, roundId), eq(proposals.seq, 3)))
			.run();
		expect(titles('qu')[2]).toEqual([3, 'Chaka']);
		expect(titles('es')[2]).toEqual([3, 'Puente']);
	});
});
