import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { amendments, municipalities, roleGrants, roundPhases, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { computeResults, publishResults } from '../results';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import {
	addMilestone,
	changeStatus,
	correctMilestone,
	correctStatus,
	roundExecution,
	startTracking,
	updateFigures,
	answerObservation,
	fileObservation,
	listObservations,
	setObservationDeadline,
	addCommitteeMember
} from '../execution';
import {
	addAgreement,
	addMember,
	correctAgreement,
	correctAttendance,
	correctMember,
	correctSession,
	createSession,
	issueMinutes,
	minutesScan,
	publicCouncil,
	recordAttendance,
	uploadMinutesScan
} from '../council';
import { roundDetail, updateRound, type RoundInput } from '../rounds';
import { auditEventsOfType } from '../platform/audit';
import { amendmentsOf } from './index';
import { verifyChain } from '../../domain/audit-chain';
import { publicAuditTrail } from '../platform/audit';
import { participantAgents } from '../db/schema/index';
import type { Actor } from '../platform/policy';
import type { AmendmentView } from '../../domain/amendments';
import { sealAgentDni } from '../platform/sealed';
import { minimalPdf } from '../../../../tests/support/pdf';

let db: Db;
let mId: number;
let official: Actor;
let secretary: Actor;
let auditor: Actor;
let seeded: ReturnType<typeof seedVotedRound>;
const roundId = () => seeded.round.id;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-amend-'));
	process.env.DATABASE_URL = join(dir, 't.db');
	db = openDatabase(join(dir, 't.db'));
	const base = writeTx(db, (tx) => {
		const mu = tx
			.insert(municipalities)
			.values({
				slug: 'x',
				ubigeo: '080199',
				name: 'X',
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
		const mk = (name: string, dni: string) =>
			createAccount(tx, mu.id, {
				fullName: name,
				dni,
				birthDate: '1980-01-01',
				email: null,
				passwordHash: 'x',
				locale: 'es'
			});
		return {
			mu,
			z,
			off: mk('Edwin Ccorimanya', '70000137'),
			sec: mk('Ana Secretaria', '70000138'),
			aud: mk('Juana Quispe', '70000140')
		};
	});
	mId = base.mu.id;
	const actor = (a: typeof base.off, roles: string[]): Actor => ({
		userId: a.user.id,
		personId: a.person.id,
		municipalityId: mId,
		roles: new Set(roles as never[]),
		verified: true
	});
	official = actor(base.off, ['official']);
	secretary = actor(base.sec, ['council_secretary']);
	auditor = actor(base.aud, ['auditor']);
	writeTx(db, (tx) => {
		for (const [a, role] of [
			[official, 'official'],
			[secretary, 'council_secretary'],
			[auditor, 'auditor']
		] as const)
			tx.insert(roleGrants).values({ municipalityId: mId, userId: a.userId, role, grantedAt: 0 }).run();
	});
	seeded = seedVotedRound(db, { municipalityId: mId, zoneId: base.z.id, authorPersonId: base.aud.person.id });
	closeVoting(db, roundId());
	const s = computeResults(db, official, mId, roundId());
	publishResults(db, official, mId, roundId(), s.version);
	db.insert(participantAgents)
		.values({
			municipalityId: mId,
			roundId: roundId(),
			personId: base.aud.person.id,
			organisation: 'Junta vecinal Larapa',
			...sealAgentDni('70000140'),
			hasVote: true,
			registeredAt: Date.now()
		})
		.run();
});

/** Each correction: the old value stays visible beside the new one, with the reason, and is in the audit chain. */
function expectAmended(list: AmendmentView[] | undefined, field: string, previous: string | null, current: string) {
	const a = list?.find((x) => x.field === field && x.previous === previous && x.current === current);
	expect(a, `amendment of ${field}: ${previous} → ${current}`).toBeDefined();
	expect(a!.reason.length).toBeGreaterThan(0);
	const event = auditEventsOfType(db, mId, 'amendment.recorded').find((e) => e.seq === a!.auditSeq);
	expect(event).toBeDefined();
	const payload = JSON.parse(event!.payload);
	expect(payload.reason).toBe(a!.reason);
	expect(payload.changes).toContainEqual({ field, previous, current });
	return a!;
}

const project = () => roundExecution(db, mId, roundId()).projects[0];

describe('execution status and progress', () => {
	it('refuses the jump to culminado, and a correction keeps the old status public', () => {
		startTracking(db, official, mId, roundId());
		const id = project().executionId;
		expect(() => changeStatus(db, official, mId, roundId(), id, { to: 'culminado', reason: '', onDate: '' })).toThrow(
			/execution.move/
		);
		expect(project().status).toBe('priorizado');
		changeStatus(db, official, mId, roundId(), id, { to: 'en_pia', reason: '', onDate: '' });
		changeStatus(db, official, mId, roundId(), id, { to: 'en_ejecucion', reason: '', onDate: '' });
		changeStatus(db, official, mId, roundId(), id, { to: 'culminado', reason: '', onDate: '' });
		expect(project().progressPct).toBe(100);
		// A final status can be corrected, with a reason, but never by correcting *into* culminado.
		expect(() => correctStatus(db, official, mId, roundId(), id, { to: 'en_ejecucion', reason: '' })).toThrow(
			/required/
		);
		expect(() => correctStatus(db, official, mId, roundId(), id, { to: 'culminado', reason: 'x' })).toThrow(
			/correctTo/
		);
		correctStatus(db, official, mId, roundId(), id, {
			to: 'en_ejecucion',
			reason: 'La obra no fue recibida: falta la conformidad.'
		});
		expect(project().status).toBe('en_ejecucion');
		expectAmended(project().amendments, 'status', 'culminado', 'en_ejecucion');
	});

	it('refuses lowering published progress without a reason; a correction keeps 100 % visible', () => {
		const id = project().executionId;
		expect(() =>
			updateFigures(db, official, mId, roundId(), id, {
				investmentCui: '',
				budgeted: '',
				executed: '',
				progress: '60',
				onDate: ''
			})
		).toThrow(/progressBackwards/);
		expect(project().progressPct).toBe(100);
		// Moving forward needs no reason and is not a correction.
		updateFigures(db, official, mId, roundId(), id, {
			investmentCui: '',
			budgeted: '',
			executed: '12000',
			progress: '',
			onDate: ''
		});
		expect(project().amendments.filter((a) => a.field === 'executedCents')).toEqual([]);
		updateFigures(db, official, mId, roundId(), id, {
			investmentCui: '',
			budgeted: '',
			executed: '',
			progress: '60',
			onDate: '',
			correctionReason: 'El 100 % se registró por error: la supervisión informa 60 %.'
		});
		expect(project().progressPct).toBe(60);
		expectAmended(project().amendments, 'progressPct', '100', '60');
	});

	it('a lower executed amount or a changed CUI is only a correction, which keeps the old value public', () => {
		const id = project().executionId;
		const figures = (f: { executed?: string; cui?: string; reason?: string }) =>
			updateFigures(db, official, mId, roundId(), id, {
				investmentCui: f.cui ?? '',
				budgeted: '',
				executed: f.executed ?? '',
				progress: '',
				onDate: '',
				correctionReason: f.reason
			});
		figures({ cui: '2512345' });
		const executed = project().executedCents;
		expect(executed).toBe(12_000_00);
		expect(() => figures({ executed: '9000' })).toThrow(/executedBackwards/);
		expect(() => figures({ cui: '2599999' })).toThrow(/cuiPublished/);
		expect(project()).toMatchObject({ executedCents: 12_000_00, investmentCui: '2512345' });
		figures({ executed: '9000', cui: '2599999', reason: 'Se sumó dos veces una valorización; CUI mal copiado.' });
		expect(project()).toMatchObject({ executedCents: 9_000_00, investmentCui: '2599999' });
		expectAmended(project().amendments, 'executedCents', String(12_000_00), String(9_000_00));
		expectAmended(project().amendments, 'investmentCui', '2512345', '2599999');
	});
});

describe('milestones', () => {
	it('a corrected due date keeps the old date public', () => {
		const id = project().executionId;
		addMilestone(
			db,
			official,
			mId,
			roundId(),
			id,
			{ title: 'Expediente aprobado', dueOn: '2026-02-01', doneOn: '', note: '' },
			[]
		);
		const ms = project().milestones[0];
		expect(() =>
			correctMilestone(db, official, mId, roundId(), id, ms.id, {
				title: '',
				dueOn: '2026-12-01',
				doneOn: '',
				reason: ''
			})
		).toThrow(/required/);
		expect(() =>
			correctMilestone(db, official, mId, roundId(), id, ms.id, {
				title: '',
				dueOn: '',
				doneOn: '2026-01-01',
				reason: 'x'
			})
		).toThrow(/milestoneNotDone/);
		correctMilestone(db, official, mId, roundId(), id, ms.id, {
			title: '',
			dueOn: '2026-12-01',
			doneOn: '',
			reason: 'El contrato fija diciembre.'
		});
		const after = project().milestones[0];
		expect(after.dueOn).toBe('2026-12-01');
		expectAmended(after.amendments, 'dueOn', '2026-02-01', '2026-12-01');
	});
});

describe('observations', () => {
	it('a moved deadline and a rewritten answer keep the previous ones public', async () => {
		addCommitteeMember(db, official, mId, roundId(), {
			agentId: String(db.select().from(participantAgents).where(eq(participantAgents.roundId, roundId())).get()!.id),
			termStart: '2026-01-01',
			termEnd: '2027-12-31'
		});
		const o = await fileObservation(
			db,
			auditor,
			mId,
			roundId(),
			{ text: 'No hay cartel de obra.', executionId: '' },
			null
		);
		const before = listObservations(db, mId, roundId())[0];
		expect(() =>
			setObservationDeadline(db, official, mId, roundId(), o.id, { dueOn: '2027-01-30', reason: '' })
		).toThrow(/required/);
		expect(listObservations(db, mId, roundId())[0].dueOn).toBe(before.dueOn);
		setObservationDeadline(db, official, mId, roundId(), o.id, { dueOn: '2027-01-30', reason: 'Feriado largo.' });
		expectAmended(listObservations(db, mId, roundId())[0].amendments, 'dueOn', before.dueOn, '2027-01-30');

		answerObservation(db, official, mId, roundId(), o.id, { answer: 'Se colocará el lunes.' });
		const first = listObservations(db, mId, roundId())[0];
		expect(() => answerObservation(db, official, mId, roundId(), o.id, { answer: 'Ya está colocado.' })).toThrow(
			/required/
		);
		answerObservation(db, official, mId, roundId(), o.id, { answer: 'Ya está colocado.', reason: 'Se colocó el 12.' });
		const after = listObservations(db, mId, roundId())[0];
		expect(after.answer).toBe('Ya está colocado.');
		// The first answer's time still decides whether the answer was late.
		expect(after.answeredAt).toBe(first.answeredAt);
		expectAmended(after.amendments, 'answer', 'Se colocará el lunes.', 'Ya está colocado.');
	});
});

describe('timetable and ordinance after the rules freeze', () => {
	const inputOf = (): RoundInput => {
		const d = roundDetail(db, mId, roundId());
		return {
			fiscalYear: d.round.fiscalYear,
			titleEs: d.round.titleEs,
			titleQu: d.round.titleQu,
			descriptionEs: d.round.descriptionEs,
			descriptionQu: d.round.descriptionQu,
			ordinanceNumber: d.round.ordinanceNumber,
			ordinanceDate: d.round.ordinanceDate,
			budgetCents: d.round.budgetCents,
			budgets: d.budgets.map((b) => ({ zoneId: b.zoneId, amountCents: b.amountCents })),
			timetable: d.timetable.map((t) => ({ phase: t.phase, startsOn: t.startsOn, endsOn: t.endsOn })),
			rules: d.round.rules
		};
	};

	const publicRound = () => amendmentsOf(db, mId, 'round', [roundId()]).get(roundId());

	it('a changed voting date needs a reason and keeps the old date public', () => {
		db.insert(roundPhases)
			.values({ roundId: roundId(), phase: 'votacion', startsOn: '2026-11-01', endsOn: '2026-11-10' })
			.run();
		const base = inputOf();
		const withDates = (endsOn: string): RoundInput => ({
			...base,
			timetable: [
				...base.timetable.filter((t) => t.phase !== 'votacion'),
				{ phase: 'votacion', startsOn: '2026-11-01', endsOn }
			]
		});
		updateRound(db, official, mId, roundId(), {
			...withDates('2026-11-20'),
			amendmentReason: 'Cronograma de la ordenanza.'
		});
		expect(() => updateRound(db, official, mId, roundId(), withDates('2026-11-05'))).toThrow(/required/);
		const ends = () => roundDetail(db, mId, roundId()).timetable.find((t) => t.phase === 'votacion')!.endsOn;
		expect(ends()).toBe('2026-11-20');
		// A title change alone is not a correction of the frozen record and needs no reason.
		updateRound(db, official, mId, roundId(), { ...inputOf(), titleEs: base.titleEs + ' (editado)' });
		updateRound(db, official, mId, roundId(), {
			...withDates('2026-11-05'),
			amendmentReason: 'Se cerró antes por acuerdo del CCL.'
		});
		expect(ends()).toBe('2026-11-05');
		// what the public round page reads (routes/[municipality]/rounds/[roundId]: amendmentsOf 'round')
		expectAmended(publicRound(), 'endsOn_votacion', '2026-11-20', '2026-11-05');
	});

	it('the first voting day, on which age is counted, never moves once voting has opened', () => {
		const base = inputOf();
		const moved: RoundInput = {
			...base,
			timetable: base.timetable.map((t) => (t.phase === 'votacion' ? { ...t, startsOn: '2026-10-25' } : t)),
			amendmentReason: 'Adelantar la votación.'
		};
		expect(() => updateRound(db, official, mId, roundId(), moved)).toThrow(/votingStartFixed/);
		expect(roundDetail(db, mId, roundId()).timetable.find((t) => t.phase === 'votacion')!.startsOn).toBe('2026-11-01');
	});

	it('a replaced ordinance file keeps the old SHA-256 public', () => {
		const input = inputOf();
		updateRound(
			db,
			official,
			mId,
			roundId(),
			{ ...input, amendmentReason: 'v1' },
			{ path: 'ordinances/a.pdf', sha256: 'a'.repeat(64) }
		);
		expect(() =>
			updateRound(db, official, mId, roundId(), input, { path: 'ordinances/b.pdf', sha256: 'b'.repeat(64) })
		).toThrow(/required/);
		updateRound(
			db,
			official,
			mId,
			roundId(),
			{ ...input, amendmentReason: 'La ordenanza escaneada estaba incompleta.' },
			{ path: 'ordinances/b.pdf', sha256: 'b'.repeat(64) }
		);
		expectAmended(publicRound(), 'ordinanceSha256', 'a'.repeat(64), 'b'.repeat(64));
	});
});

describe('council records', () => {
	const term = { termStart: '2026-01-01', termEnd: '2027-12-31' };
	let ids: { mayor: number; r1: number; r2: number; session: number; agreement: number };

	beforeAll(() => {
		const mayor = addMember(db, secretary, mId, {
			fullName: 'Alcalde Quispe',
			role: 'alcalde',
			organisation: '',
			...term
		});
		const r1 = addMember(db, secretary, mId, {
			fullName: 'Regidora Mamani',
			role: 'regidor',
			organisation: '',
			...term
		});
		const r2 = addMember(db, secretary, mId, {
			fullName: 'Regidor Huaman',
			role: 'regidor',
			organisation: '',
			...term
		});
		const s = createSession(db, secretary, mId, {
			kind: 'ordinary',
			date: '2026-03-10',
			place: 'Salón consistorial',
			firstCallAt: '10:00',
			noticeSentOn: '2026-03-01',
			noticeChannel: 'letter',
			agenda: '1. Informe'
		});
		recordAttendance(db, secretary, mId, s.id, [
			{ memberId: mayor.id, statuses: ['present'], arrivedAt: '' },
			{ memberId: r1.id, statuses: ['present'], arrivedAt: '' },
			{ memberId: r2.id, statuses: ['absent'], arrivedAt: '' }
		]);
		const a = addAgreement(db, secretary, mId, s.id, { text: 'Aprobar el cronogram', decision: 'consensus' });
		ids = { mayor: mayor.id, r1: r1.id, r2: r2.id, session: s.id, agreement: a.id };
	});

	const pc = () => publicCouncil(db, mId, '2026-06-01');

	it('a session correction keeps the old place public', () => {
		expect(() => correctSession(db, secretary, mId, ids.session, { place: 'Local comunal', reason: '' })).toThrow(
			/required/
		);
		correctSession(db, secretary, mId, ids.session, { place: 'Local comunal', reason: 'Se cambió de local ese día.' });
		const s = pc().sessions.find((x) => x.id === ids.session)!;
		expect(s.place).toBe('Local comunal');
		expectAmended(s.amendments, 'place', 'Salón consistorial', 'Local comunal');
	});

	it('a member correction keeps the old term public', () => {
		correctMember(db, secretary, mId, ids.r2, { termEnd: '2026-12-31', reason: 'Renunció: resolución de concejo.' });
		const mem = pc().members.find((x) => x.id === ids.r2)!;
		expect(mem.termEnd).toBe('2026-12-31');
		expectAmended(mem.amendments, 'termEnd', '2027-12-31', '2026-12-31');
		// The audit event names a person: the public trail shows only its hash.
		const ev = publicAuditTrail(db, mId)
			.filter((e) => e.type === 'amendment.recorded')
			.at(-1)!;
		expect(ev.payload).toBeNull();
	});

	it('attendance locked by an agreement can still be corrected, visibly', () => {
		expect(() =>
			recordAttendance(db, secretary, mId, ids.session, [
				{ memberId: ids.mayor, statuses: ['present'], arrivedAt: '' },
				{ memberId: ids.r1, statuses: ['present'], arrivedAt: '' },
				{ memberId: ids.r2, statuses: ['present'], arrivedAt: '' }
			])
		).toThrow(/locked/);
		correctAttendance(db, secretary, mId, ids.session, {
			memberId: String(ids.r2),
			status: 'late',
			arrivedAt: '10:40',
			reason: 'Llegó tarde; firmó el acta.'
		});
		const row = pc()
			.sessions.find((x) => x.id === ids.session)!
			.attendance.find((a) => a.memberId === ids.r2)!;
		expect(row.status).toBe('late');
		expectAmended(row.amendments, 'status', 'absent', 'late');
		expectAmended(row.amendments, 'arrivedAt', null, '10:40');
	});

	it('an agreement correction keeps the old wording public', () => {
		correctAgreement(db, secretary, mId, ids.agreement, {
			text: 'Aprobar el cronograma',
			reason: 'Error de tipeo.'
		});
		const a = pc().agreements.find((x) => x.code)!;
		expect(a.text).toBe('Aprobar el cronograma');
		expectAmended(a.amendments, 'text', 'Aprobar el cronogram', 'Aprobar el cronograma');
		expect(() =>
			correctAgreement(db, secretary, mId, ids.agreement, { text: 'Aprobar el cronograma', reason: 'x' })
		).toThrow(/nothingToCorrect/);
		expect(() => correctAgreement(db, official, mId, ids.agreement, { text: 'y', reason: 'x' })).toThrow(/forbidden/);
	});

	it('a replaced signed scan of the minutes stays readable and its SHA-256 public', () => {
		const first = new Uint8Array(minimalPdf('firmado'));
		const second = new Uint8Array(minimalPdf('firmado, legible'));
		const up1 = uploadMinutesScan(db, secretary, mId, ids.session, first);
		// replacing needs a reason and changes nothing without one
		expect(() => uploadMinutesScan(db, secretary, mId, ids.session, second)).toThrow(/required/);
		expect(() => uploadMinutesScan(db, secretary, mId, ids.session, first, 'Otra vez')).toThrow(/sameScan/);
		expect(minutesScan(db, mId, ids.session)!.sha256).toBe(up1.sha256);
		const up2 = uploadMinutesScan(db, secretary, mId, ids.session, second, 'Faltaba la página de firmas.');
		const s = pc().sessions.find((x) => x.id === ids.session)!;
		expect(s.scanSha256).toBe(up2.sha256);
		expectAmended(s.amendments, 'minutesScanSha256', up1.sha256, up2.sha256);
		const fix = s.amendments.find((a) => a.field === 'minutesScanSha256')!;
		expect(publicAuditTrail(db, mId).find((e) => e.seq === fix.auditSeq)!.type).toBe('amendment.recorded');
		// the old scan is still served by its SHA-256; an unknown one is not
		expect(Buffer.from(minutesScan(db, mId, ids.session, up1.sha256)!.bytes).equals(Buffer.from(first))).toBe(true);
		expect(minutesScan(db, mId, ids.session, 'e'.repeat(64))).toBeNull();
	});

	it('after the minutes are issued, attendance and agreements change only as corrections', () => {
		const s = createSession(db, secretary, mId, {
			kind: 'extraordinary',
			date: '2026-04-10',
			place: 'Salón consistorial',
			firstCallAt: '10:00',
			noticeSentOn: '2026-04-05',
			noticeChannel: 'letter',
			agenda: '1. Informe'
		});
		const roll = (r2: string) => [
			{ memberId: ids.mayor, statuses: ['present'], arrivedAt: '' },
			{ memberId: ids.r1, statuses: ['present'], arrivedAt: '' },
			{ memberId: ids.r2, statuses: [r2], arrivedAt: '' }
		];
		recordAttendance(db, secretary, mId, s.id, roll('absent'));
		// before the minutes, attendance may be re-recorded (no agreements yet)
		recordAttendance(db, secretary, mId, s.id, roll('present'));
		issueMinutes(db, secretary, mId, s.id);
		expect(() => recordAttendance(db, secretary, mId, s.id, roll('absent'))).toThrow(/lockedMinutes/);
		expect(() => addAgreement(db, secretary, mId, s.id, { text: 'Un acuerdo tardío', decision: 'consensus' })).toThrow(
			/alreadyIssued/
		);
		const after = pc().sessions.find((x) => x.id === s.id)!;
		expect(after.attendance.find((a) => a.memberId === ids.r2)!.status).toBe('present');
		expect(pc().agreements.filter((a) => a.sessionId === s.id)).toHaveLength(0);
	});

	it('after the minutes are issued, a corrected mark and a corrected agreement keep the issued values public', () => {
		const s = createSession(db, secretary, mId, {
			kind: 'ordinary',
			date: '2026-05-10',
			place: 'Salón consistorial',
			firstCallAt: '10:00',
			noticeSentOn: '2026-05-01',
			noticeChannel: 'letter',
			agenda: '1. Presupuesto participativo'
		});
		recordAttendance(db, secretary, mId, s.id, [
			{ memberId: ids.mayor, statuses: ['present'], arrivedAt: '' },
			{ memberId: ids.r1, statuses: ['present'], arrivedAt: '' },
			{ memberId: ids.r2, statuses: ['present'], arrivedAt: '' }
		]);
		const ag = addAgreement(db, secretary, mId, s.id, { text: 'Aprobar 12 proyectos', decision: 'consensus' });
		const issued = issueMinutes(db, secretary, mId, s.id);
		const corrected = auditEventsOfType(db, mId, 'amendment.recorded').length;
		// a correction needs a reason even after the minutes; refused, it changes nothing
		expect(() =>
			correctAttendance(db, secretary, mId, s.id, { memberId: String(ids.r2), status: 'absent', reason: '' })
		).toThrow(/required/);
		expect(() => correctAgreement(db, secretary, mId, ag.id, { text: 'Aprobar 11 proyectos', reason: '' })).toThrow(
			/required/
		);
		expect(auditEventsOfType(db, mId, 'amendment.recorded')).toHaveLength(corrected);
		correctAttendance(db, secretary, mId, s.id, {
			memberId: String(ids.r2),
			status: 'absent',
			reason: 'El acta firmada lo registra ausente.'
		});
		correctAgreement(db, secretary, mId, ag.id, { text: 'Aprobar 11 proyectos', reason: 'El acta firmada dice 11.' });
		const after = pc().sessions.find((x) => x.id === s.id)!;
		const mark = after.attendance.find((a) => a.memberId === ids.r2)!;
		expect(mark.status).toBe('absent');
		expectAmended(mark.amendments, 'status', 'present', 'absent');
		const agreement = pc().agreements.find((a) => a.sessionId === s.id)!;
		expect(agreement.text).toBe('Aprobar 11 proyectos');
		expectAmended(agreement.amendments, 'text', 'Aprobar 12 proyectos', 'Aprobar 11 proyectos');
		// the issued minutes stay as issued: their anchor and content hash in the chain are untouched
		const [minutes] = auditEventsOfType(db, mId, 'council.minutesIssued').filter(
			(e) => JSON.parse(e.payload).sessionId === s.id
		);
		expect(minutes.seq).toBe(issued.seq);
		expect(JSON.parse(minutes.payload).contentSha256).toBe(issued.contentSha256);
	});

	it('a replacement that ends a published term early needs a reason and keeps the old end public', () => {
		const successor = {
			fullName: 'Regidora Ccori',
			role: 'regidor',
			organisation: '',
			termStart: '2026-09-01',
			termEnd: '2027-12-31',
			replacesMemberId: String(ids.r1)
		};
		expect(() => addMember(db, secretary, mId, successor)).toThrow(/required/);
		expect(pc().members.find((x) => x.id === ids.r1)!.termEnd).toBe('2027-12-31');
		addMember(db, secretary, mId, { ...successor, reason: 'Vacancia declarada por el concejo.' });
		const r1 = pc().members.find((x) => x.id === ids.r1)!;
		expect(r1.termEnd).toBe('2026-08-31');
		expectAmended(r1.amendments, 'termEnd', '2027-12-31', '2026-08-31');
	});
});

describe('the amendment record itself', () => {
	it('is append-only and the chain stays intact', () => {
		expect(() => db.delete(amendments).run()).toThrow(/append-only/);
		expect(() => db.update(amendments).set({ reason: 'x' }).run()).toThrow(/append-only/);
		const trail = publicAuditTrail(db, mId);
		const payloads = new Map(trail.filter((e) => e.payload).map((e) => [e.seq, e.payload!]));
		expect(verifyChain(trail, payloads).ok).toBe(true);
	});
});
