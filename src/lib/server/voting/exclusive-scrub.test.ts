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
	it('raises the gate before the VACUUM takes the lock and lowers it after; writers wait, anonymous readers do not', async () => {
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

		const locked = samples.filter((s) => s.busy);
		// the VACUUM held the lock for many samples, every one of them with the gate up
		expect(locked.filter((s) => s.gate).length).toBeGreaterThanOrEqual(5);
		expect(locked.filter((s) => !s.gate).length).toBe(0);
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
