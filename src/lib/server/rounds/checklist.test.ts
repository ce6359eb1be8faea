import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { amendments, municipalities, proposals, roundPhases, rounds, zones } from '../db/schema/index';
import { seedVotedRound } from '../../../../tests/support/results-seed';
import { auditEventsOfType } from '../platform/audit';
import { closeVotingNow, confirmPhaseChange, openRoundsNextSteps, roundChecklist } from './index';
import type { Actor } from '../platform/policy';
import { createAccount } from '../accounts';
import { grantRoleInTx } from '../roles';

let db: Db;
let mId: number;
let zoneId: number;
let official: Actor;
let personId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-checklist-'));
	process.env.DATABASE_URL = join(dir, 't.db');
	db = openDatabase(join(dir, 't.db'));
	const base = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 'c',
				ubigeo: '080197',
				name: 'C',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: mu.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const off = createAccount(tx, mu.id, {
			fullName: 'Edwin Ccorimanya',
			dni: '70000137',
			birthDate: '1980-01-01',
			email: null,
			passwordHash: 'x',
			locale: 'es'
		});
		return { mu, z, off };
	});
	mId = base.mu.id;
	zoneId = base.z.id;
	personId = base.off.person.id;
	official = { userId: base.off.user.id, personId, municipalityId: mId, roles: new Set(['official']), verified: true };
});

/** A round in evaluation whose voting runs 2026-05-10..20, with its proposals still on the ballot list. */
function roundInEvaluation() {
	const { round } = seedVotedRound(db, { municipalityId: mId, zoneId, authorPersonId: personId });
	db.update(rounds).set({ phase: 'evaluacion', rulesFrozenAt: null }).where(eq(rounds.id, round.id)).run();
	db.update(proposals).set({ status: 'feasible' }).where(eq(proposals.roundId, round.id)).run();
	db.insert(roundPhases)
		.values({ roundId: round.id, phase: 'votacion', startsOn: '2026-05-10', endsOn: '2026-05-20' })
		.run();
	return db.select().from(rounds).where(eq(rounds.id, round.id)).get()!;
}

describe('the round checklist from the data', () => {
	it('blocks opening voting without a census and before its dates; the confirmed change is refused, nothing moves', () => {
		const round = roundInEvaluation();
		const c = roundChecklist(db, round, '2026-05-09');
		expect(c.to).toBe('votacion');
		expect(c.items.filter((i) => i.level === 'blocking').map((i) => i.code)).toEqual(['votingNotStarted', 'noCensus']);
		// Warnings from the data: five Spanish proposals without Quechua, no station, no station official, no agents.
		expect(c.items.filter((i) => i.level === 'warning').map((i) => [i.code, i.params?.count])).toEqual([
			['noTranslation', 5],
			['noStation', undefined],
			['noStationOfficial', undefined],
			['noAgents', undefined]
		]);
		expect(() => confirmPhaseChange(db, official, mId, round.id, 'votacion', '2026-05-09')).toThrow('phase.blocked');
		expect(db.select().from(rounds).where(eq(rounds.id, round.id)).get()!.phase).toBe('evaluacion');
		// Its next step shows on the municipality's home.
		expect(openRoundsNextSteps(db, mId, '2026-05-09').find((x) => x.round.id === round.id)?.first?.code).toBe(
			'votingNotStarted'
		);
	});

	it('flags a missing technical team while proposals wait for their verdict, on the round and on the home', () => {
		const round = roundInEvaluation();
		db.update(proposals).set({ status: 'submitted' }).where(eq(proposals.roundId, round.id)).run();
		const c = roundChecklist(db, round, '2026-05-09');
		expect(c.items.find((i) => i.code === 'noTechnical')).toEqual({
			code: 'noTechnical',
			level: 'warning',
			fix: 'roles'
		});
		// The home lists each role still missing, beside the round's first item.
		const step = openRoundsNextSteps(db, mId, '2026-05-09').find((x) => x.round.id === round.id)!;
		expect(step.missingRoles.map((i) => i.code)).toEqual(['noStationOfficial', 'noTechnical']);
		grantRoleInTx(db, null, mId, official.userId, 'technical');
		expect(roundChecklist(db, round, '2026-05-09').items.some((i) => i.code === 'noTechnical')).toBe(false);
		db.update(proposals).set({ status: 'feasible' }).where(eq(proposals.roundId, round.id)).run();
	});

	it('closing voting now amends the end date with its reason, ends the window and moves to results', () => {
		const round = roundInEvaluation();
		db.update(rounds).set({ phase: 'votacion' }).where(eq(rounds.id, round.id)).run();
		expect(() => closeVotingNow(db, official, mId, round.id, '  ', '2026-05-15')).toThrow();
		const after = closeVotingNow(db, official, mId, round.id, 'Acuerdo del CCL: cierre anticipado', '2026-05-15');
		expect(after.phase).toBe('resultados');
		const w = db
			.select()
			.from(roundPhases)
			.where(eq(roundPhases.roundId, round.id))
			.all()
			.find((e) => e.phase === 'votacion')!;
		expect(w.endsOn).toBe('2026-05-15');
		const a = db.select().from(amendments).where(eq(amendments.recordId, round.id)).all();
		expect(a.map((x) => [x.field, x.previous, x.current])).toContainEqual([
			'endsOn_votacion',
			'2026-05-20',
			'2026-05-15'
		]);
		expect(auditEventsOfType(db, mId, 'round.votingClosed')).toHaveLength(1);
		// Only while voting is open.
		expect(() => closeVotingNow(db, official, mId, round.id, 'otra vez', '2026-05-15')).toThrow('phase.votingNotOpen');
	});
});
