/**
 * Test/bench helper: n web ballots of a round as casting leaves them before the end of voting (tags on ballots and
 * receipts, one roll row per counted voter, every tenth ballot superseded with its content still there), inserted
 * straight through the tables in one transaction: thousands per second.
 */
import { createHash } from 'node:crypto';
import { writeTx, type Db } from '../../src/lib/server/db/client';
import { ballotSections, ballots, receipts, rollEntries } from '../../src/lib/server/db/schema/index';
import { seedVotingRound } from './voting-fixture';
import { seedPerson, seedTown } from './voting-people';

/**
 * A town with an official, a round with a zone section and a municipality-wide one (a proposal each), and n web
 * ballots piled as casting leaves them (seedBallotPile): what the end-of-voting tests seal.
 */
export function seedPiledRound(db: Db, ubigeo: string, n: number) {
	const town = seedTown(db, ubigeo);
	const official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		budgets: [
			[town.zones[0], 1_000_000_00],
			[null, 1_000_000_00]
		],
		proposals: [
			[town.zones[0], 'A', null, 10_00],
			[null, 'W', null, 10_00]
		]
	});
	seedBallotPile(db, {
		municipalityId: town.municipalityId,
		roundId: r.roundId,
		zoneId: town.zones[0],
		zoneProposal: r.proposalIds[0],
		wideProposal: r.proposalIds[1],
		n
	});
	return { town, official, roundId: r.roundId, proposalIds: r.proposalIds };
}

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
