import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, participantAgents, persons, rounds, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { auditEventsOfType } from '../platform/audit';
import { DEFAULT_RULES } from '../../domain/round-rules';
import type { Actor } from '../platform/policy';
import {
	agentCheckinCode,
	checkInAgent,
	checkInWalkIn,
	checkinLookup,
	createWorkshop,
	parseCheckinCode,
	removeCheckIn,
	workshopDetail
} from './workshops';

process.env.MINKA_SECRET = 'test';

let db: Db;
let mId: number;
let roundId: number;
let otherRoundId: number;
let official: Actor;
let secretary: Actor;
const agents: number[] = [];
let zoneId: number;

beforeEach(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
	agents.length = 0;
	writeTx(db, (tx) => {
		const now = Date.now();
		mId = tx
			.insert(municipalities)
			.values({
				slug: 'poroy',
				ubigeo: '080103',
				name: 'Poroy',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: now
			})
			.returning()
			.get().id;
		zoneId = tx
			.insert(zones)
			.values({ municipalityId: mId, code: 'Z1', name: 'Sector Norte', createdAt: now })
			.returning()
			.get().id;
		const { person, user } = createAccount(tx, mId, {
			fullName: 'Funcionaria',
			dni: '33333333',
			birthDate: '1980-01-01',
			email: null,
			passwordHash: 'x',
			locale: 'es'
		});
		official = {
			userId: user.id,
			personId: person.id,
			municipalityId: mId,
			roles: new Set(['official']),
			verified: true
		};
		secretary = { ...official, roles: new Set(['council_secretary']) };
		const round = (fiscalYear: number) =>
			tx
				.insert(rounds)
				.values({
					municipalityId: mId,
					fiscalYear,
					titleEs: `PP ${fiscalYear}`,
					budgetCents: 100_000_00,
					rules: DEFAULT_RULES,
					createdAt: now,
					updatedAt: now
				})
				.returning()
				.get().id;
		roundId = round(2027);
		otherRoundId = round(2026);
		const people: [string, 'f' | 'm', 'qu' | 'es', boolean, number][] = [
			['Agente Uno', 'f', 'qu', true, roundId],
			['Agente Dos', 'm', 'es', false, roundId],
			['Agente Tres', 'f', 'qu', true, roundId],
			['Agente Otro', 'm', 'es', true, otherRoundId]
		];
		for (const [fullName, gender, language, hasVote, r] of people) {
			const p = tx.insert(persons).values({ municipalityId: mId, fullName, zoneId, createdAt: now }).returning().get();
			agents.push(
				tx
					.insert(participantAgents)
					.values({
						municipalityId: mId,
						roundId: r,
						personId: p.id,
						organisation: 'Junta vecinal',
						hasVote,
						gender,
						language,
						registeredAt: now
					})
					.returning()
					.get().id
			);
		}
	});
});

const newWorkshop = () =>
	createWorkshop(db, official, mId, {
		roundId: String(roundId),
		kind: 'prioritisation',
		title: 'Taller de priorización',
		date: '2026-05-10',
		startsAt: '09:00',
		place: 'Local comunal'
	});

describe('workshops', () => {
	it('only staff manage workshops; input is checked', () => {
		expect(() =>
			createWorkshop(db, secretary, mId, {
				roundId: String(roundId),
				kind: 'training',
				title: 'x',
				date: '2026-05-10',
				startsAt: '09:00',
				place: 'y'
			})
		).toThrow(/forbidden/);
		expect(() =>
			createWorkshop(db, official, mId, {
				roundId: '999',
				kind: 'training',
				title: 'x',
				date: '2026-05-10',
				startsAt: '09:00',
				place: 'y'
			})
		).toThrow(/workshops.round/);
		expect(() =>
			createWorkshop(db, official, mId, {
				roundId: String(roundId),
				kind: 'party',
				title: 'x',
				date: '2026-05-10',
				startsAt: '09:00',
				place: 'y'
			})
		).toThrow(/workshops.kind/);
		expect(() =>
			createWorkshop(db, official, mId, {
				roundId: String(roundId),
				kind: 'training',
				title: 'x',
				date: '2026-05-10',
				startsAt: '9h',
				place: 'y'
			})
		).toThrow(/workshops.time/);
	});

	it('checks in agents from the list and by QR, walk-ins by hand, and counts participation', () => {
		const w = newWorkshop();
		expect(checkInAgent(db, official, mId, w.id, agents[0]).already).toBe(false);
		expect(checkInAgent(db, official, mId, w.id, agents[0]).already).toBe(true); // harmless twice
		expect(() => checkInAgent(db, official, mId, w.id, agents[3])).toThrow(/otherRound/);
		expect(() => checkInAgent(db, official, mId, w.id, 424242)).toThrow(/notAgent/);

		const code = agentCheckinCode(agents[1]);
		expect(parseCheckinCode(code)).toBe(agents[1]);
		expect(parseCheckinCode(`${agents[2]}-${code.split('-')[1]}`)).toBeNull(); // a code cannot be re-pointed
		expect(() => checkinLookup(db, official, mId, 'nonsense', '2026-05-10')).toThrow(/badCode/);
		const look = checkinLookup(db, official, mId, code, '2026-05-10');
		expect(look.agent.fullName).toBe('Agente Dos');
		expect(look.today.map((x) => x.id)).toEqual([w.id]);
		checkInAgent(db, official, mId, w.id, look.agent.id, 'qr');

		checkInWalkIn(db, official, mId, w.id, {
			fullName: 'Vecina Sin Registro',
			gender: 'f',
			language: 'qu',
			zoneId: String(zoneId)
		});
		checkInWalkIn(db, official, mId, w.id, { fullName: 'Vecino Anónimo', gender: '', language: '', zoneId: '' });
		expect(() =>
			checkInWalkIn(db, official, mId, w.id, { fullName: '', gender: '', language: '', zoneId: '' })
		).toThrow(/required/);

		const d = workshopDetail(db, mId, w.id);
		expect(d.agents.filter((a) => a.attendance).map((a) => [a.fullName, a.attendance!.method])).toEqual([
			['Agente Dos', 'qr'],
			['Agente Uno', 'list']
		]);
		expect(d.stats).toMatchObject({
			total: 4,
			agents: 2,
			agentsWithVote: 1,
			others: 2,
			agentTurnout: { came: 2, registered: 3 }
		});
		expect(d.stats.byGender).toEqual([
			{ key: 'f', count: 2 },
			{ key: 'm', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
		expect(d.stats.byLanguage).toEqual([
			{ key: 'qu', count: 2 },
			{ key: 'es', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
		expect(d.stats.byZone).toEqual([
			{ key: 'Sector Norte', count: 3 },
			{ key: 'unknown', count: 1 }
		]);

		removeCheckIn(db, official, mId, w.id, d.agents.find((a) => a.fullName === 'Agente Uno')!.attendance!.id);
		expect(workshopDetail(db, mId, w.id).stats.agents).toBe(1);
		expect(auditEventsOfType(db, mId, 'workshop.checkedIn')).toHaveLength(4);
		expect(auditEventsOfType(db, mId, 'workshop.checkInRemoved')).toHaveLength(1);
	});

	it('renders the attendance sheet PDF', async () => {
		const { attendanceSheetPdf } = await import('./workshops-pdf');
		const { loadTranslator } = await import('../../i18n/index');
		const { extractText } = await import('unpdf');
		const w = newWorkshop();
		checkInAgent(db, official, mId, w.id, agents[0]);
		checkInWalkIn(db, official, mId, w.id, { fullName: 'Ñusta Huamán Ccapa', gender: 'f', language: 'qu', zoneId: '' });
		const pdf = await attendanceSheetPdf(db, mId, 'Municipalidad Distrital de Poroy', w.id, await loadTranslator('es'));
		const text = (await extractText(new Uint8Array(pdf), { mergePages: true })).text.replace(/\s+/g, ' ');
		expect(text).toContain('HOJA DE ASISTENCIA AL TALLER');
		expect(text).toContain('Agente Uno');
		expect(text).toContain('Ñusta Huamán Ccapa');
		expect(text).toContain('Asistieron 2 personas: 1 de 3 agentes participantes inscritos y 1 vecinos más.');
	});
});
