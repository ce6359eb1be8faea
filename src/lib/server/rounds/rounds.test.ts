import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, zones, persons, users } from '../db/schema/index';
import { DEFAULT_RULES } from '../../domain/round-rules';
import { changePhase, cloneRound, createRound, roundDetail, updateRound, type RoundInput } from './rounds';
import { submitProposal, listProposals } from '../proposals';
import { evaluateProposal, enterScores, scoreRanking } from '../proposals';
import { registerAgent, publicAgentRegister } from '../agents';
import { auditEventsOfType } from '../platform/audit';
import type { Actor } from '../platform/policy';

process.env.MINKA_SECRET = 'test';
let db: Db;
let mId: number;
let zoneIds: number[];
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
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 1
			})
			.returning()
			.get().id;
		zoneIds = ['A', 'B'].map(
			(c) => tx.insert(zones).values({ municipalityId: mId, code: c, name: c, createdAt: 1 }).returning().get().id
		);
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

const input = (): RoundInput => ({
	fiscalYear: 2027,
	titleEs: 'PP 2027',
	titleQu: null,
	descriptionEs: null,
	descriptionQu: null,
	ordinanceNumber: '001-2026-MDW',
	ordinanceDate: '2026-01-15',
	budgetCents: 1_000_000_00,
	budgets: [
		{ zoneId: null, amountCents: 400_000_00 },
		{ zoneId: zoneIds[0], amountCents: 300_000_00 },
		{ zoneId: zoneIds[1], amountCents: 300_000_00 }
	],
	timetable: [{ phase: 'votacion', startsOn: '2026-06-01', endsOn: '2026-06-15' }],
	rules: DEFAULT_RULES
});

const proposal = (over: Record<string, unknown> = {}) => ({
	originalLocale: 'es' as const,
	title: 'Agua',
	description: 'Agua potable',
	category: 'water_sanitation' as const,
	zoneId: zoneIds[0],
	estimatedCostCents: 100_000_00,
	beneficiaries: 300,
	latitude: null,
	longitude: null,
	...over
});

describe('rounds, proposals, evaluation', () => {
	it('runs a round from preparation to voting with guards, freezing the rules', () => {
		expect(() => createRound(db, resident, mId, input())).toThrow('forbidden');
		const r = createRound(db, official, mId, input());
		expect(roundDetail(db, mId, r.id).criteria.length).toBe(6);
		expect(() => submitProposal(db, resident, mId, r.id, proposal(), [])).toThrow('proposals.intakeClosed');
		changePhase(db, official, mId, r.id, 'propuestas');
		expect(() => submitProposal(db, resident, mId, r.id, proposal({ estimatedCostCents: 300_000_01 }), [])).toThrow(
			'proposals.costAboveCeiling'
		);
		const p1 = submitProposal(db, resident, mId, r.id, proposal(), []);
		const p2 = submitProposal(
			db,
			resident,
			mId,
			r.id,
			proposal({ title: 'Pista', zoneId: null, originalLocale: 'qu' }),
			[]
		);
		expect(p2.seq).toBe(2);
		expect(listProposals(db, mId, r.id, { q: 'pist' }).total).toBe(1);
		expect(listProposals(db, mId, r.id, { zone: 'wide' }).items.map((i) => i.id)).toEqual([p2.id]);
		changePhase(db, official, mId, r.id, 'evaluacion');
		expect(() => changePhase(db, official, mId, r.id, 'votacion')).toThrow('phase.pendingEvaluation');
		expect(() =>
			evaluateProposal(db, official, mId, r.id, p1.id, {
				verdict: 'feasible',
				reason: null,
				reasonText: null,
				adjustedCostCents: null,
				investmentCui: null,
				scores: new Map()
			})
		).toThrow('forbidden');
		evaluateProposal(db, technical, mId, r.id, p1.id, {
			verdict: 'feasible',
			reason: null,
			reasonText: null,
			adjustedCostCents: 90_000_00,
			investmentCui: '2512345',
			scores: new Map()
		});
		evaluateProposal(db, technical, mId, r.id, p2.id, {
			verdict: 'not_feasible',
			reason: 'duplicate',
			reasonText: null,
			adjustedCostCents: null,
			investmentCui: null,
			scores: new Map()
		});
		const agent = registerAgent(
			db,
			official,
			mId,
			r.id,
			{
				fullName: 'Rosa Quispe',
				dni: '12345678',
				organisation: 'Vaso de Leche',
				hasVote: true,
				gender: 'f',
				language: 'qu'
			},
			null
		);
		expect(publicAgentRegister(db, mId, r.id)[0]).not.toHaveProperty('dni');
		const crit = roundDetail(db, mId, r.id).criteria;
		const form = new FormData();
		for (const c of crit) form.set(`score_${c.id}`, String(c.kind === 'gate' ? 1 : c.bands[0].points));
		enterScores(db, official, mId, r.id, p1.id, String(agent.id), form);
		expect(scoreRanking(db, mId, r.id).ranked[0]).toMatchObject({ proposalId: p1.id, rank: 1, mean: 100 });
		changePhase(db, official, mId, r.id, 'votacion');
		const after = roundDetail(db, mId, r.id).round;
		expect(after.rulesFrozenAt).not.toBeNull();
		expect(() => updateRound(db, official, mId, r.id, { ...input(), rules: { ...DEFAULT_RULES, minAge: 18 } })).toThrow(
			'rounds.rulesFrozen'
		);
		expect(() => changePhase(db, official, mId, r.id, 'resultados', '2026-06-15')).toThrow('phase.votingOpen');
		expect(auditEventsOfType(db, mId, 'round.phaseChanged').length).toBe(3);
		expect(listProposals(db, mId, r.id, { status: 'on_ballot' }).total).toBe(1);
		const clone = cloneRound(db, official, mId, r.id, 2028);
		const cd = roundDetail(db, mId, clone.id);
		expect(cd.budgets.length).toBe(3);
		expect(cd.timetable[0]).toMatchObject({ startsOn: '2027-06-01', endsOn: '2027-06-15' });
		expect(cd.round.phase).toBe('preparacion');
	});
});

describe('demo data', () => {
	it('seeds a voting round with zone budgets, proposals in both languages and a ranking', async () => {
		const { seedRoundsDemo } = await import('../demo/rounds');
		const r = seedRoundsDemo(db, mId, { fiscalYear: 2030 });
		expect(seedRoundsDemo(db, mId, { fiscalYear: 2030 }).roundId).toBe(r.roundId);
		const d = roundDetail(db, mId, r.roundId);
		expect(d.round.phase).toBe('votacion');
		expect(d.budgets.reduce((s, b) => s + b.amountCents, 0)).toBe(d.round.budgetCents);
		expect(r.proposalIds.length).toBeGreaterThanOrEqual(12);
		expect(listProposals(db, mId, r.roundId, { status: 'on_ballot' }).total).toBeGreaterThan(5);
		expect(scoreRanking(db, mId, r.roundId).ranked[0].rank).toBe(1);
	});
});
