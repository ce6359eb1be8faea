import { eq } from 'drizzle-orm';
import { writeTx, type Db } from '../../src/lib/server/db/client';
import {
	ballotSections,
	ballots,
	municipalities,
	persons,
	proposals,
	roundBudgets,
	rounds,
	users,
	zones
} from '../../src/lib/server/db/schema/index';
import { DEFAULT_RULES, type RoundRules } from '../../src/lib/domain/round-rules';
import type { SectionChoices } from '../../src/lib/domain/ballot';

/**
 * A round in the voting phase with two budgets (zone Z1 and the municipality-wide share), proposals on the ballot
 * and counted ballots written straight to the tables, for the results tests.
 */
export function seedVotedRound(
	db: Db,
	opts: { municipalityId: number; zoneId: number; authorPersonId: number; rules?: Partial<RoundRules> }
) {
	const now = Date.now();
	return writeTx(db, (tx) => {
		const round = tx
			.insert(rounds)
			.values({
				municipalityId: opts.municipalityId,
				fiscalYear: 2027,
				titleEs: 'Presupuesto participativo 2027',
				titleQu: 'Presupuesto participativo 2027 wata',
				budgetCents: 100_000_00,
				phase: 'votacion',
				rules: { ...DEFAULT_RULES, ...opts.rules },
				rulesFrozenAt: now,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		tx.insert(roundBudgets).values({ roundId: round.id, zoneId: opts.zoneId, amountCents: 60_000_00 }).run();
		tx.insert(roundBudgets).values({ roundId: round.id, zoneId: null, amountCents: 40_000_00 }).run();
		let seq = 0;
		const mk = (title: string, costCents: number, zoneId: number | null) =>
			tx
				.insert(proposals)
				.values({
					municipalityId: opts.municipalityId,
					roundId: round.id,
					seq: ++seq,
					zoneId,
					authorPersonId: opts.authorPersonId,
					originalLocale: 'es',
					title,
					description: title,
					category: 'other',
					estimatedCostCents: costCents,
					beneficiaries: 100,
					status: 'on_ballot',
					createdAt: now,
					updatedAt: now
				})
				.returning()
				.get();
		const water = mk('Agua potable para Larapa', 30_000_00, opts.zoneId);
		const road = mk('Mejoramiento del camino vecinal', 25_000_00, opts.zoneId);
		const park = mk('Parque infantil', 20_000_00, opts.zoneId);
		const school = mk('Techado de la escuela', 35_000_00, null);
		const health = mk('Equipamiento de la posta de salud', 10_000_00, null);
		// 5 ballots: zone section + wide section each; one blank zone section (still a voter of that budget).
		const zoneVotes = [[water.id, road.id], [water.id], [water.id, park.id], [road.id, park.id], []];
		const wideVotes = [[school.id], [health.id], [school.id, health.id], [school.id], [health.id]];
		zoneVotes.forEach((z, i) => {
			const b = tx
				.insert(ballots)
				.values({
					municipalityId: opts.municipalityId,
					roundId: round.id,
					channel: i === 4 ? 'paper' : 'web',
					status: 'counted'
				})
				.returning()
				.get();
			tx.insert(ballotSections)
				.values({ ballotId: b.id, budgetZoneId: opts.zoneId, choices: { approve: z } satisfies SectionChoices })
				.run();
			tx.insert(ballotSections)
				.values({ ballotId: b.id, budgetZoneId: null, choices: { approve: wideVotes[i] } satisfies SectionChoices })
				.run();
		});
		return { round, ids: { water: water.id, road: road.id, park: park.id, school: school.id, health: health.id } };
	});
}

export function closeVoting(db: Db, roundId: number) {
	db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, roundId)).run();
}

export { municipalities, persons, users, zones };
