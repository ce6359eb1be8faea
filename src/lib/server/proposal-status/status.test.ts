import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, persons, proposals, users } from '../db/schema/index';
import { DEFAULT_RULES } from '../../domain/round-rules';
import { changePhase, createRound } from '../rounds';
import { evaluateProposal, submitProposal } from '../proposals';
import type { Actor } from '../platform/policy';
import { recordOutcome, recordVerdict } from './index';

process.env.MINKA_SECRET = 'test';
let db: Db;
let mId: number;
const official: Actor = { userId: 1, personId: 1, municipalityId: 0, roles: new Set(['official']), verified: true };
const technical: Actor = { userId: 2, personId: 2, municipalityId: 0, roles: new Set(['technical']), verified: true };
const resident: Actor = { userId: 3, personId: 3, municipalityId: 0, roles: new Set(), verified: true };

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	writeTx(db, (tx) => {
		mId = tx
			.insert(municipalities)
			.values({
				slug: 'x',
				ubigeo: '080105',
				name: 'X',
				kind: 'distrital',
				department: 'C',
				province: 'C',
				createdAt: 1
			})
			.returning()
			.get().id;
		for (const n of [1, 2, 3]) {
			tx.insert(persons)
				.values({ municipalityId: mId, fullName: `P${n}`, createdAt: 1 })
				.run();
			tx.insert(users)
				.values({
					municipalityId: mId,
					personId: n,
					passwordHash: 'x',
					privacyConsentAt: 1,
					privacyNoticeVersion: '1',
					createdAt: 1
				})
				.run();
		}
	});
	for (const a of [official, technical, resident]) a.municipalityId = mId;
});

const statusOf = (id: number) => db.select().from(proposals).where(eq(proposals.id, id)).get()!.status;
const verdict = (v: 'feasible' | 'not_feasible' | 'under_evaluation') => ({
	verdict: v,
	reason: v === 'not_feasible' ? ('duplicate' as const) : null,
	reasonText: null,
	adjustedCostCents: null,
	investmentCui: null,
	scores: new Map<number, number>()
});

function roundWithProposals(n: number) {
	const r = createRound(db, official, mId, {
		fiscalYear: 2027,
		titleEs: 'PP',
		titleQu: null,
		descriptionEs: null,
		descriptionQu: null,
		ordinanceNumber: '001-2026-MDX',
		ordinanceDate: '2026-01-15',
		budgetCents: 1_000_000_00,
		budgets: [],
		timetable: [],
		rules: DEFAULT_RULES
	});
	changePhase(db, official, mId, r.id, 'propuestas');
	const ids = Array.from(
		{ length: n },
		(_, i) =>
			submitProposal(
				db,
				resident,
				mId,
				r.id,
				{
					originalLocale: 'es',
					title: `Obra ${i}`,
					description: 'Una obra',
					category: 'other',
					zoneId: null,
					estimatedCostCents: 10_000_00,
					beneficiaries: 10,
					latitude: null,
					longitude: null
				},
				[]
			).id
	);
	return { roundId: r.id, ids };
}

describe('proposal status, one writer', () => {
	it('moves with the round: evaluation starts, intake reopens, the vote opens', () => {
		const { roundId, ids } = roundWithProposals(3);
		// A verdict given during intake is kept through the phase changes.
		evaluateProposal(db, technical, mId, roundId, ids[0], verdict('feasible'));
		changePhase(db, official, mId, roundId, 'evaluacion');
		expect(ids.map(statusOf)).toEqual(['feasible', 'under_evaluation', 'under_evaluation']);
		// The team itself marks one "under evaluation": going back to intake keeps that mark, frees the other.
		evaluateProposal(db, technical, mId, roundId, ids[1], verdict('under_evaluation'));
		changePhase(db, official, mId, roundId, 'propuestas');
		expect(ids.map(statusOf)).toEqual(['feasible', 'under_evaluation', 'submitted']);
		changePhase(db, official, mId, roundId, 'evaluacion');
		expect(() => changePhase(db, official, mId, roundId, 'votacion')).toThrow('phase.pendingEvaluation');
		evaluateProposal(db, technical, mId, roundId, ids[1], verdict('not_feasible'));
		evaluateProposal(db, technical, mId, roundId, ids[2], verdict('feasible'));
		changePhase(db, official, mId, roundId, 'votacion');
		expect(ids.map(statusOf)).toEqual(['on_ballot', 'not_feasible', 'on_ballot']);
	});

	it('refuses a move outside the table and leaves the status as it was', () => {
		const { roundId, ids } = roundWithProposals(2);
		const p = () => db.select().from(proposals).where(eq(proposals.id, ids[0])).get()!;
		// Still submitted: no result can make it selected, whatever a snapshot says.
		expect(() => writeTx(db, (tx) => recordOutcome(tx, ids[0], 'selected'))).toThrow('proposals.statusMove');
		expect(p().status).toBe('submitted');
		changePhase(db, official, mId, roundId, 'evaluacion');
		evaluateProposal(db, technical, mId, roundId, ids[0], verdict('feasible'));
		evaluateProposal(db, technical, mId, roundId, ids[1], verdict('feasible'));
		changePhase(db, official, mId, roundId, 'votacion');
		// On the ballot: a verdict can no longer move it.
		expect(() => writeTx(db, (tx) => recordVerdict(tx, p(), 'not_feasible', {}))).toThrow('proposals.statusMove');
		expect(p().status).toBe('on_ballot');
		writeTx(db, (tx) => recordOutcome(tx, ids[0], 'reserve'));
		expect(p().status).toBe('reserve');
	});
});
