import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { roleGrants, roundPhases, rounds, users } from '../db/schema/index';
import { limaToday } from '../../domain/clock';
import { endVotingWindow } from '../voting';
import { actorFor } from '../accounts';
import { computeResults, publishResults } from '../results';
import { seedRoundsDemo } from './rounds';
import { seedCouncilDemo } from './council';
import { seedExecutionDemo } from './execution';

/** Loaded lazily: the voting demo is optional (a checkout without it still gets a demo). */
async function votingDemo(): Promise<((db: Db, municipalityId: number, roundId: number) => unknown) | null> {
	try {
		const mod = await import('./voting');
		return mod.seedVotingDemo;
	} catch (e) {
		if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
		throw e;
	}
}

/**
 * Each capability's demo data, in dependency order: last year's round voted, counted and published; this year's
 * round open for voting; the council's records. Returns the names of what was seeded.
 */
export async function seedAllFeatureDemos(db: Db, municipalityId: number): Promise<string[]> {
	const seeded: string[] = [];
	const thisYear = new Date().getFullYear();
	const seedVotes = await votingDemo();

	const past = seedRoundsDemo(db, municipalityId, { phase: 'votacion', fiscalYear: thisYear });
	const current = seedRoundsDemo(db, municipalityId, { phase: 'votacion', fiscalYear: thisYear + 1 });
	seeded.push('rounds and proposals');
	if (seedVotes) {
		// Last year's voting window has ended by the calendar, so casting would be refused: its ballots are cast as if
		// on its last day (the window reopened until today), then the window ends the way it would have.
		const pastVoting = and(eq(roundPhases.roundId, past.roundId), eq(roundPhases.phase, 'votacion'));
		const window = db.select().from(roundPhases).where(pastVoting).get();
		if (window && window.endsOn < limaToday())
			db.update(roundPhases).set({ endsOn: limaToday() }).where(pastVoting).run();
		await seedVotes(db, municipalityId, past.roundId);
		if (window) db.update(roundPhases).set({ endsOn: window.endsOn }).where(pastVoting).run();
		endVotingWindow(db, past.roundId);
		await seedVotes(db, municipalityId, current.roundId);
		seeded.push('ballots');
	}

	// Close last year's voting and publish its result as an official would.
	const official = db
		.select({ user: users })
		.from(roleGrants)
		.innerJoin(users, eq(roleGrants.userId, users.id))
		.where(
			and(eq(roleGrants.municipalityId, municipalityId), eq(roleGrants.role, 'official'), isNull(roleGrants.revokedAt))
		)
		.get();
	if (official) {
		const actor = actorFor(db, official.user);
		db.update(rounds).set({ phase: 'resultados', phaseChangedAt: Date.now() }).where(eq(rounds.id, past.roundId)).run();
		const snapshot = computeResults(db, actor, municipalityId, past.roundId);
		publishResults(db, actor, municipalityId, past.roundId, snapshot.version);
		seeded.push('published results');
		await seedExecutionDemo(db, municipalityId, past.roundId);
		seeded.push('execution follow-up and observations');
	}

	seedCouncilDemo(db, municipalityId);
	seeded.push('council and workshops');
	return seeded;
}
