/**
 * Issue 13 point 5: «Cerrar la votación ahora» must not hold the request for the seal (seconds at 90 000 ballots). It
 * starts the seal (one row: voting is refused from that moment) and a worker finishes it and scrubs the file, as the
 * lazy path does after the window's last day.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client';
import { sealsSettled, castWebBallot } from '../voting';
import { seedPerson } from '../../../../tests/support/voting-people';
import { seedPiledRound } from '../../../../tests/support/ballot-pile';
import { closeVotingNow } from './index';

process.env.MINKA_SECRET = 'test';

describe('closing voting now', () => {
	it('returns with the seal still pending, refuses votes at once, and the seal completes in a worker', async () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-close-now-')), 't.db'));
		const r = seedPiledRound(db, '080111', 2000);
		const { town, official } = r;
		const voter = seedPerson(db, town.municipalityId, { zoneId: town.zones[0] });
		const sealed = () =>
			db.$client.prepare('SELECT count(*) FROM voting_seal WHERE round_id = ?').pluck().get(r.roundId);
		const pending = () =>
			db.$client.prepare('SELECT count(*) FROM voting_seal_progress WHERE round_id = ?').pluck().get(r.roundId);
		const tagged = () =>
			db.$client.prepare('SELECT count(*) FROM ballot WHERE round_id = ? AND tag IS NOT NULL').pluck().get(r.roundId);
		expect(tagged()).toBe(2000);

		const t0 = performance.now();
		const round = closeVotingNow(
			db,
			official.actor,
			town.municipalityId,
			r.roundId,
			'Acuerdo del CCL: cierre anticipado'
		);
		const ms = performance.now() - t0;
		expect(round.phase).toBe('resultados');
		// the request is answered before the seal has run: nothing of it is done yet on this thread
		expect(sealed()).toBe(0);
		expect(pending()).toBe(1);
		expect(tagged()).toBe(2000);
		// and voting is refused from this moment
		expect(() =>
			castWebBallot(db, voter.actor, town.municipalityId, r.roundId, [{ approve: [] }, { approve: [] }])
		).toThrow(expect.objectContaining({ code: 'ballot.closed' }));

		await sealsSettled();
		expect(sealed()).toBe(1);
		expect(pending()).toBe(0);
		expect(tagged()).toBe(0);
		expect(db.$client.prepare('SELECT count(*) FROM file_scrub_pending').pluck().get()).toBe(0);
		console.log(`closing voting now at 2000 ballots answered in ${ms.toFixed(0)} ms`);
		db.$client.close();
	});
});
