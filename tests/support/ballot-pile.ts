/**
 * Test/bench helper: n web ballots of a round as casting leaves them before the end of voting (tags on ballots and
 * receipts, one roll row per counted voter, every tenth ballot superseded with its content still there), inserted
 * straight through the tables in one transaction: thousands per second.
 */
import { createHash } from 'node:crypto';
import { writeTx, type Db } from '../../src/lib/server/db/client';
import { ballotSections, ballots, receipts, rollEntries } from '../../src/lib/server/db/schema/index';

export function seedBallotPile(
	db: Db,
	o: { municipalityId: number; roundId: number; zoneId: number; zoneProposal: number; wideProposal: number; n: number }
) {
	const h = (s: string) => createHash('sha256').update(s).digest('hex');
	writeTx(db, (tx) => {
		for (let v = 0; v < o.n; v++) {
			const status = v % 10 === 0 ? 'superseded' : 'counted';
			const tag = h(`tag ${o.roundId} ${v}`);
			const b = tx
				.insert(ballots)
				.values({ municipalityId: o.municipalityId, roundId: o.roundId, channel: 'web', status, tag })
				.returning({ id: ballots.id })
				.get();
			tx.insert(ballotSections)
				.values([
					{ ballotId: b.id, budgetZoneId: o.zoneId, choices: { approve: v % 3 ? [o.zoneProposal] : [] } },
					{ ballotId: b.id, budgetZoneId: null, choices: { approve: [o.wideProposal] } }
				])
				.run();
			tx.insert(receipts)
				.values({
					municipalityId: o.municipalityId,
					roundId: o.roundId,
					hash: h(`receipt ${o.roundId} ${v}`),
					status,
					tag
				})
				.run();
			if (status === 'counted')
				tx.insert(rollEntries)
					.values({ roundId: o.roundId, dniHmac: h(`dni ${v}`), zoneId: o.zoneId, channel: 'web', day: '2027-05-01' })
					.run();
		}
	});
}
