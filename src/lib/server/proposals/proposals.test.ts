/** Who may edit a proposal: its author, or staff for one they filed on someone's behalf; nobody else. */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, persons, proposals, users } from '../db/schema/index';
import { DEFAULT_RULES } from '../../domain/round-rules';
import { changePhase, createRound } from '../rounds';
import type { Actor } from '../platform/policy';
import { submitProposal, updateProposal, type ProposalInput } from './index';

process.env.MINKA_SECRET = 'test';
let db: Db;
let mId: number;
let roundId: number;
const person = (n: number, roles: string[] = [], verified = true): Actor => ({
	userId: n,
	personId: n,
	municipalityId: 0,
	roles: new Set(roles) as Actor['roles'],
	verified
});
const official = person(1, ['official']);
const author = person(2);
const neighbour = person(3);

const input = (title: string): ProposalInput => ({
	originalLocale: 'es',
	title,
	description: 'Una obra para el barrio',
	category: 'other',
	zoneId: null,
	estimatedCostCents: 10_000_00,
	beneficiaries: 10,
	latitude: null,
	longitude: null
});

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
	for (const a of [official, author, neighbour]) a.municipalityId = mId;
	roundId = createRound(db, official, mId, {
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
	}).id;
	changePhase(db, official, mId, roundId, 'propuestas');
});

const titleOf = (id: number) => db.select().from(proposals).where(eq(proposals.id, id)).get()!.title;
const edit = (a: Actor, id: number, title: string) => updateProposal(db, a, mId, roundId, id, input(title), [], []);

describe('editing a proposal', () => {
	it('is the author’s: a neighbour, or staff who did not file it, are refused and change nothing', () => {
		const p = submitProposal(db, author, mId, roundId, input('Losa deportiva'), []);
		expect(() => edit(neighbour, p.id, 'Cambiado por otro')).toThrowError('forbidden');
		expect(() => edit(official, p.id, 'Cambiado por la oficina')).toThrowError('forbidden');
		expect(titleOf(p.id)).toBe('Losa deportiva');
		expect(edit(author, p.id, 'Losa deportiva techada').title).toBe('Losa deportiva techada');
	});
});
