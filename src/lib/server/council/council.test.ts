import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createAccount } from '../accounts';
import { grantRoleInTx } from '../roles';
import { auditEventsOfType } from '../platform/audit';
import type { Actor } from '../platform/policy';
import {
	addAgreement,
	addMember,
	councilCsvRows,
	createSession,
	getCouncilSettings,
	minutesScan,
	publicCouncil,
	recordAttendance,
	rollOverview,
	saveCouncilSettings,
	sessionDetail,
	uploadMinutesScan
} from './council';
import { seedCouncilDemo } from '../demo/council';
import { minimalPdf } from '../../../../tests/support/pdf';

process.env.MINKA_SECRET = 'test';

let db: Db;
let mId: number;
let secretary: Actor;
let resident: Actor;

function makeActor(tx: Db, role: 'council_secretary' | null, dni: string): Actor {
	const { person, user } = createAccount(tx, mId, {
		fullName: `Persona ${dni}`,
		dni,
		birthDate: '1980-01-01',
		email: null,
		passwordHash: 'x',
		locale: 'es'
	});
	if (role) grantRoleInTx(tx, null, mId, user.id, role);
	return {
		userId: user.id,
		personId: person.id,
		municipalityId: mId,
		roles: new Set(role ? [role] : []),
		verified: true
	};
}

beforeEach(() => {
	const dir = mkdtempSync(join(tmpdir(), 'minka-'));
	process.env.MINKA_UPLOADS = join(dir, 'uploads');
	db = openDatabase(join(dir, 't.db'));
	writeTx(db, (tx) => {
		mId = tx
			.insert(municipalities)
			.values({
				slug: 'wanchaq',
				ubigeo: '080108',
				name: 'Wanchaq',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: Date.now()
			})
			.returning()
			.get().id;
		secretary = makeActor(tx, 'council_secretary', '11111111');
		resident = makeActor(tx, null, '22222222');
	});
});

const term = { termStart: '2026-01-01', termEnd: '2027-12-31' };

function smallRoll() {
	const mayor = addMember(db, secretary, mId, {
		fullName: 'Alcalde Quispe',
		role: 'alcalde',
		organisation: '',
		...term
	});
	const r1 = addMember(db, secretary, mId, { fullName: 'Regidora Mamani', role: 'regidor', organisation: '', ...term });
	const r2 = addMember(db, secretary, mId, { fullName: 'Regidor Huamán', role: 'regidor', organisation: '', ...term });
	const c1 = addMember(db, secretary, mId, {
		fullName: 'Sra. Condori',
		role: 'sociedad_civil',
		organisation: 'Vaso de Leche',
		...term
	});
	const c2 = addMember(db, secretary, mId, {
		fullName: 'Sr. Ccama',
		role: 'sociedad_civil',
		organisation: 'Junta vecinal',
		...term
	});
	return { mayor, r1, r2, c1, c2 };
}

describe('council module', () => {
	it('refuses anyone without council.manage, and changes nothing', () => {
		expect(() => addMember(db, resident, mId, { fullName: 'X', role: 'regidor', organisation: '', ...term })).toThrow(
			/forbidden/
		);
		expect(() => addMember(db, null, mId, { fullName: 'X', role: 'regidor', organisation: '', ...term })).toThrow(
			/loginRequired/
		);
		expect(rollOverview(db, mId, '2026-03-01').members).toEqual([]);
	});

	it('keeps the roll with the 40 % indicator, replacements and settings', () => {
		const { c2 } = smallRoll();
		const o = rollOverview(db, mId, '2026-03-01');
		expect(o.civilSociety).toMatchObject({ others: 3, civilSociety: 2, required: 2, holds: true });
		expect(() =>
			addMember(db, secretary, mId, { fullName: 'Sin org', role: 'sociedad_civil', organisation: '', ...term })
		).toThrow(/organisationRequired/);
		expect(() =>
			addMember(db, secretary, mId, { fullName: 'Otro alcalde', role: 'alcalde', organisation: '', ...term })
		).toThrow(/twoMayors/);
		const repl = addMember(db, secretary, mId, {
			fullName: 'Sra. Apaza',
			role: 'sociedad_civil',
			organisation: 'Junta vecinal',
			termStart: '2026-06-01',
			termEnd: '2027-12-31',
			replacesMemberId: String(c2.id),
			reason: 'Renuncia aceptada por el CCL.'
		});
		const after = rollOverview(db, mId, '2026-07-01');
		expect(after.members.find((m) => m.id === c2.id)).toMatchObject({
			termEnd: '2026-05-31',
			replacedByMemberId: repl.id
		});
		expect(after.civilSociety.civilSociety).toBe(2);
		expect(getCouncilSettings(db, mId).agreementFormat).toBe('Acuerdo N° {number}-{year}-CCL/MDW');
		saveCouncilSettings(db, secretary, mId, {
			quorumFixed: '',
			secondCallAllowed: 'on',
			secondCallDelayMinutes: '20',
			secondCallMinimum: '2',
			civilSocietyPercent: '40',
			agreementFormat: 'Acuerdo N° {number}-{year}-CCL/MDWQ'
		});
		expect(getCouncilSettings(db, mId)).toMatchObject({
			secondCallDelayMinutes: 20,
			secondCallMinimum: 2,
			agreementFormat: 'Acuerdo N° {number}-{year}-CCL/MDWQ'
		});
		expect(() =>
			saveCouncilSettings(db, secretary, mId, {
				quorumFixed: '',
				secondCallAllowed: '',
				secondCallDelayMinutes: '30',
				secondCallMinimum: '',
				civilSocietyPercent: '40',
				agreementFormat: 'sin número'
			})
		).toThrow(/agreementFormat/);
	});

	it('records a session at second call with a late and an excused member, numbers agreements, keeps the scan', () => {
		const { mayor, r1, r2, c1, c2 } = smallRoll();
		const s = createSession(db, secretary, mId, {
			kind: 'ordinary',
			date: '2026-03-10',
			place: 'Salón consistorial',
			firstCallAt: '10:00',
			noticeSentOn: '2026-03-01',
			noticeChannel: 'letter',
			agenda: '1. Informe\n2. Presupuesto participativo 2027'
		});
		expect(s.secondCallAt).toBe('10:30');
		expect(s.agenda).toEqual(['Informe', 'Presupuesto participativo 2027']);
		expect(() => addAgreement(db, secretary, mId, s.id, { text: 'x', decision: 'consensus' })).toThrow(/noAttendance/);

		const form = [
			{ memberId: mayor.id, statuses: ['present'], arrivedAt: '' },
			{ memberId: r1.id, statuses: ['present'], arrivedAt: '' },
			{ memberId: r2.id, statuses: ['late'], arrivedAt: '10:20' },
			{ memberId: c1.id, statuses: ['excused'], arrivedAt: '' },
			{ memberId: c2.id, statuses: ['absent'], arrivedAt: '' }
		];
		// bad input changes nothing
		expect(() =>
			recordAttendance(db, secretary, mId, s.id, [
				...form.slice(0, 4),
				{ memberId: c2.id, statuses: ['absent', 'present'], arrivedAt: '' }
			])
		).toThrow(/conflict/);
		expect(() =>
			recordAttendance(db, secretary, mId, s.id, [...form, { memberId: 9999, statuses: ['present'], arrivedAt: '' }])
		).toThrow(/notOnRoll/);
		const future = addMember(db, secretary, mId, {
			fullName: 'Nueva',
			role: 'sociedad_civil',
			organisation: 'Club de madres',
			termStart: '2026-05-01',
			termEnd: '2027-12-31'
		});
		expect(() =>
			recordAttendance(db, secretary, mId, s.id, [
				...form,
				{ memberId: future.id, statuses: ['present'], arrivedAt: '' }
			])
		).toThrow(/outOfTerm/);
		expect(sessionDetail(db, mId, s.id).quorum).toBeNull();

		const q = recordAttendance(db, secretary, mId, s.id, form);
		expect(q).toMatchObject({
			legalMembers: 5,
			required: 3,
			presentAtFirstCall: 2,
			installedAt: 'second',
			presentCount: 3
		});
		const a1 = addAgreement(db, secretary, mId, s.id, { text: 'Aprobar el cronograma', decision: 'consensus' });
		expect(() =>
			addAgreement(db, secretary, mId, s.id, {
				text: 'Empate',
				decision: 'vote',
				votesFor: '1',
				votesAgainst: '1',
				votesAbstain: '1'
			})
		).toThrow(/castingVoteNeeded/);
		expect(() =>
			addAgreement(db, secretary, mId, s.id, {
				text: 'Demasiados',
				decision: 'vote',
				votesFor: '3',
				votesAgainst: '1',
				votesAbstain: '0'
			})
		).toThrow(/votesExceedPresent/);
		const a2 = addAgreement(db, secretary, mId, s.id, {
			text: 'Empate dirimido',
			decision: 'vote',
			votesFor: '1',
			votesAgainst: '1',
			votesAbstain: '1',
			castingVote: 'for'
		});
		expect([a1.code, a2.code]).toEqual(['Acuerdo N° 001-2026-CCL/MDW', 'Acuerdo N° 002-2026-CCL/MDW']);
		expect(a2).toMatchObject({ castingVoteUsed: true, outcome: 'approved' });
		expect(() => recordAttendance(db, secretary, mId, s.id, form)).toThrow(/locked/);

		expect(() => uploadMinutesScan(db, secretary, mId, s.id, new TextEncoder().encode('GIF89a...'))).toThrow(/notPdf/);
		expect(() =>
			uploadMinutesScan(db, secretary, mId, s.id, new TextEncoder().encode('%PDF-1.4\n% firmado\n%%EOF'))
		).toThrow(/notPdf/);
		const pdf = new Uint8Array(minimalPdf('firmado'));
		const up = uploadMinutesScan(db, secretary, mId, s.id, pdf);
		expect(up.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
		expect(minutesScan(db, mId, s.id)!.bytes.equals(Buffer.from(pdf))).toBe(true);
		expect(readFileSync(join(process.env.MINKA_UPLOADS!, up.path)).length).toBe(pdf.length);

		const pc = publicCouncil(db, mId, '2026-04-01');
		expect(pc.sessions[0]).toMatchObject({
			installed: true,
			installedAt: 'second',
			present: 3,
			legalMembers: 5,
			chair: { name: 'Alcalde Quispe', substitute: false },
			hasScan: true
		});
		expect(pc.rates.find((r) => r.memberId === r2.id && r.year === 2026)).toMatchObject({
			attended: 1,
			sessions: 1,
			rate: 1
		});
		expect(pc.rates.find((r) => r.memberId === c1.id)).toMatchObject({ attended: 0, sessions: 1 });
		expect(pc.shortfall).toEqual([{ year: 2026, held: 1 }]);
		const json = JSON.stringify(pc);
		expect(json).not.toMatch(/11111111|dni|phone|email/i);
		expect(councilCsvRows(pc)).toHaveLength(5);
		expect(auditEventsOfType(db, mId, 'council.agreementRecorded')).toHaveLength(2);
		expect(auditEventsOfType(db, mId, 'council.attendanceRecorded')).toHaveLength(1);
	});

	it('seeds a demo council', () => {
		seedCouncilDemo(db, mId);
		const pc = publicCouncil(db, mId);
		expect(pc.members.length).toBeGreaterThanOrEqual(9);
		expect(pc.sessions.filter((s) => s.recorded)).toHaveLength(2);
		expect(pc.agreements.length).toBeGreaterThanOrEqual(2);
		expect(rollOverview(db, mId).civilSociety.holds).toBe(true);
	});
});

describe('minutes PDF', () => {
	it('renders the acta in Spanish and Quechua with attendance, quorum, agreements and signature lines', async () => {
		const { minutesPdf } = await import('./council-pdf');
		const { loadTranslator } = await import('../../i18n/index');
		const { extractText } = await import('unpdf');
		seedCouncilDemo(db, mId);
		const s = publicCouncil(db, mId).sessions[1];
		const muni = { name: 'Wanchaq', kind: 'distrital' as const };
		const es = await minutesPdf(db, mId, muni, s.id, await loadTranslator('es'));
		expect(es.subarray(0, 5).toString()).toBe('%PDF-');
		const textEs = (await extractText(new Uint8Array(es), { mergePages: true })).text;
		expect(textEs).toContain('ACTA DE SESIÓN ORDINARIA');
		expect(textEs).toContain('Municipalidad Distrital de Wanchaq');
		expect(textEs).toContain('Teófilo Yupanqui Ccorimanya');
		expect(textEs).toContain('Ñaupa Ticona Mendoza');
		expect(textEs).toMatch(/Presidió Rosa Elena Mamani Condori, en ausencia del alcalde/);
		expect(textEs).toMatch(/primera convocatoria \(15:00\) con 7 de 12 miembros/);
		expect(textEs).toContain('voto dirimente');
		expect(textEs).toContain('Secretario(a) técnico(a)');
		const qu = await minutesPdf(db, mId, muni, s.id, await loadTranslator('qu'));
		const textQu = (await extractText(new Uint8Array(qu), { mergePages: true })).text;
		expect(textQu.replace(/\s+/g, ' ')).toContain('ORDINARIA HUÑUNAKUYNINPA ACTAN');
		expect(textQu).toContain('umallirqan, alcalde mana kaptin');
		expect(textQu).toContain("Silq'ukuna");
	});
});
