import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, persons, rounds, scoringCriteria, users, zones } from '../db/schema/index';
import { DEFAULT_RULES } from '../../domain/round-rules';
import { createRoundFromStep, parseMatrixForm, roundDetail, saveRoundStep, storedRoundValues } from './index';
import type { Actor } from '../platform/policy';

process.env.MINKA_SECRET = 'test';
let db: Db;
let mId: number;
let zoneIds: number[];
const official: Actor = { userId: 1, personId: 1, municipalityId: 0, roles: new Set(['official']), verified: true };

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-steps-')), 't.db'));
	writeTx(db, (tx) => {
		mId = tx
			.insert(municipalities)
			.values({
				slug: 's',
				ubigeo: '080195',
				name: 'S',
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
		const person = tx.insert(persons).values({ municipalityId: mId, fullName: 'P', createdAt: 1 }).returning().get();
		official.userId = tx
			.insert(users)
			.values({
				municipalityId: mId,
				personId: person.id,
				passwordHash: 'x',
				privacyConsentAt: 1,
				privacyNoticeVersion: '1',
				createdAt: 1
			})
			.returning()
			.get().id;
	});
	official.municipalityId = mId;
});

const step1 = { fiscalYear: '2027', titleEs: 'PP 2027', budget: '1 000 000', ordinanceNumber: '004-2026' };
const phaseOf = (id: number) => db.select().from(rounds).where(eq(rounds.id, id)).get()!.phase;

describe('the round form in steps, each kept as a draft', () => {
	it('step 1 creates a draft round with the default rules and matrix; a bad step 1 creates nothing', () => {
		const before = db.select().from(rounds).all().length;
		expect(() => createRoundFromStep(db, official, mId, { ...step1, budget: '0' }, zoneIds, null)).toThrow(
			'rounds.budgetPositive'
		);
		expect(db.select().from(rounds).all()).toHaveLength(before);
		const r = createRoundFromStep(db, official, mId, step1, zoneIds, null);
		expect(phaseOf(r.id)).toBe('preparacion');
		expect(r.rules).toEqual(DEFAULT_RULES);
		expect(roundDetail(db, mId, r.id).timetable).toEqual([]);
		expect(db.select().from(scoringCriteria).where(eq(scoringCriteria.roundId, r.id)).all().length).toBeGreaterThan(1);
	});

	it('the standard template starts the round with its calendar', () => {
		const r = createRoundFromStep(db, official, mId, { ...step1, template: 'standard' }, zoneIds, null);
		const tt = roundDetail(db, mId, r.id).timetable;
		expect(tt).toHaveLength(7);
		expect(tt.find((e) => e.phase === 'votacion')).toMatchObject({ startsOn: '2026-06-01', endsOn: '2026-06-15' });
	});

	it('each later step is checked by the one round validation and saves only its fields', () => {
		const r = createRoundFromStep(db, official, mId, step1, zoneIds, null);
		const save = (step: 'split' | 'timetable' | 'rules' | 'general', posted: Record<string, string>) =>
			saveRoundStep(db, official, mId, r.id, step, posted, zoneIds, null);
		// Split that does not add up: refused with the sum and the ceiling, nothing saved.
		expect(() =>
			save('split', { budgetWide: '100000', [`budgetZone${zoneIds[0]}`]: '100000', [`budgetZone${zoneIds[1]}`]: '' })
		).toThrow('rounds.splitMismatch');
		expect(roundDetail(db, mId, r.id).budgets).toEqual([]);
		save('split', {
			budgetWide: '400000',
			[`budgetZone${zoneIds[0]}`]: '300000',
			[`budgetZone${zoneIds[1]}`]: '300000'
		});
		expect(roundDetail(db, mId, r.id).budgets.map((b) => b.amountCents)).toEqual([400_000_00, 300_000_00, 300_000_00]);
		// Timetable: overlapping phases refused; a valid one saved; the split stays.
		expect(() =>
			save('timetable', {
				start_propuestas: '2026-03-01',
				end_propuestas: '2026-04-30',
				start_votacion: '2026-04-01',
				end_votacion: '2026-04-15'
			})
		).toThrow('timetable.overlap');
		save('timetable', { start_votacion: '2026-06-01', end_votacion: '2026-06-15' });
		const d = roundDetail(db, mId, r.id);
		expect(d.timetable.map((e) => [e.phase, e.startsOn])).toEqual([['votacion', '2026-06-01']]);
		expect(d.budgets).toHaveLength(3);
		// Rules: the shared rules validation refuses MES with scores.
		expect(() => save('rules', { allocation: 'mes', decisionRule: 'scores' })).toThrow('rules.mesNeedsVotes');
		save('rules', { ballotType: 'approval', maxChoices: '5', allocation: 'mes', mesCompletion: 'add1' });
		expect(roundDetail(db, mId, r.id).round.rules).toMatchObject({
			ballot: { type: 'approval', maxChoices: 5 },
			allocation: 'mes',
			mesCompletion: 'add1'
		});
		// Back to step 1: a changed ceiling the split no longer sums to is refused there too.
		expect(() => save('general', { ...step1, budget: '2 000 000' })).toThrow('rounds.splitMismatch');
		expect(storedRoundValues(db, mId, r.id, zoneIds).budget).toBe('1000000');
	});
});

describe('the scoring matrix edited as rows', () => {
	const form = (fields: Record<string, string>) => {
		const f = new FormData();
		for (const [k, v] of Object.entries(fields)) f.set(k, v);
		return f;
	};
	it('reads each band from its row and skips empty rows', () => {
		const c = parseMatrixForm(
			form({
				crit_0_code: 'population',
				crit_0_nameEs: 'Población',
				crit_0_kind: 'points',
				crit_0_measure: 'beneficiaries',
				crit_0_weight: '1,5',
				crit_0_band_0_points: '20',
				crit_0_band_0_labelEs: '1 000 o más',
				crit_0_band_0_labelQu: '1 000 aswantaq',
				crit_0_band_0_min: '1 000',
				crit_0_band_1_points: '',
				crit_0_band_2_points: '5',
				crit_0_band_2_min: '0',
				crit_1_code: 'competence',
				crit_1_nameEs: 'Competencia',
				crit_1_kind: 'gate',
				crit_1_band_0_points: '7'
			})
		);
		expect(c[0]).toEqual({
			code: 'population',
			nameEs: 'Población',
			nameQu: null,
			kind: 'points',
			measure: 'beneficiaries',
			weight: 1.5,
			bands: [
				{ points: 20, labelEs: '1 000 o más', labelQu: '1 000 aswantaq', min: 1000 },
				{ points: 5, labelEs: '5', labelQu: '5', min: 0 }
			]
		});
		// A gate has no bands, whatever its rows say.
		expect(c[1].bands).toEqual([]);
	});
	it('refuses a row with text but no whole points, naming the criterion and the row', () => {
		const bad = form({
			crit_0_code: 'x',
			crit_0_nameEs: 'X',
			crit_0_band_0_points: '10',
			crit_0_band_1_labelEs: 'Alta'
		});
		expect(() => parseMatrixForm(bad)).toThrow('matrix.bandRow');
		try {
			parseMatrixForm(bad);
		} catch (e) {
			expect((e as { params: unknown }).params).toEqual({ code: 'x', row: 2 });
		}
		expect(() =>
			parseMatrixForm(
				form({ crit_0_code: 'x', crit_0_nameEs: 'X', crit_0_band_0_points: '10', crit_0_band_0_min: 'mil' })
			)
		).toThrow('matrix.bandRow');
	});
});
