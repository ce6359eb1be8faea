/**
 * Paper batches, the rules mutation testing of batches.ts found untested (issue 10): what an envelope may be when it
 * is opened, which ballot paper it is keyed against, the officials' list of batches, empty and closed keyings, void
 * lines, each way of resolving a line, and the keyers' DNIs forgotten at publication. Real SQLite file, no mocks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { ballots, batchEntries, paperBatches, resultSnapshots } from '../db/schema/index';
import { auditEventsOfType } from '../platform/audit';
import {
	batchDetail,
	createBatch,
	createStation,
	enterBatch,
	forgetBatchKeyers,
	listBatches,
	markForPaper,
	publicBatches,
	resolveBatch,
	stationStaffPersons
} from './index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedOfficials, seedTown, type Person } from '../../../../tests/support/voting-people';
import { userErrorCode } from '../../../../tests/support/user-error';

process.env.MINKA_SECRET = 'test';

let db: Db;
let town: ReturnType<typeof seedTown>;
let other: ReturnType<typeof seedTown>;
let roundId: number;
let staff: Person[];
let m: number;
let north: number;
let south: number;

/** A station with `papers` paper ballots handed out on its roll. */
function stationWithPapers(name: string, papers: number, round = roundId) {
	const s = createStation(db, staff[0].actor, m, round, name);
	for (let i = 0; i < papers; i++)
		markForPaper(db, staff[0].actor, m, round, s.id, seedPerson(db, m, { zoneId: north }).dni, '1980-01-01');
	return s.id;
}

const batch = (stationId: number, label: string, declaredCount: unknown, zoneId: unknown = '', round = roundId) =>
	createBatch(db, staff[0].actor, m, round, { stationId: String(stationId), zoneId, label, declaredCount });

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	town = seedTown(db, '080104');
	other = seedTown(db, '080105');
	m = town.municipalityId;
	[north, south] = town.zones;
	staff = seedOfficials(db, m, north, 3);
	// a zone budget for the north and the municipality-wide share: 1 is in the north, 2 and 3 are wide
	roundId = seedVotingRound(db, {
		municipalityId: m,
		authorPersonId: staff[0].personId,
		ballot: { type: 'approval', maxChoices: 2 },
		budgets: [
			[north, 50_000_00],
			[null, 100_000_00]
		],
		proposals: [
			[north, 'Canal de riego', null, 10_000_00],
			[null, 'Agua potable', null, 10_000_00],
			[null, 'Veredas', null, 10_000_00]
		]
	}).roundId;
});

describe('opening a batch', () => {
	it('refuses a declared count that is not a whole number from 1 to 5000, a missing or long label', () => {
		const s = stationWithPapers('Mesa conteo', 0);
		for (const n of ['0', '5001', '2.5', 'diez', '', '-3'])
			expect(
				userErrorCode(() => batch(s, `Sobre ${n}`, n)),
				`declared ${n}`
			).toBe('ballot.batchCount');
		expect(batch(s, 'Sobre uno', '1').declaredCount).toBe(1);
		expect(batch(s, 'Sobre máximo', '5000').declaredCount).toBe(5000);
		expect(userErrorCode(() => batch(s, '  ', '3'))).toBe('required');
		expect(userErrorCode(() => batch(s, 'x'.repeat(61), '3'))).toBe('tooLong');
		expect(batch(s, 'x'.repeat(60), '3').label).toHaveLength(60);
	});

	it('one label per station; a zone of the town or none, never one of another town', () => {
		const s1 = stationWithPapers('Mesa etiquetas 1', 0);
		const s2 = stationWithPapers('Mesa etiquetas 2', 0);
		expect(batch(s1, 'Sobre A', '2').zoneId).toBeNull();
		expect(userErrorCode(() => batch(s1, 'Sobre A', '2'))).toBe('ballot.batchExists');
		// the same label at another station is another envelope
		expect(batch(s2, 'Sobre A', '2').stationId).toBe(s2);
		expect(batch(s1, 'Sobre nulo', '2', null).zoneId).toBeNull();
		expect(batch(s1, 'Sobre sin zona', '2', undefined).zoneId).toBeNull();
		expect(batch(s1, 'Sobre norte', '2', String(north)).zoneId).toBe(north);
		expect(userErrorCode(() => batch(s1, 'Sobre ajeno', '2', String(other.zones[0])))).toBe('zone.unknown');
		expect(userErrorCode(() => batch(s1, 'Sobre inexistente', '2', '987654'))).toBe('zone.unknown');
		const [event] = auditEventsOfType(db, m, 'paper.batchCreated').filter(
			(e) => JSON.parse(e.payload).label === 'Sobre norte'
		);
		expect(JSON.parse(event.payload)).toMatchObject({ roundId, stationId: s1, zoneId: north, declaredCount: 2 });
	});

	it('only while the round votes or shows results, and never after a result is published', () => {
		const round = (phase: 'evaluacion' | 'resultados') =>
			seedVotingRound(db, {
				municipalityId: m,
				authorPersonId: staff[0].personId,
				budgets: [[null, 10_000_00]],
				proposals: [[null, 'Posta', null, 1_000_00]],
				phase
			}).roundId;
		const closed = round('evaluacion');
		expect(userErrorCode(() => batch(stationWithPapers('Mesa cerrada', 0, closed), 'Sobre', '1', '', closed))).toBe(
			'ballot.closed'
		);
		const late = round('resultados');
		const s = stationWithPapers('Mesa tardía', 0, late);
		expect(batch(s, 'Sobre 1', '1', '', late).status).toBe('keying');
		const now = Date.now();
		db.insert(resultSnapshots)
			.values({
				municipalityId: m,
				roundId: late,
				version: 1,
				engineVersion: 't',
				rule: 'greedy',
				ties: 'cost',
				decision: 'votes',
				inputHash: 'h',
				body: '{}',
				computedAt: now,
				publishedAt: now
			})
			.run();
		expect(userErrorCode(() => batch(s, 'Sobre 2', '1', '', late))).toBe('ballot.afterPublication');
	});

	it("keys a zone's envelope against its own section and the wide one; a paper with no section is refused", () => {
		const s = stationWithPapers('Mesa papeles', 0);
		const sections = (zoneId: unknown) =>
			batchDetail(
				db,
				staff[0].actor,
				m,
				roundId,
				batch(s, `Sobre ${String(zoneId)}`, '1', zoneId).id,
				'es'
			).paper.sections.map((x) => x.zoneId);
		expect(sections(String(north))).toEqual([north, null]);
		// the south has no budget of its own: the wide section only
		expect(sections(String(south))).toEqual([null]);
		expect(sections('')).toEqual([null]);
		// where each votes in her own zone only, the north's envelope has the north's section alone, and an envelope
		// with no zone has no ballot paper (the wide share is printed only when there are no zone budgets)
		const zonal = seedVotingRound(db, {
			municipalityId: m,
			authorPersonId: staff[0].personId,
			budgets: [
				[north, 10_000_00],
				[null, 10_000_00]
			],
			proposals: [
				[north, 'Posta norte', null, 1_000_00],
				[null, 'Posta central', null, 1_000_00]
			],
			voteScope: 'own_zone'
		}).roundId;
		const z = stationWithPapers('Mesa zonal', 0, zonal);
		expect(userErrorCode(() => batch(z, 'Sobre', '1', '', zonal))).toBe('ballot.zoneNotInRound');
		const zb = batch(z, 'Sobre norte', '1', String(north), zonal);
		expect(batchDetail(db, staff[0].actor, m, zonal, zb.id, 'es').paper.sections.map((x) => x.zoneId)).toEqual([north]);
	});
});

describe('keying and resolving', () => {
	it("lists the round's batches by station and label, with their keyings; unknown batches are refused", () => {
		const s2 = stationWithPapers('Mesa Z', 0);
		const s1 = stationWithPapers('Mesa B', 2);
		const b2 = batch(s2, 'Sobre 1', '2');
		const b1b = batch(s1, 'Sobre 2', '2', String(north));
		const b1a = batch(s1, 'Sobre 1', '2');
		enterBatch(db, staff[0].actor, m, roundId, b1b.id, '1 | 2\n- | 3');
		const mine = listBatches(db, staff[1].actor, m, roundId).filter((b) => [b1a.id, b1b.id, b2.id].includes(b.id));
		expect(mine).toEqual([
			{
				id: b1a.id,
				label: 'Sobre 1',
				stationName: 'Mesa B',
				zoneName: null,
				declaredCount: 2,
				status: 'keying',
				entries: 0
			},
			{
				id: b1b.id,
				label: 'Sobre 2',
				stationName: 'Mesa B',
				zoneName: 'Sector Norte',
				declaredCount: 2,
				status: 'keying',
				entries: 1
			},
			{
				id: b2.id,
				label: 'Sobre 1',
				stationName: 'Mesa Z',
				zoneName: null,
				declaredCount: 2,
				status: 'keying',
				entries: 0
			}
		]);
		expect(userErrorCode(() => listBatches(db, null, m, roundId))).toBe('loginRequired');
		// a batch of another round, an id that is no id
		const otherRound = seedVotingRound(db, {
			municipalityId: m,
			authorPersonId: staff[0].personId,
			budgets: [[null, 10_000_00]],
			proposals: [[null, 'Posta', null, 1_000_00]]
		}).roundId;
		expect(userErrorCode(() => batchDetail(db, staff[0].actor, m, otherRound, b1a.id, 'es'))).toBe(
			'ballot.batchUnknown'
		);
		expect(userErrorCode(() => batchDetail(db, staff[0].actor, m, roundId, Number.NaN, 'es'))).toBe(
			'ballot.batchUnknown'
		);
		expect(userErrorCode(() => enterBatch(db, staff[0].actor, m, roundId, 1.5, '2'))).toBe('ballot.batchUnknown');
	});

	it('refuses an empty keying and a keying of a counted batch; void lines count as void', () => {
		const s = stationWithPapers('Mesa nulos', 2);
		const b = batch(s, 'Sobre', '2');
		for (const text of ['', '\n  \n', 42, null])
			expect(userErrorCode(() => enterBatch(db, staff[0].actor, m, roundId, b.id, text))).toBe('ballot.batchEmpty');
		expect(enterBatch(db, staff[0].actor, m, roundId, b.id, '2 3\nNULO')).toEqual({ state: 'waiting' });
		expect(enterBatch(db, staff[1].actor, m, roundId, b.id, '2 3\nNULO')).toEqual({
			state: 'accepted',
			accepted: 1,
			void: 1
		});
		expect(db.select().from(ballots).where(eq(ballots.batchId, b.id)).all()).toHaveLength(1);
		const [event] = auditEventsOfType(db, m, 'paper.batchAccepted').filter(
			(e) => JSON.parse(e.payload).batchId === b.id
		);
		expect(JSON.parse(event.payload)).toMatchObject({ keyed: 2, accepted: 1, void: 1 });
		expect(userErrorCode(() => enterBatch(db, staff[2].actor, m, roundId, b.id, '2'))).toBe('ballot.batchClosed');
	});

	it('each differing line is resolved by the second keying, by none, or by a corrected line; nothing else', () => {
		const s = stationWithPapers('Mesa resolver', 3);
		const b = batch(s, 'Sobre', '4');
		const [a, k, c] = staff;
		enterBatch(db, a.actor, m, roundId, b.id, '2\n3\n2 3');
		// line 1 agrees; 2 and 3 differ; line 4 is only in the second keying
		expect(enterBatch(db, k.actor, m, roundId, b.id, '2\n2\n3\nNULO')).toEqual({ state: 'discrepancy', count: 3 });
		const form = (picks: Record<string, string>) => (name: string) => picks[name] ?? null;
		const tries: [Record<string, string>, string][] = [
			// no choice, an unknown choice, a blank correction, the first keying of a line it does not have
			[{ line2: 'second', line3: 'first' }, 'ballot.resolveMissing'],
			[{ line2: 'second', line3: 'first', line4: 'both' }, 'ballot.resolveMissing'],
			[{ line2: 'second', line3: 'first', line4: 'custom', custom4: '  ' }, 'ballot.resolveMissing'],
			[{ line2: 'second', line3: 'first', line4: 'first' }, 'ballot.resolveMissing']
		];
		for (const [picks, expected] of tries)
			expect(userErrorCode(() => resolveBatch(db, c.actor, m, roundId, b.id, form(picks)))).toBe(expected);
		expect(db.select().from(paperBatches).where(eq(paperBatches.id, b.id)).get()!.status).toBe('discrepancy');
		// line 2 as the second keying has it, line 3 corrected, line 4 not on paper
		expect(
			resolveBatch(
				db,
				c.actor,
				m,
				roundId,
				b.id,
				form({ line2: 'second', line3: 'custom', custom3: ' 3 ', line4: 'none' })
			)
		).toEqual({ state: 'accepted', accepted: 3, void: 0 });
		const accepted = db.select().from(paperBatches).where(eq(paperBatches.id, b.id)).get()!;
		expect(accepted).toMatchObject({ resolvedLines: ['2', '2', '3'], resolvedByUserId: c.userId, resolvedAs: 'staff' });
		const [event] = auditEventsOfType(db, m, 'paper.batchResolved').filter(
			(e) => JSON.parse(e.payload).batchId === b.id
		);
		expect(JSON.parse(event.payload).lines).toEqual([
			{ line: 2, pick: 'second', value: '2' },
			{ line: 3, pick: 'custom', value: '3' },
			{ line: 4, pick: 'none', value: null }
		]);
		expect(publicBatches(db, m, roundId).find((x) => x.id === b.id)).toMatchObject({
			counted: 3,
			resolvedBy: `Vecino ${c.dni}`,
			resolvedAsCommittee: false,
			confirmedBy: null
		});
	});

	it("at publication forgets the DNIs of the round's open keyings only, once", () => {
		expect(stationStaffPersons(db, m)).toBe(3);
		const s = stationWithPapers('Mesa olvido', 0);
		const open = [batch(s, 'Sobre 1', '1'), batch(s, 'Sobre 2', '1')];
		enterBatch(db, staff[0].actor, m, roundId, open[0].id, '2');
		enterBatch(db, staff[1].actor, m, roundId, open[1].id, '3');
		// another round's keying keeps its DNI
		const otherRound = seedVotingRound(db, {
			municipalityId: m,
			authorPersonId: staff[0].personId,
			budgets: [[null, 10_000_00]],
			proposals: [[null, 'Posta', null, 1_000_00]]
		}).roundId;
		const os = stationWithPapers('Mesa otra', 0, otherRound);
		enterBatch(db, staff[0].actor, m, otherRound, batch(os, 'Sobre', '1', '', otherRound).id, '1');
		const keeping = () =>
			db
				.select()
				.from(batchEntries)
				.where(isNotNull(batchEntries.keyerDniHmac))
				.all()
				.map((e) => e.batchId);
		const before = keeping();
		const forgotten = writeTx(db, (tx) => forgetBatchKeyers(tx, roundId));
		expect(forgotten).toBe(before.length - 1);
		expect(forgotten).toBeGreaterThanOrEqual(2);
		expect(keeping()).toHaveLength(1);
		expect(writeTx(db, (tx) => forgetBatchKeyers(tx, roundId))).toBe(0);
	});
});
