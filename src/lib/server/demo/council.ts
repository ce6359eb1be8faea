import { and, eq } from 'drizzle-orm';
import { writeTx, type Db } from '../db/client';
import { councilAgreements, councilAttendance, councilMembers, councilSessions, persons } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import {
	agreementCode,
	nextAgreementNumber,
	secondCallTime,
	type AttendanceStatus,
	type CouncilRole
} from '../../domain/council';
import { getCouncilSettings } from '../council';
import { limaToday } from '../../domain/clock';

/**
 * Demo CCL for a district: the mayor, five regidores, two mayors of centros poblados and four civil-society
 * representatives (40 % of 8 = 3.2 → 4), two ordinary sessions this year with attendance and agreements.
 * Demo rows are written directly (no logged-in actor); each act is still recorded in the audit chain.
 */
export function seedCouncilDemo(db: Db, municipalityId: number): void {
	const year = Number(limaToday().slice(0, 4));
	const termStart = `${year - 1}-01-01`;
	const termEnd = `${year + 2}-12-31`;
	const csStart = `${year - 1}-03-01`;
	const csEnd = `${year + 1}-02-28`;
	const roll: [string, CouncilRole, string | null, 'f' | 'm'][] = [
		['Julio César Quispe Huamán', 'alcalde', null, 'm'],
		['Rosa Elena Mamani Condori', 'regidor', null, 'f'],
		['Wilber Ccahuana Puma', 'regidor', null, 'm'],
		['Yeny Huillca Sullca', 'regidor', null, 'f'],
		['Edwin Choque Layme', 'regidor', null, 'm'],
		['Marleni Apaza Turpo', 'regidor', null, 'f'],
		['Fortunato Huarancca Quispe', 'alcalde_centro_poblado', 'Centro poblado de Huayllarcocha', 'm'],
		['Nilda Cusihuaman Ttito', 'alcalde_centro_poblado', 'Centro poblado de Quillahuata', 'f'],
		['Sabina Condori Chura', 'sociedad_civil', 'Federación de Clubes de Madres', 'f'],
		['Teófilo Yupanqui Ccorimanya', 'sociedad_civil', 'Comunidad campesina de Ch’usicancha', 'm'],
		['Lourdes Pacheco Villafuerte', 'sociedad_civil', 'Asociación de comerciantes del mercado', 'f'],
		['Ñaupa Ticona Mendoza', 'sociedad_civil', 'Junta vecinal del sector Norte', 'm']
	];
	const settings = getCouncilSettings(db, municipalityId);
	writeTx(db, (tx) => {
		const now = Date.now();
		const ids: number[] = [];
		roll.forEach(([fullName, role, organisation, gender], i) => {
			const person = tx.insert(persons).values({ municipalityId, fullName, gender, createdAt: now }).returning().get();
			const cs = role === 'sociedad_civil';
			const m = tx
				.insert(councilMembers)
				.values({
					municipalityId,
					personId: person.id,
					role,
					organisation,
					termStart: cs ? csStart : termStart,
					termEnd: cs ? csEnd : termEnd,
					position: i,
					createdAt: now
				})
				.returning()
				.get();
			ids.push(m.id);
			appendAudit(tx, {
				municipalityId,
				actorUserId: null,
				type: 'council.memberAdded',
				payload: { memberId: m.id, fullName, role, organisation, demo: true },
				personal: true
			});
		});

		const sessions: {
			date: string;
			first: string;
			place: string;
			agenda: string[];
			statuses: [AttendanceStatus, string | null][];
			agreements: { text: string; vote?: [number, number, number] }[];
		}[] = [
			{
				date: `${year}-02-14`,
				first: '09:00',
				place: 'Salón consistorial de la municipalidad',
				agenda: [
					'Lectura del acta anterior',
					'Informe de rendición de cuentas del año anterior',
					'Propuesta de ordenanza del presupuesto participativo'
				],
				statuses: [
					['present', null],
					['present', null],
					['present', null],
					['late', '09:20'],
					['present', null],
					['excused', null],
					['present', null],
					['absent', null],
					['present', null],
					['present', null],
					['late', '09:45'],
					['present', null]
				],
				agreements: [
					{
						text: 'Aprobar el informe de rendición de cuentas del año anterior y publicarlo en el portal de la municipalidad.'
					},
					{
						text: 'Proponer al Concejo Municipal la ordenanza que reglamenta el proceso del presupuesto participativo, con el cronograma presentado.',
						vote: [8, 1, 1]
					}
				]
			},
			{
				date: `${year}-06-20`,
				first: '15:00',
				place: 'Local comunal del centro poblado de Huayllarcocha',
				agenda: ['Avance de la ejecución de proyectos priorizados', 'Conformación del Comité de Vigilancia'],
				statuses: [
					['absent', null],
					['present', null],
					['late', '15:25'],
					['present', null],
					['excused', null],
					['present', null],
					['present', null],
					['present', null],
					['absent', null],
					['present', null],
					['present', null],
					['absent', null]
				],
				agreements: [
					{
						text: 'Reconocer a los miembros del Comité de Vigilancia elegidos en el taller de priorización.',
						vote: [4, 4, 0]
					}
				]
			}
		];
		let number =
			nextAgreementNumber(
				tx
					.select({ n: councilAgreements.number })
					.from(councilAgreements)
					.where(and(eq(councilAgreements.municipalityId, municipalityId), eq(councilAgreements.year, year)))
					.all()
					.map((r) => r.n)
			) - 1;
		for (const s of sessions) {
			const row = tx
				.insert(councilSessions)
				.values({
					municipalityId,
					kind: 'ordinary',
					date: s.date,
					place: s.place,
					noticeSentOn: s.date.slice(0, 8) + '01',
					noticeChannel: 'letter',
					agenda: s.agenda,
					firstCallAt: s.first,
					secondCallAt: secondCallTime(s.first, settings),
					attendanceRecordedAt: now,
					createdAt: now
				})
				.returning()
				.get();
			s.statuses.forEach(([status, arrivedAt], i) =>
				tx.insert(councilAttendance).values({ sessionId: row.id, memberId: ids[i], status, arrivedAt }).run()
			);
			appendAudit(tx, {
				municipalityId,
				actorUserId: null,
				type: 'council.sessionCreated',
				payload: { sessionId: row.id, date: s.date, demo: true }
			});
			for (const a of s.agreements) {
				number += 1;
				const vote = a.vote;
				tx.insert(councilAgreements)
					.values({
						municipalityId,
						sessionId: row.id,
						year,
						number,
						code: agreementCode(settings.agreementFormat, year, number),
						text: a.text,
						decision: vote ? 'vote' : 'consensus',
						votesFor: vote?.[0] ?? null,
						votesAgainst: vote?.[1] ?? null,
						votesAbstain: vote?.[2] ?? null,
						castingVoteUsed: Boolean(vote && vote[0] === vote[1]),
						castingVote: vote && vote[0] === vote[1] ? 'for' : null,
						outcome: 'approved',
						createdAt: now
					})
					.run();
			}
		}
	});
}
