/**
 * Issue 11: after the voting window ends, nothing in the database file (main and WAL bytes), a backup, or the audit
 * trail links a ballot to a voter — tried by every column, row order, id order, time and audit order, by an
 * attacker holding MINKA_SECRET (tests/support/linkability.ts; the same attacker links every ballot on the old
 * schema: see the migration test). And during voting the replacement still works.
 *
 * The raw bytes too: no old tag and no old ballot, section or receipt id (in any of SQLite's encodings) is left in the
 * file, its WAL or a backup — including those of ballots replaced during voting, whose old cells were freed long
 * before the seal, and with a second municipality voting in the same pages (tests/support/file-bytes.ts).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { auditEvents, persons } from '../db/schema/index';
import { castAssisted, castWebBallot, checkReceipt, createStation, endVotingWindow, lookUpRoll } from './index';
import { roundKeyPath } from './keys';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';
import { attack, type Voter } from '../../../../tests/support/linkability';
import { hexFound, idsFound } from '../../../../tests/support/file-bytes';

process.env.MINKA_SECRET = 'test';

let dir: string;
let db: Db;
let roundId: number;
let old: { tags: string[]; ids: number[] };
const truth: Voter[] = [];
const receipts: { code: string; status: 'counted' | 'superseded' }[] = [];

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'minka-link-'));
	db = openDatabase(join(dir, 't.db'));
	const town = seedTown(db, '080103');
	const official: Person = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'approval', maxChoices: 4 },
		budgets: [
			[town.zones[0], 1_000_000_00],
			[null, 1_000_000_00]
		],
		proposals: [
			[town.zones[0], 'A', null, 10_00],
			[town.zones[0], 'B', null, 10_00],
			[town.zones[0], 'C', null, 10_00],
			[town.zones[0], 'D', null, 10_00],
			[null, 'W', null, 10_00]
		]
	});
	roundId = r.roundId;
	const zone = r.proposalIds.slice(0, 4);
	// 12 web voters, each with a distinct zone section; some replace their ballot first.
	const subsets = Array.from({ length: 15 }, (_, i) => zone.filter((_, b) => (i + 1) & (1 << b)));
	const canonical = (z: number[], w: number[]) =>
		[JSON.stringify({ approve: z }), JSON.stringify({ approve: w })].sort().join('|');
	for (let i = 0; i < 12; i++) {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const p = db.select().from(persons).where(eq(persons.id, v.personId)).get()!;
		if (i % 3 === 0) {
			const old = castWebBallot(db, v.actor, town.municipalityId, roundId, [
				{ approve: subsets[14 - i] },
				{ approve: [] }
			]);
			receipts.push({ code: old.receipt, status: 'superseded' });
		}
		const { receipt } = castWebBallot(db, v.actor, town.municipalityId, roundId, [
			{ approve: subsets[i] },
			{ approve: [] }
		]);
		receipts.push({ code: receipt, status: 'counted' });
		truth.push({
			personId: v.personId,
			userId: v.userId,
			dniHmac: p.dniHmac!,
			content: canonical(subsets[i], []),
			receipt,
			channel: 'web'
		});
	}
	// Three assisted voters at a station, each looked up just before (the audit order must not pair them).
	const station = createStation(db, official.actor, town.municipalityId, roundId, 'Mesa');
	for (let i = 12; i < 15; i++) {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const p = db.select().from(persons).where(eq(persons.id, v.personId)).get()!;
		lookUpRoll(db, official.actor, town.municipalityId, roundId, station.id, v.dni, '1980-01-01', 'es');
		const { receipt } = castAssisted(
			db,
			official.actor,
			town.municipalityId,
			roundId,
			station.id,
			v.dni,
			() => [{ approve: subsets[i] }, { approve: [r.proposalIds[4]] }],
			'es',
			'1980-01-01'
		);
		truth.push({
			personId: v.personId,
			userId: v.userId,
			dniHmac: p.dniHmac!,
			content: canonical(subsets[i], [r.proposalIds[4]]),
			receipt,
			channel: 'assisted'
		});
	}
});

describe('linkability', () => {
	it('during voting a web voter can still replace (the key file exists), and receipts answer', () => {
		expect(existsSync(roundKeyPath(db, roundId))).toBe(true);
		const { municipalityId } = db.select().from(persons).where(eq(persons.id, truth[0].personId)).get()!;
		for (const r of receipts) expect(checkReceipt(db, municipalityId, roundId, r.code)).toBe(r.status);
	});

	it('after the window ends, nothing links a ballot to a voter: file bytes, WAL, backup, columns, order, audit', async () => {
		old = secretsOf(db, roundId);
		expect(old.tags.length).toBeGreaterThan(0);
		expect(endVotingWindow(db, roundId)).toBe(true);
		expect(existsSync(roundKeyPath(db, roundId))).toBe(false);
		const backup = join(dir, 'backup.db');
		await db.$client.backup(backup);
		const files = { main: join(dir, 't.db'), wal: join(dir, 't.db-wal'), backup };
		// no old tag or id anywhere in the bytes
		for (const file of [files.main, backup]) {
			expect(hexFound(file, old.tags)).toEqual([]);
			expect(idsFound(file, old.ids)).toEqual([]);
		}
		for (const f of [files, { main: files.main, wal: files.wal }]) {
			const report = attack(f, truth);
			expect(report.direct).toBe(0);
			expect(report.byTime).toBe(0);
			// A random order matches about one voter by chance; the old schema matched all 12.
			for (const o of report.byOrder) expect(o.correct, o.attack).toBeLessThan(6);
		}
		// Receipts still answer after sealing (counted / superseded), and reveal nothing else.
		const { municipalityId } = db.select().from(persons).where(eq(persons.id, truth[0].personId)).get()!;
		for (const r of receipts) expect(checkReceipt(db, municipalityId, roundId, r.code)).toBe(r.status);
		// No ballot event carries anything but the round and the channel.
		for (const e of db.select().from(auditEvents).where(eq(auditEvents.type, 'ballot.accepted')).all())
			expect(Object.keys(JSON.parse(e.payload)).sort()).toEqual(['channel', 'roundId']);
		// Nothing of a superseded ballot's content is left.
		const raw = db.$client
			.prepare(
				`SELECT count(*) AS n FROM ballot_section s JOIN ballot b ON b.id = s.ballot_id WHERE b.status <> 'counted'`
			)
			.get() as { n: number };
		expect(raw.n).toBe(0);
		expect(
			(db.$client.prepare('SELECT count(*) AS n FROM ballot WHERE tag IS NOT NULL').get() as { n: number }).n
		).toBe(0);
		expect(
			(db.$client.prepare('SELECT count(*) AS n FROM receipt WHERE tag IS NOT NULL').get() as { n: number }).n
		).toBe(0);
	});
});

/** What the seal must leave nowhere: the round's tags (ballots, receipts) and ids (ballots, sections, receipts). */
function secretsOf(db: Db, roundId: number) {
	const c = db.$client;
	const tags = c
		.prepare(
			'SELECT tag FROM ballot WHERE round_id = ? AND tag IS NOT NULL UNION SELECT tag FROM receipt WHERE round_id = ? AND tag IS NOT NULL'
		)
		.pluck()
		.all(roundId, roundId) as string[];
	const ids = c
		.prepare(
			`SELECT id FROM ballot WHERE round_id = @r
			 UNION ALL SELECT s.id FROM ballot_section s JOIN ballot b ON b.id = s.ballot_id WHERE b.round_id = @r
			 UNION ALL SELECT id FROM receipt WHERE round_id = @r`
		)
		.pluck()
		.all({ r: roundId }) as number[];
	return { tags, ids };
}

describe('the bytes after a seal, at a few hundred ballots', () => {
	it('hold no old tag or id, though replaced ballots were freed during voting and another round shares the pages', () => {
		const dir = mkdtempSync(join(tmpdir(), 'minka-link-bytes-'));
		const file = join(dir, 't.db');
		const db = openDatabase(file);
		const rounds = ['080109', '080110'].map((ubigeo) => {
			const town = seedTown(db, ubigeo);
			const official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
			const r = seedVotingRound(db, {
				municipalityId: town.municipalityId,
				authorPersonId: official.personId,
				ballot: { type: 'approval', maxChoices: 2 },
				budgets: [
					[town.zones[0], 1_000_000_00],
					[null, 1_000_000_00]
				],
				proposals: [
					[town.zones[0], 'A', null, 10_00],
					[town.zones[0], 'B', null, 10_00],
					[null, 'W', null, 10_00]
				]
			});
			return { town, r };
		});
		// both municipalities vote at once: their rows interleave in every table and index; a third of the voters
		// change their mind (their old ballot's cells are freed now, months before the seal in real life)
		for (let i = 0; i < 200; i++)
			for (const { town, r } of rounds) {
				const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
				const cast = (k: number) =>
					castWebBallot(db, v.actor, town.municipalityId, r.roundId, [
						{ approve: [r.proposalIds[k % 2]] },
						{ approve: k % 3 ? [r.proposalIds[2]] : [] }
					]);
				cast(i);
				if (i % 3 === 0) cast(i + 1);
			}
		const sealed = rounds[0].r.roundId;
		const secrets = secretsOf(db, sealed);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		// the scan sees them before (a scan that sees nothing would pass anything)
		expect(hexFound(file, secrets.tags)).toHaveLength(secrets.tags.length);
		expect(idsFound(file, secrets.ids)).toHaveLength(secrets.ids.length);

		expect(endVotingWindow(db, sealed)).toBe(true);
		expect(hexFound(file, secrets.tags)).toEqual([]);
		expect(idsFound(file, secrets.ids)).toEqual([]);
		// the other municipality votes on, its replacements still work
		const other = rounds[1];
		const v = seedPerson(db, other.town.municipalityId, { zoneId: other.town.zones[0] });
		for (let k = 0; k < 2; k++)
			castWebBallot(db, v.actor, other.town.municipalityId, other.r.roundId, [
				{ approve: [other.r.proposalIds[k]] },
				{ approve: [] }
			]);
		db.$client.close();
	});
});
