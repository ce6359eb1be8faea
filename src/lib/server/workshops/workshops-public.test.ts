import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx } from '../db/client';
import { municipalities, participantAgents, persons, rounds, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { DEFAULT_RULES } from '../../domain/round-rules';
import type { Actor } from '../platform/policy';
import { checkInAgent, checkInWalkIn, createWorkshop } from './workshops';
import { publicRoundWorkshops } from './workshops-public';

process.env.MINKA_SECRET = 'test';

describe('public workshop figures', () => {
	it('lists the round’s workshops in date order with figures; agents by name and organisation, other residents only as counts', () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-')), 't.db'));
		const now = Date.now();
		const s = writeTx(db, (tx) => {
			const mId = tx
				.insert(municipalities)
				.values({
					slug: 'ccorca',
					ubigeo: '080105',
					name: 'Ccorca',
					kind: 'distrital',
					department: 'Cusco',
					province: 'Cusco',
					createdAt: now
				})
				.returning()
				.get().id;
			const zoneId = tx
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
			const round = (y: number) =>
				tx
					.insert(rounds)
					.values({
						municipalityId: mId,
						fiscalYear: y,
						titleEs: `PP ${y}`,
						budgetCents: 1,
						rules: DEFAULT_RULES,
						createdAt: now,
						updatedAt: now
					})
					.returning()
					.get().id;
			const roundId = round(2027);
			const otherRound = round(2026);
			const agent = (fullName: string, r: number, hasVote: boolean) => {
				const p = tx
					.insert(persons)
					.values({ municipalityId: mId, fullName, zoneId, createdAt: now })
					.returning()
					.get();
				return tx
					.insert(participantAgents)
					.values({
						municipalityId: mId,
						roundId: r,
						personId: p.id,
						organisation: 'Comunidad campesina Ccorca Ayllu',
						hasVote,
						gender: 'f',
						language: 'qu',
						registeredAt: now
					})
					.returning()
					.get().id;
			};
			const official: Actor = {
				userId: user.id,
				personId: person.id,
				municipalityId: mId,
				roles: new Set(['official']),
				verified: true
			};
			return {
				mId,
				zoneId,
				roundId,
				otherRound,
				official,
				a1: agent('Marcelina Huillca', roundId, true),
				a2: agent('Teófilo Ccama', roundId, false)
			};
		});
		const w2 = createWorkshop(db, s.official, s.mId, {
			roundId: String(s.roundId),
			kind: 'prioritisation',
			title: 'Priorización',
			date: '2026-06-02',
			startsAt: '09:00',
			place: 'Local comunal'
		});
		const w1 = createWorkshop(db, s.official, s.mId, {
			roundId: String(s.roundId),
			kind: 'training',
			title: 'Capacitación',
			date: '2026-05-10',
			startsAt: '15:30',
			place: 'Colegio'
		});
		createWorkshop(db, s.official, s.mId, {
			roundId: String(s.otherRound),
			kind: 'training',
			title: 'Otro proceso',
			date: '2025-05-10',
			startsAt: '10:00',
			place: 'X'
		});
		checkInAgent(db, s.official, s.mId, w2.id, s.a1);
		checkInWalkIn(db, s.official, s.mId, w2.id, {
			fullName: 'Vecina Sin Cargo Público',
			gender: 'f',
			language: 'es',
			zoneId: String(s.zoneId)
		});
		checkInWalkIn(db, s.official, s.mId, w2.id, { fullName: 'Vecino Anónimo', gender: '', language: '', zoneId: '' });

		const pub = publicRoundWorkshops(db, s.mId, s.roundId);
		expect(pub.workshops.map((w) => w.title)).toEqual(['Capacitación', 'Priorización']);
		expect(pub.totalAttendances).toBe(3);
		const p = pub.workshops[1];
		expect(p.stats).toMatchObject({ total: 3, agents: 1, others: 2, agentTurnout: { came: 1, registered: 2 } });
		expect(p.stats.byGender).toEqual([
			{ key: 'f', count: 2 },
			{ key: 'unknown', count: 1 }
		]);
		expect(p.stats.byLanguage).toEqual([
			{ key: 'qu', count: 1 },
			{ key: 'es', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
		expect(p.agentsPresent).toEqual([
			{ fullName: 'Marcelina Huillca', organisation: 'Comunidad campesina Ccorca Ayllu', hasVote: true }
		]);
		expect(pub.workshops[0].stats.total).toBe(0);
		const json = JSON.stringify(pub);
		expect(json).not.toContain('Vecina Sin Cargo Público');
		expect(json).not.toContain('Vecino Anónimo');
		expect(json).not.toContain('Teófilo Ccama'); // registered but absent: not listed as present
		expect(w1.id).toBeGreaterThan(0);
		expect(() => publicRoundWorkshops(db, s.mId + 1, s.roundId)).toThrowError('notFound');
	});
});
