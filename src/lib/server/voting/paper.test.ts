/**
 * When voting is open, and the day age is counted on (paper.ts), on a real database file; and the casting
 * transaction's second check of the choices. Gaps the paper.ts mutation run found: no test had a round with a voting
 * timetable, cast before the voting phase or after a seal, or looked at which section an error names.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { roundPhases, rounds } from '../db/schema/index';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown } from '../../../../tests/support/voting-people';
import {
	checkChoices,
	loadRound,
	paperFor,
	personOf,
	requireOpen,
	votingDate,
	windowEnded,
	type BallotSpec
} from './paper';
import { endVotingWindow } from './seal';

process.env.MINKA_SECRET = 'test';

/** Noon in Lima (UTC−5) on an ISO day. */
const limaNoon = (day: string) => Date.parse(`${day}T17:00:00Z`);

function round() {
	const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-paper-')), 't.db'));
	const town = seedTown(db, '080104');
	const official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		budgets: [[null, 1_000_00]],
		proposals: [[null, 'W', null, 10_00]]
	});
	const load = () => loadRound(db, town.municipalityId, r.roundId);
	const setPhase = (phase: (typeof rounds.$inferSelect)['phase']) =>
		db.update(rounds).set({ phase }).where(eq(rounds.id, r.roundId)).run();
	return { db, town, roundId: r.roundId, load, setPhase };
}

const closed = expect.objectContaining({ code: 'ballot.closed' });

describe('the voting window', () => {
	it('is open in the voting phase up to and including the last day of its timetable, closed the day after', () => {
		const { db, roundId, load } = round();
		db.insert(roundPhases).values({ roundId, phase: 'votacion', startsOn: '2027-03-01', endsOn: '2027-03-07' }).run();
		expect(() => requireOpen(db, load(), limaNoon('2027-03-07'))).not.toThrow();
		expect(windowEnded(db, load(), limaNoon('2027-03-07'))).toBe(false);
		expect(() => requireOpen(db, load(), limaNoon('2027-03-08'))).toThrow(closed);
		expect(windowEnded(db, load(), limaNoon('2027-03-08'))).toBe(true);
		db.$client.close();
	});

	it('is closed before the voting phase (not ended: nothing to seal yet) and after it (ended)', () => {
		const { db, load, setPhase } = round();
		setPhase('propuestas');
		expect(() => requireOpen(db, load())).toThrow(closed);
		expect(windowEnded(db, load())).toBe(false);
		setPhase('resultados');
		expect(() => requireOpen(db, load())).toThrow(closed);
		expect(windowEnded(db, load())).toBe(true);
		db.$client.close();
	});

	it('is closed once the round is sealed, whatever the phase and the timetable say', () => {
		const { db, roundId, load } = round();
		db.insert(roundPhases).values({ roundId, phase: 'votacion', startsOn: '2027-03-01', endsOn: '2027-03-07' }).run();
		expect(endVotingWindow(db, roundId)).toBe(true);
		expect(load().phase).toBe('votacion');
		expect(() => requireOpen(db, load(), limaNoon('2027-03-02'))).toThrow(closed);
		db.$client.close();
	});
});

describe('the day age is counted on', () => {
	it('is the first voting day of the timetable, else the day the voting phase began', () => {
		const { db, roundId, load } = round();
		db.update(rounds)
			.set({ phaseChangedAt: limaNoon('2026-11-20') })
			.where(eq(rounds.id, roundId))
			.run();
		expect(votingDate(db, load())).toBe('2026-11-20');
		db.insert(roundPhases).values({ roundId, phase: 'votacion', startsOn: '2027-03-01', endsOn: '2027-03-07' }).run();
		expect(votingDate(db, load())).toBe('2027-03-01');
		db.$client.close();
	});
});

describe('the choices checked again inside the casting transaction', () => {
	const spec: BallotSpec = {
		rule: { type: 'approval', maxChoices: 1 },
		sections: [
			{ index: 0, zoneId: 7, budgetCents: 100_00, projects: [{ id: 1, costCents: 10_00 }] },
			{ index: 1, zoneId: null, budgetCents: 100_00, projects: [{ id: 2, costCents: 10_00 }] }
		]
	};

	it('refuses a ballot with a different number of sections', () => {
		const invalid = expect.objectContaining({ code: 'ballot.invalid' });
		expect(() => checkChoices(spec, [{ approve: [1] }])).toThrow(invalid);
		// one more than the paper has: refused, not silently dropped
		expect(() => checkChoices(spec, [{ approve: [1] }, { approve: [2] }, { approve: [2] }])).toThrow(invalid);
	});

	it('names the section (counted from 1) a refused choice is in', () => {
		expect(checkChoices(spec, [{ approve: [1] }, { approve: [2] }])).toEqual([
			{ zoneId: 7, choices: { approve: [1] } },
			{ zoneId: null, choices: { approve: [2] } }
		]);
		let error: unknown;
		try {
			checkChoices(spec, [{ approve: [1] }, { approve: [1] }]); // project 1 is not on the wide section
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({ params: expect.objectContaining({ section: 2 }) });
	});
});

describe('what a voter is told', () => {
	it('a round or a person not of this municipality: "this process does not exist", "forbidden"', () => {
		const { db, town, roundId } = round();
		const code = (f: () => unknown) => {
			try {
				f();
			} catch (e) {
				return (e as { code?: string }).code;
			}
		};
		expect(code(() => loadRound(db, town.municipalityId, roundId + 1000))).toBe('ballot.roundNotFound');
		expect(code(() => loadRound(db, town.municipalityId + 1000, roundId))).toBe('ballot.roundNotFound');
		expect(code(() => personOf(db, town.municipalityId, 999_999))).toBe('forbidden');
		db.$client.close();
	});

	it("the ballot paper names each section's zone, the municipality-wide one none", () => {
		const { db, town, load } = round();
		const paper = paperFor(
			db,
			load(),
			[
				{ zoneId: town.zones[1], budgetCents: 500_00 },
				{ zoneId: null, budgetCents: 1_000_00 }
			],
			'es'
		);
		expect(paper.sections.map((s) => [s.zoneName, s.budgetCents, s.projects.map((p) => p.title)])).toEqual([
			['Sector Sur', 500_00, []],
			[null, 1_000_00, ['W']]
		]);
		db.$client.close();
	});
});
