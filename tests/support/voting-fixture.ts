/**
 * Test/bench helper: a round in its voting phase with budgets and proposals, inserted straight through the schema
 * tables (so voting tests do not depend on the rounds module's commands).
 */
import { writeTx, type Db } from '../../src/lib/server/db/client';
import { proposals, roundBudgets, rounds } from '../../src/lib/server/db/schema/index';
import { DEFAULT_RULES, type RoundRules, type BallotRule } from '../../src/lib/domain/round-rules';

export interface VotingRoundInput {
	municipalityId: number;
	authorPersonId: number;
	/** Zone budgets (zoneId → céntimos) and the municipality-wide share (null). */
	budgets: [number | null, number][];
	ballot?: BallotRule;
	voteScope?: RoundRules['voteScope'];
	minAge?: number;
	/** Proposals per section key (zoneId or null): [title, titleQu | null, costCents]. */
	proposals: [number | null, string, string | null, number][];
	phase?: 'votacion' | 'evaluacion' | 'resultados';
}

export function seedVotingRound(db: Db, input: VotingRoundInput) {
	const now = Date.now();
	return writeTx(db, (tx) => {
		const rules: RoundRules = {
			...DEFAULT_RULES,
			ballot: input.ballot ?? DEFAULT_RULES.ballot,
			voteScope: input.voteScope ?? 'own_zone_and_wide',
			minAge: input.minAge ?? 16
		};
		const total = input.budgets.reduce((s, [, c]) => s + c, 0);
		const round = tx
			.insert(rounds)
			.values({
				municipalityId: input.municipalityId,
				fiscalYear: 2027,
				titleEs: 'Presupuesto participativo 2027',
				titleQu: 'Presupuesto participativo 2027 watapaq',
				budgetCents: total,
				phase: input.phase ?? 'votacion',
				phaseChangedAt: now,
				rules,
				rulesFrozenAt: now,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		for (const [zoneId, amountCents] of input.budgets)
			tx.insert(roundBudgets).values({ roundId: round.id, zoneId, amountCents }).run();
		const ids: number[] = [];
		input.proposals.forEach(([zoneId, title, titleQu, cost], i) => {
			const p = tx
				.insert(proposals)
				.values({
					municipalityId: input.municipalityId,
					roundId: round.id,
					seq: i + 1,
					zoneId,
					authorPersonId: input.authorPersonId,
					originalLocale: 'es',
					title,
					description: `Descripción de ${title}: obra pedida por los vecinos del sector.`,
					translatedTitle: titleQu,
					translatedDescription: titleQu ? `${titleQu}: llaqtamasikunaq mañakusqan ruwana.` : null,
					category: 'other',
					estimatedCostCents: cost,
					beneficiaries: 100 + i,
					status: 'on_ballot',
					createdAt: now,
					updatedAt: now
				})
				.returning({ id: proposals.id })
				.get();
			ids.push(p.id);
		});
		return { roundId: round.id, proposalIds: ids };
	});
}
