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
import { parseProposalForm, submitProposal, translateProposal, updateProposal, type ProposalInput } from './index';

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

const proposalForm = (fields: Record<string, string>) => {
	const f = new FormData();
	const all = {
		title: 'Losa deportiva',
		description: 'Una losa para el barrio',
		category: 'other',
		zoneId: 'wide',
		estimatedCost: '10000',
		beneficiaries: '120',
		...fields
	};
	for (const [k, v] of Object.entries(all)) f.set(k, v);
	return f;
};

describe('proposal texts are public (security review L5)', () => {
	it('refuses a DNI, a phone number or an e-mail in the title or description, saying why', () => {
		const refused = (fields: Record<string, string>) => {
			try {
				parseProposalForm(proposalForm(fields));
			} catch (e) {
				return `${(e as { code: string }).code} ${(e as { params: { field: string } }).params.field}`;
			}
			return 'accepted';
		};
		expect(refused({ description: 'Mi DNI es 70003800, llámenme' })).toBe(
			'proposals.personal.dni proposals.description'
		);
		expect(refused({ description: 'Celular 987 654 321' })).toBe('proposals.personal.phone proposals.description');
		expect(refused({ title: 'Escribir a juan@example.pe' })).toBe('proposals.personal.email proposals.title');
		expect(refused({ description: 'Cuesta S/ 1 234 567,50 y beneficia a 1 200 familias' })).toBe('accepted');
	});

	it('refuses control and bidi characters; the description keeps its line breaks, the title may not have any', () => {
		const code = (fields: Record<string, string>) => {
			try {
				return parseProposalForm(proposalForm(fields)).description;
			} catch (e) {
				return (e as { code: string }).code;
			}
		};
		expect(code({ title: 'Losa\u0000' })).toBe('text.control');
		expect(code({ title: 'Losa\r\ndeportiva' })).toBe('text.control');
		expect(code({ description: 'evil\u202etxt.exe' })).toBe('text.bidi');
		expect(code({ description: 'Primero:\r\n- agua\r\n- desagüe' })).toBe('Primero:\n- agua\n- desagüe');
	});

	it('reads beneficiaries as a whole number: 1.5 is refused, not read as 15; thousands separators are fine', () => {
		const people = (b: string) => {
			try {
				return parseProposalForm(proposalForm({ beneficiaries: b })).beneficiaries;
			} catch (e) {
				return (e as { code: string }).code;
			}
		};
		expect(people('1.5')).toBe('proposals.beneficiaries');
		expect(people('1,50')).toBe('proposals.beneficiaries');
		expect(people('1.500')).toBe(1500);
		expect(people('1 500')).toBe(1500);
		expect(people('12,345')).toBe(12345);
		expect(people('120')).toBe(120);
		expect(people('0')).toBe('proposals.beneficiaries');
	});

	it('the reviewed translation is held to the same rule', () => {
		const p = submitProposal(db, author, mId, roundId, input('Canal de riego'), []);
		const f = new FormData();
		f.set('translatedTitle', 'Yaku ñan');
		f.set('translatedDescription', 'Waqyaway 987654321 yupayman');
		expect(() => translateProposal(db, official, mId, roundId, p.id, f)).toThrowError('proposals.personal.phone');
	});
});
