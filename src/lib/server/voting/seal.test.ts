/**
 * Issue 13 point 5 (heavy work never holds the server): the secrecy step at the end of voting runs in slices, each
 * its own transaction. A seal interrupted between slices (the process died in the middle of rewriting the ids) leaves
 * the round closed for voting, and the next call finishes it exactly as an uninterrupted seal would: every tag gone,
 * the content of superseded ballots gone, no ballot, section or receipt keeping its id, the counted ballots' content
 * intact, one audit event, nothing of the seal's own bookkeeping left.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import {
	auditEvents,
	ballotSections,
	ballots,
	receipts,
	rounds,
	votingSealMap,
	votingSealProgress
} from '../db/schema/index';
import { seedPiledRound } from '../../../../tests/support/ballot-pile';
import { assignPublicIds } from './ballots';
import { roundKey, roundKeyPath } from './keys';
import { isSealed, loadRound, requireOpen, sealPending } from './paper';
import {
	beginSeal,
	endVotingWindow,
	finishSeal,
	scrubFile,
	scrubInBackground,
	sealIfEnded,
	sealSlice,
	sealsSettled,
	STEP
} from './seal';

process.env.MINKA_SECRET = 'test';

const snapshot = (db: Db, roundId: number) => ({
	ballots: db.select().from(ballots).where(eq(ballots.roundId, roundId)).all(),
	sections: db.select().from(ballotSections).all(),
	receipts: db.select().from(receipts).where(eq(receipts.roundId, roundId)).all()
});

describe('a seal interrupted between slices', () => {
	it('keeps voting closed and is finished by the next call, as if never interrupted', () => {
		const file = join(mkdtempSync(join(tmpdir(), 'minka-seal-')), 't.db');
		let db = openDatabase(file);
		const n = STEP * 3 + 7; // several steps in every stage
		const r = seedPiledRound(db, '080104', n);
		const { town } = r;
		roundKey(db, r.roundId, true);
		const before = snapshot(db, r.roundId);
		const counted = new Set(before.ballots.filter((b) => b.status === 'counted').map((b) => b.id));
		const content = (rows: { ballotId: number; budgetZoneId: number | null; choices: unknown }[]) =>
			rows.map((s) => `${s.budgetZoneId}:${JSON.stringify(s.choices)}`).sort();
		const countedContent = content(before.sections.filter((s) => counted.has(s.ballotId)));

		// "close voting now": the round is closed from the first row written, before any slice ran
		expect(beginSeal(db, r.roundId)).toBe(true);
		expect(existsSync(roundKeyPath(db, r.roundId))).toBe(false);
		const round = loadRound(db, town.municipalityId, r.roundId);
		expect(() => requireOpen(db, round)).toThrow(expect.objectContaining({ code: 'ballot.closed' }));
		// one step per slice until part of the ids are rewritten and part are not
		let slices = 0;
		for (;;) {
			expect(sealSlice(db, r.roundId, 0)).toBe('more');
			slices++;
			const left = db.select().from(votingSealMap).all().length;
			const stage = db.select().from(votingSealProgress).get()!.stage;
			// ballots and receipts mapped, some of them given their new id, not all
			if (stage === 'rewrite' && left > 0 && left < n * 2) break;
		}
		expect(slices).toBeGreaterThan(6);
		expect(isSealed(db, r.roundId)).toBe(false);
		expect(sealPending(db, r.roundId)).toBe(true);
		expect(() => requireOpen(db, round)).toThrow(expect.objectContaining({ code: 'ballot.closed' }));

		// the process dies here; after the restart, the next officials' page (the window has not ended by date: the
		// round was closed early) finishes it
		db.$client.close();
		db = openDatabase(file);
		expect(() => requireOpen(db, round)).toThrow(expect.objectContaining({ code: 'ballot.closed' }));
		expect(sealIfEnded(db, r.roundId, Date.now(), { wait: true })).toBe(true);
		expect(isSealed(db, r.roundId)).toBe(true);
		expect(sealPending(db, r.roundId)).toBe(false);
		expect(sealIfEnded(db, r.roundId, Date.now(), { wait: true })).toBe(false);

		const after = snapshot(db, r.roundId);
		expect(after.ballots).toHaveLength(before.ballots.length);
		expect(after.receipts).toHaveLength(before.receipts.length);
		expect(after.ballots.map((b) => b.status).sort()).toEqual(before.ballots.map((b) => b.status).sort());
		expect(after.ballots.every((b) => b.tag === null) && after.receipts.every((x) => x.tag === null)).toBe(true);
		// no id kept: ballots, sections and receipts
		const old = (rows: { id: number }[]) => new Set(rows.map((x) => x.id));
		for (const [a, b] of [
			[before.ballots, after.ballots],
			[before.sections, after.sections],
			[before.receipts, after.receipts]
		] as const) {
			const was = old(a);
			expect(b.filter((x) => was.has(x.id))).toEqual([]);
		}
		// the counted ballots' content intact, the superseded ones' gone
		const countedNow = new Set(after.ballots.filter((b) => b.status === 'counted').map((b) => b.id));
		expect(after.sections.every((s) => countedNow.has(s.ballotId))).toBe(true);
		expect(content(after.sections)).toEqual(countedContent);
		expect(db.$client.pragma('foreign_key_check')).toEqual([]);
		expect(db.select().from(votingSealMap).all()).toEqual([]);
		const sealedEvents = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.type, 'voting.sealed'))
			.all()
			.filter((e) => JSON.parse(e.payload).roundId === r.roundId);
		expect(sealedEvents).toHaveLength(1);
		db.$client.close();
	});
});

describe('a seal whose scrub never ran', () => {
	it('leaves the file marked, and the next start scrubs it in a worker (VACUUM, WAL emptied)', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'minka-seal-')), 't.db');
		let db = openDatabase(file);
		const r = seedPiledRound(db, '080113', STEP * 20);
		const pending = () => db.$client.prepare('SELECT count(*) FROM file_scrub_pending').pluck().get();
		expect(pending()).toBe(0); // migration 0030 marks only a file that has sealed or published before it
		expect(beginSeal(db, r.roundId)).toBe(true);
		// the slices run to the seal; the process dies before the scrub
		while (sealSlice(db, r.roundId, 1000) !== 'sealed');
		expect(isSealed(db, r.roundId)).toBe(true);
		expect(pending()).toBe(1);
		expect(db.$client.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
		db.$client.close();

		db = openDatabase(file);
		expect(pending()).toBe(1);
		scrubInBackground(db); // hooks.server.ts init
		await sealsSettled();
		expect(pending()).toBe(0);
		// VACUUMed: no free page left; the WAL emptied (then one frame: the mark's deletion)
		expect(db.$client.pragma('freelist_count', { simple: true })).toBe(0);
		expect(statSync(`${file}-wal`).size).toBeLessThan(3 * 4096);
		db.$client.close();
	});
});

/** A small round with a few ballots on a database file of its own. */
function smallRound(n = 5) {
	const file = join(mkdtempSync(join(tmpdir(), 'minka-seal-')), 't.db');
	const db = openDatabase(file);
	const r = seedPiledRound(db, '080104', n);
	return { db, roundId: r.roundId };
}

const sealedEvents = (db: Db) => db.select().from(auditEvents).where(eq(auditEvents.type, 'voting.sealed')).all();

describe('the seal, once and only where there is something to seal', () => {
	it('seals a round once: a second end, a slice or a finish afterwards do nothing; an unknown round is left alone', () => {
		const { db, roundId } = smallRound();
		expect(finishSeal(db, roundId)).toBe(false); // nothing begun: nothing to finish
		expect(sealSlice(db, roundId)).toBe('none');
		expect(endVotingWindow(db, roundId)).toBe(true);
		expect(isSealed(db, roundId)).toBe(true);
		expect(endVotingWindow(db, roundId)).toBe(false);
		expect(beginSeal(db, roundId)).toBe(false);
		expect(sealSlice(db, roundId)).toBe('none');
		expect(sealPending(db, roundId)).toBe(false);
		expect(sealedEvents(db)).toHaveLength(1);
		expect(beginSeal(db, roundId + 1000)).toBe(false);
		expect(db.select().from(votingSealProgress).all()).toEqual([]);
		db.$client.close();
	});

	it('after the window, the first page only starts the seal: a worker writes it, sealsSettled waits for it', async () => {
		const { db, roundId } = smallRound();
		// a phase after voting: the window has ended, whatever the timetable says
		db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, roundId)).run();
		expect(sealIfEnded(db, roundId)).toBe(true);
		// not sealed on this thread: the page answers at once, the round already closed for voting
		expect(sealPending(db, roundId)).toBe(true);
		expect(isSealed(db, roundId)).toBe(false);
		// asked again while the worker runs: it goes on with the same seal, no second worker
		expect(sealIfEnded(db, roundId)).toBe(true);
		await sealsSettled();
		expect(isSealed(db, roundId)).toBe(true);
		expect(sealPending(db, roundId)).toBe(false);
		expect(sealedEvents(db)).toHaveLength(1);
		expect(
			db
				.select()
				.from(ballots)
				.where(eq(ballots.roundId, roundId))
				.all()
				.every((b) => b.tag === null)
		).toBe(true);
		expect(sealIfEnded(db, roundId)).toBe(false);
		db.$client.close();
	});

	it('gives each counted ballot a random public id as it moves, and only counted ones; a later one gets its id at compute', () => {
		const { db, roundId } = smallRound(STEP * 3 + 7);
		// a ballot with a public id already keeps it
		const [first] = db.select().from(ballots).where(eq(ballots.status, 'counted')).limit(1).all();
		db.update(ballots).set({ publicId: 'kept-public' }).where(eq(ballots.id, first.id)).run();
		expect(endVotingWindow(db, roundId)).toBe(true);
		const after = db.select().from(ballots).where(eq(ballots.roundId, roundId)).all();
		const counted = after.filter((b) => b.status === 'counted');
		expect(counted.length).toBe(STEP * 3 + 7 - Math.ceil((STEP * 3 + 7) / 10));
		expect(after.filter((b) => b.status !== 'counted').every((b) => b.publicId === null)).toBe(true);
		const drawn = counted.map((b) => b.publicId).filter((p) => p !== 'kept-public');
		expect(drawn).toHaveLength(counted.length - 1);
		for (const p of drawn) expect(p).toMatch(/^[A-Za-z0-9_-]{12}$/);
		expect(new Set(drawn).size).toBe(drawn.length);
		// nothing left for the compute to draw; a ballot counted after the close (a paper batch) is drawn there
		expect(assignPublicIds(db, roundId)).toBe(0);
		const late = db
			.insert(ballots)
			.values({ municipalityId: after[0].municipalityId, roundId, channel: 'paper', status: 'counted' })
			.returning({ id: ballots.id })
			.get();
		expect(assignPublicIds(db, roundId)).toBe(1);
		const lateRow = db.select().from(ballots).where(eq(ballots.id, late.id)).get()!;
		expect(lateRow.publicId).toMatch(/^[A-Za-z0-9_-]{12}$/);
		db.$client.close();
	});

	it('scrubs the file after the transaction it was called from (VACUUM cannot run inside one)', async () => {
		const { db, roundId } = smallRound(STEP * 4);
		const conn = db.$client;
		conn.transaction(() => {
			conn
				.prepare('DELETE FROM ballot_section WHERE ballot_id IN (SELECT id FROM ballot WHERE round_id = ?)')
				.run(roundId);
			scrubFile(db);
		})();
		expect(conn.pragma('freelist_count', { simple: true })).toBeGreaterThan(0);
		await new Promise((done) => setImmediate(done));
		expect(conn.pragma('freelist_count', { simple: true })).toBe(0);
		conn.close();
	});
});
