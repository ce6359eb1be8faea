/**
 * The scrub's VACUUM holds SQLite's write lock for its whole length, and better-sqlite3 waits for a lock by sleeping
 * on the calling thread: a write on the server's thread meanwhile froze every request (measured: one insert waited
 * 1 450 ms on a 90 MB file). The worker now announces the VACUUM (platform/workers.ts exclusiveWork) and requests
 * that may write wait for its end asynchronously (http/exclusive-gate.ts). Real file, real seal worker.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../db/client';
import { exclusiveWorkEnded } from '../platform/workers';
import { waitForExclusiveWork } from '../http';
import { scrubInBackground, sealsSettled } from './seal';

process.env.MINKA_SECRET = 'test';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the scrub as exclusive work', () => {
	it('raises the gate before the VACUUM takes the lock and lowers it after it; writers wait, anonymous readers do not', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'minka-exclusive-')), 't.db');
		const db = openDatabase(file);
		const c = db.$client;
		c.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB)');
		const ins = c.prepare('INSERT INTO filler (b) VALUES (?)');
		c.transaction(() => {
			for (let i = 0; i < 250_000; i++) ins.run(randomBytes(150));
		})();
		c.prepare('INSERT OR IGNORE INTO file_scrub_pending (id, since) VALUES (1, ?)').run(Date.now());

		// a second connection asks for the write lock without waiting, every 2 ms, noting whether the gate is up
		const probe = new Database(file);
		probe.pragma('busy_timeout = 0');
		const samples: { busy: boolean; gate: boolean }[] = [];
		const tryLock = () => {
			try {
				probe.exec('BEGIN IMMEDIATE');
				probe.exec('ROLLBACK');
				return false;
			} catch (e) {
				if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
				return true;
			}
		};
		let done = false;
		const settled = (async () => {
			scrubInBackground(db);
			await sealsSettled();
			done = true;
		})();
		let writerWaited: Promise<number> | null = null;
		let readerWent: boolean | null = null;
		while (!done) {
			const gate = exclusiveWorkEnded() !== null;
			samples.push({ busy: tryLock(), gate });
			if (gate && !writerWaited) {
				const asked = performance.now();
				writerWaited = waitForExclusiveWork(new Request('http://minka/', { method: 'POST' }), false).then(
					() => performance.now() - asked
				);
				const reader = waitForExclusiveWork(new Request('http://minka/'), false).then(() => true);
				readerWent = await Promise.race([reader, tick(0).then(() => false)]);
				// a signed-in person's GET may write (session renewal, the start of a seal): it waits too
				const signedIn = waitForExclusiveWork(new Request('http://minka/'), true).then(() => true);
				expect(await Promise.race([signedIn, tick(0).then(() => false)])).toBe(false);
			}
			await tick(2);
		}
		await settled;

		// the VACUUM held the lock for many samples, with the gate up; with the gate down only short holds (an attempt
		// to truncate the WAL, 50 ms at most; the mark's deletion): never a run of more than 20 samples (40 ms and more)
		expect(samples.filter((s) => s.busy && s.gate).length).toBeGreaterThanOrEqual(5);
		let run = 0;
		let longest = 0;
		for (const s of samples) {
			run = s.busy && !s.gate ? run + 1 : 0;
			longest = Math.max(longest, run);
		}
		expect(longest).toBeLessThanOrEqual(20);
		expect(readerWent).toBe(true);
		expect(writerWaited).not.toBeNull();
		expect(await writerWaited!).toBeGreaterThan(10);
		expect(exclusiveWorkEnded()).toBeNull();
		// and the lock is free once the gate is down
		probe.pragma('busy_timeout = 200');
		expect(tryLock()).toBe(false);
		expect(c.prepare('SELECT count(*) AS n FROM file_scrub_pending').get()).toEqual({ n: 0 });
		probe.close();
		c.close();
	}, 60_000);
});
