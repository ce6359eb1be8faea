/**
 * Turnout while a round is voting: every cast moves the data's version, so the counts (an aggregate over every ballot,
 * 60-75 ms at 90 000) were read again on each reload. They are now at most TURNOUT_MAX_AGE_MS old while voting, with
 * the time they were read; once voting has ended they are exact again.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { ballots, ballotSections, rounds } from '../db/schema/index';
import { seedPiledRound } from '../../../../tests/support/ballot-pile';
import { TURNOUT_MAX_AGE_MS, turnout } from './counts';
import { sealsSettled } from './seal';

process.env.MINKA_SECRET = 'test';

describe('turnout while voting', () => {
	it('is at most TURNOUT_MAX_AGE_MS old and says when it was read; exact once voting has ended', async () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-turnout-')), 't.db'));
		const r = seedPiledRound(db, '080104', 20);
		const m = r.town.municipalityId;
		// ten more counted ballots, each with its zone section
		const more = () => {
			for (let i = 0; i < 10; i++) {
				const b = db
					.insert(ballots)
					.values({ municipalityId: m, roundId: r.roundId, channel: 'web', status: 'counted' })
					.returning({ id: ballots.id })
					.get();
				db.insert(ballotSections)
					.values({ ballotId: b.id, budgetZoneId: r.town.zones[0], choices: { approve: [r.proposalIds[0]] } })
					.run();
			}
		};
		const t0 = Date.now();
		const first = turnout(db, r.official.actor, m, r.roundId, t0);
		expect(first.readAt).toBe(t0);
		expect(first.totals.total).toBe(18);
		more();
		const kept = turnout(db, r.official.actor, m, r.roundId, t0 + TURNOUT_MAX_AGE_MS - 1);
		expect(kept.totals.total).toBe(18);
		expect(kept.readAt).toBe(t0);
		const fresh = turnout(db, r.official.actor, m, r.roundId, t0 + TURNOUT_MAX_AGE_MS);
		expect(fresh.totals.total).toBe(28);
		expect(fresh.readAt).toBe(t0 + TURNOUT_MAX_AGE_MS);

		// voting ended (a phase change): the seal starts and the counts are exact, with no age
		more();
		db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, r.roundId)).run();
		const ended = turnout(db, r.official.actor, m, r.roundId, t0 + TURNOUT_MAX_AGE_MS + 1);
		expect(ended.readAt).toBeNull();
		expect(ended.totals.total).toBe(38);
		await sealsSettled();
		db.$client.close();
	});
});
