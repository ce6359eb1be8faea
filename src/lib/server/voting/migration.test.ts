/**
 * Issue 11, point 7: a database built at commit 5c0ca36 (tests/fixtures/legacy-5c0ca36.db: the demo, plus a DNI
 * with two counted web ballots after a verification move, and a re-sign-up after account deletion) migrates to one
 * counted ballot per DNI, with the case recorded in the audit trail, a chain that still verifies, replacement still
 * working in the round in voting, and nothing linkable in a closed round. The same attacker that finds nothing
 * afterwards links every web ballot of the old file to its voter (the "fails on the old schema" half).
 */
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { auditEvents, ballots, persons, rollEntries, users } from '../db/schema/index';
import { verifyChain } from '../../domain/audit-chain';
import { actorFor } from '../accounts';
import { castWebBallot, finishVotingMigration } from './index';
import { attack, type Voter } from '../../../../tests/support/linkability';

const FIXTURE = 'tests/fixtures/legacy-5c0ca36.db';
const ROUND = 2;

function fixtureCopy(closed: boolean) {
	const dir = mkdtempSync(join(tmpdir(), 'minka-legacy-'));
	const file = join(dir, 'minka.db');
	copyFileSync(FIXTURE, file);
	if (closed) {
		const raw = new Database(file);
		raw.prepare(`UPDATE round SET phase = 'resultados' WHERE id = ?`).run(ROUND);
		raw.close();
	}
	return { dir, file };
}

/** What the old file says: each counted web ballot's voter, in casting order (the oracle to score the attacker). */
function oldTruth(file: string): Voter[] {
	const raw = new Database(file, { readonly: true });
	const rows = raw
		.prepare(
			`SELECT b.id, p.id AS personId, u.id AS userId, p.dni_hmac AS dni, b.receipt_hash
			 FROM ballot b JOIN person p ON p.id = b.voter_person_id LEFT JOIN user u ON u.person_id = p.id
			 WHERE b.status = 'counted' AND b.channel = 'web' ORDER BY b.seq`
		)
		.all() as { id: number; personId: number; userId: number; dni: string | null }[];
	const content = (id: number) =>
		(raw.prepare('SELECT choices FROM ballot_section WHERE ballot_id = ?').all(id) as { choices: string }[])
			.map((s) => s.choices)
			.sort()
			.join('|');
	const truth = rows.map((r) => ({
		personId: r.personId,
		userId: r.userId ?? -1,
		dniHmac: r.dni ?? '',
		content: content(r.id),
		channel: 'web' as const
	}));
	raw.close();
	return truth;
}

function chainVerifies(db: ReturnType<typeof openDatabase>) {
	const events = db.select().from(auditEvents).orderBy(asc(auditEvents.municipalityId), asc(auditEvents.seq)).all();
	for (const m of new Set(events.map((e) => e.municipalityId))) {
		const mine = events.filter((e) => e.municipalityId === m);
		const salts = new Map(mine.filter((e) => e.payloadSalt).map((e) => [e.seq, e.payloadSalt!]));
		const check = verifyChain(mine, new Map(mine.map((e) => [e.seq, e.payload])), salts);
		expect(check).toMatchObject({ ok: true });
	}
}

const countedWeb = (db: ReturnType<typeof openDatabase>) =>
	db
		.select()
		.from(ballots)
		.where(and(eq(ballots.roundId, ROUND), eq(ballots.status, 'counted'), eq(ballots.channel, 'web')))
		.all().length;

describe('migration of a database from commit 5c0ca36', () => {
	process.env.MINKA_SECRET = 'legacy-fixture-secret';

	it('the old schema links every web ballot to its voter (the attacker works)', () => {
		const { file } = fixtureCopy(false);
		const truth = oldTruth(file);
		expect(truth.length).toBeGreaterThan(10);
		const report = attack({ main: file }, truth);
		expect(report.direct).toBeGreaterThanOrEqual(truth.length);
		// Even without the voter column, the id / sequence order gives most ballots away.
		expect(Math.max(...report.byOrder.map((o) => o.correct))).toBeGreaterThan(truth.length / 2);
	});

	it('round in voting: one counted ballot per DNI, the case audited, the chain intact, replacement works', () => {
		const { file } = fixtureCopy(false);
		const raw = new Database(file, { readonly: true });
		const before = (
			raw
				.prepare(`SELECT count(*) AS n FROM ballot WHERE round_id = ? AND status = 'counted' AND channel = 'web'`)
				.get(ROUND) as { n: number }
		).n;
		raw.close();
		const db = openDatabase(file);
		finishVotingMigration(db);
		// The DNI moved to its rightful owner had two counted web ballots: the latest stays.
		expect(countedWeb(db)).toBe(before - 1);
		const cases = db.select().from(auditEvents).where(eq(auditEvents.type, 'voting.duplicateResolved')).all();
		expect(cases.map((c) => JSON.parse(c.payload))).toEqual([
			{ roundId: ROUND, countedBefore: 2, kept: 'web', migration: '0013' }
		]);
		// One roll row per DNI, and every web row has its tagged counted ballot (replacement keeps working).
		const rows = db.select().from(rollEntries).where(eq(rollEntries.roundId, ROUND)).all();
		expect(new Set(rows.map((r) => r.dniHmac)).size).toBe(rows.length);
		const tagged = db
			.select()
			.from(ballots)
			.where(and(eq(ballots.roundId, ROUND), eq(ballots.status, 'counted')))
			.all()
			.filter((b) => b.tag);
		expect(tagged).toHaveLength(rows.filter((r) => r.channel === 'web').length);
		// The rightful owner of the moved DNI (her ballot was kept) replaces it: still one counted ballot.
		const owner = db
			.select({ user: users })
			.from(users)
			.innerJoin(persons, eq(users.personId, persons.id))
			.where(eq(persons.fullName, 'Dueña Legítima'))
			.get()!.user;
		const actor = actorFor(db, owner);
		const again = castWebBallot(db, actor, actor.municipalityId, ROUND, (p) => p.sections.map(() => ({ approve: [] })));
		expect(again.replaced).toBe(true);
		expect(countedWeb(db)).toBe(before - 1);
		chainVerifies(db);
		// The legacy tables are gone.
		expect(db.$client.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'legacy_%'`).all()).toEqual([]);
	});

	it('closed round: sealed during the migration, nothing linkable, the chain intact', () => {
		const { file, dir } = fixtureCopy(true);
		const truth = oldTruth(file);
		const db = openDatabase(file);
		finishVotingMigration(db);
		expect(db.$client.prepare('SELECT round_id FROM voting_seal').all()).toContainEqual({ round_id: ROUND });
		const report = attack({ main: file, wal: join(dir, 'minka.db-wal') }, truth);
		expect(report.direct).toBe(0);
		for (const o of report.byOrder) expect(o.correct, o.attack).toBeLessThan(truth.length / 2);
		chainVerifies(db);
	});
});
