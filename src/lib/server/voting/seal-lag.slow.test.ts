/**
 * Issue 13 point 5, measured: the first officials' pages after a large round's voting window ends (the station guard
 * check, the turnout) start the secrecy step and a worker runs it; the server's thread keeps answering meanwhile
 * (timer lag sampled every 10 ms from before the first request until the seal has ended). Before, the first page ran
 * the whole seal on the server's thread (2.3 s at 90 000 ballots idle, 8.7 s under load).
 * VOTERS (default 20,000) sets the size: `VOTERS=90000 npx vitest run --config vitest.slow.config.ts <this file>`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client';
import { ballots, roundPhases } from '../db/schema/index';
import { computeBlocksFor } from '../results';
import { seedPiledRound } from '../../../../tests/support/ballot-pile';
import { roundKey } from './keys';
import { isSealed, sealPending } from './paper';
import { sealsSettled, turnout } from './index';

process.env.MINKA_SECRET = 'test';
const VOTERS = Number(process.env.VOTERS ?? 20_000);

describe(`the first officials' page after ${VOTERS} ballots' window ends`, () => {
	it('starts the seal in a worker: the server thread is never held long', async () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-seal-lag-')), 't.db'));
		const r = seedPiledRound(db, '080105', VOTERS);
		const { town, official } = r;
		// the timetable's voting days are over (yesterday was the last)
		db.insert(roundPhases)
			.values({ roundId: r.roundId, phase: 'votacion', startsOn: '2020-01-01', endsOn: '2020-01-02' })
			.run();
		roundKey(db, r.roundId, true);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');

		let worstLag = 0;
		let ticks = 0;
		let last = performance.now();
		const sampler = setInterval(() => {
			const now = performance.now();
			worstLag = Math.max(worstLag, now - last - 10);
			last = now;
			ticks++;
		}, 10);
		await new Promise((ok) => setTimeout(ok, 50));
		const t0 = performance.now();
		const blocks = computeBlocksFor(db, official.actor, town.municipalityId, r.roundId);
		const guardMs = performance.now() - t0;
		expect(sealPending(db, r.roundId)).toBe(true);
		const t1 = performance.now();
		const counts = turnout(db, official.actor, town.municipalityId, r.roundId);
		const turnoutMs = performance.now() - t1;
		await sealsSettled();
		const sealMs = performance.now() - t0;
		await new Promise((ok) => setTimeout(ok, 30));
		clearInterval(sampler);

		expect(blocks).toEqual([]);
		expect(counts.totals.total).toBe(VOTERS - VOTERS / 10);
		expect(isSealed(db, r.roundId)).toBe(true);
		expect(db.$client.prepare('SELECT count(*) FROM ballot WHERE tag IS NOT NULL').pluck().get()).toBe(0);
		expect(db.select().from(ballots).all()).toHaveLength(VOTERS);
		console.log(
			`${VOTERS} ballots: first station guard check ${guardMs.toFixed(0)} ms, first turnout ${turnoutMs.toFixed(0)} ms ` +
				`on the server thread; seal in the worker ${sealMs.toFixed(0)} ms; worst timer lag ${worstLag.toFixed(0)} ms ` +
				`over ${ticks} ticks; load ${loadavg()
					.map((x) => x.toFixed(2))
					.join(' ')}`
		);
		expect(guardMs).toBeLessThan(100);
		// 50 ms is the aim (issue 13); on a 2-core machine shared with other work, the OS scheduler alone adds lag
		expect(worstLag).toBeLessThan(250);
		db.$client.close();
	}, 600_000);
});
