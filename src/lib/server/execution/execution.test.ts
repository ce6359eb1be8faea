import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import sharp from 'sharp';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, participantAgents, roleGrants, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { computeResults, publishResults } from '../results';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import {
	addMilestone,
	addPart,
	changeStatus,
	fundReserve,
	roundExecution,
	startTracking,
	updateFigures,
	executionHistoryRows,
	saveExecutionSettings
} from './execution';
import {
	addCommitteeMember,
	answerObservation,
	closeObservation,
	fileObservation,
	listObservations,
	setObservationDeadline,
	storeAttachment
} from './observations';
import { handoverSummary, performHandover } from '../roles';
import { auditorZip, auditorZipStream } from '../results';
import { preparePhoto, uploadsDir } from '../platform/uploads';
import { auditEventsOfType } from '../platform/audit';
import { loadTranslator } from '../../i18n/index';
import type { Actor } from '../platform/policy';
import { minimalPdf } from '../../../../tests/support/pdf';
import { sealAgentDni } from '../platform/sealed';

let db: Db;
let m: { id: number; slug: string; ubigeo: string; name: string };
let official: Actor;
let admin: Actor;
let auditor: Actor;
let member: Actor;
let resident: Actor;
let seeded: ReturnType<typeof seedVotedRound>;
const roundId = () => seeded.round.id;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-exec-'));
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
		const mk = (name: string, dni: string, email: string | null) =>
			createAccount(tx, mu.id, {
				fullName: name,
				dni,
				birthDate: '1980-01-01',
				email,
				passwordHash: 'x',
				locale: 'es'
			});
		return {
			mu,
			z,
			off: mk('Edwin Ccorimanya', '70000137', 'edwin@example.pe'),
			adm: mk('Ana Admin', '70000138', null),
			aud: mk('Rosa Auditora', '70000139', null),
			mem: mk('Juana Quispe', '70000140', 'juana@example.pe'),
			res: mk('Pedro Vecino', '70000141', null)
		};
	});
	m = { id: base.mu.id, slug: 'x', ubigeo: '080199', name: 'X' };
	const actor = (a: typeof base.off, roles: string[]): Actor => ({
		userId: a.user.id,
		personId: a.person.id,
		municipalityId: m.id,
		roles: new Set(roles as never[]),
		verified: true
	});
	official = actor(base.off, ['official']);
	admin = actor(base.adm, ['admin']);
	auditor = actor(base.aud, ['auditor']);
	member = actor(base.mem, []);
	resident = actor(base.res, []);
	writeTx(db, (tx) => {
		const now = Date.now();
		for (const [a, role] of [
			[official, 'official'],
			[admin, 'admin'],
			[auditor, 'auditor']
		] as const)
			tx.insert(roleGrants).values({ municipalityId: m.id, userId: a.userId, role, grantedAt: now }).run();
	});
	seeded = seedVotedRound(db, { municipalityId: m.id, zoneId: base.z.id, authorPersonId: base.res.person.id });
	closeVoting(db, roundId());
	const s = computeResults(db, official, m.id, roundId());
	publishResults(db, official, m.id, roundId(), s.version);
	// Juana is a registered agent of the round (DNI sealed for the legal register only).
	db.insert(participantAgents)
		.values({
			municipalityId: m.id,
			roundId: roundId(),
			personId: base.mem.person.id,
			organisation: 'Junta vecinal Larapa',
			...sealAgentDni('70000140'),
			hasVote: true,
			registeredAt: Date.now()
		})
		.run();
});

const photoFile = async () => {
	const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
		.jpeg()
		.withMetadata({ exif: { IFD0: { Artist: 'Juana 987654321' } } })
		.toBuffer();
	return new File([new Uint8Array(jpeg)], 'obra.jpg', { type: 'image/jpeg' });
};

describe('execution tracking', () => {
	it('starts tracking the selected projects of the published result, once', () => {
		expect(() => startTracking(db, resident, m.id, roundId())).toThrowError('forbidden');
		expect(startTracking(db, official, m.id, roundId(), '2026-01-10')).toBe(3);
		expect(startTracking(db, official, m.id, roundId(), '2026-01-10')).toBe(0);
		const pe = roundExecution(db, m.id, roundId(), '2026-01-10');
		expect(pe.projects.map((p) => p.proposalId).sort()).toEqual(
			[seeded.ids.water, seeded.ids.park, seeded.ids.health].sort()
		);
		expect(pe.totals.prioritisedCents).toBe(60_000_00);
		expect(pe.differences).toEqual([]);
	});

	it('moves a project forward with dates, refuses going back, needs a reason to postpone; every change is audited', async () => {
		const water = roundExecution(db, m.id, roundId(), '2026-01-10').projects.find(
			(p) => p.proposalId === seeded.ids.water
		)!;
		changeStatus(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ to: 'en_pia', reason: '', onDate: '2026-01-15' },
			'2026-02-01'
		);
		expect(() =>
			changeStatus(
				db,
				official,
				m.id,
				roundId(),
				water.executionId,
				{ to: 'priorizado', reason: '', onDate: '' },
				'2026-02-01'
			)
		).toThrowError('execution.move');
		expect(() =>
			changeStatus(
				db,
				official,
				m.id,
				roundId(),
				water.executionId,
				{ to: 'postergado', reason: ' ', onDate: '' },
				'2026-02-01'
			)
		).toThrowError('required');
		expect(() =>
			changeStatus(
				db,
				official,
				m.id,
				roundId(),
				water.executionId,
				{ to: 'expediente', reason: '', onDate: '2026-03-01' },
				'2026-02-01'
			)
		).toThrowError('execution.futureDate');
		changeStatus(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ to: 'expediente', reason: '', onDate: '2026-02-01' },
			'2026-02-01'
		);
		updateFigures(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ investmentCui: '2456789', budgeted: 'S/ 31 500,00', executed: '', progress: '', onDate: '' },
			'2026-02-01'
		);
		expect(() =>
			updateFigures(
				db,
				official,
				m.id,
				roundId(),
				water.executionId,
				{ investmentCui: '12345', budgeted: '', executed: '', progress: '', onDate: '' },
				'2026-02-01'
			)
		).toThrowError('execution.investmentCui');
		expect(() =>
			updateFigures(
				db,
				official,
				m.id,
				roundId(),
				water.executionId,
				{ investmentCui: '', budgeted: '', executed: '', progress: '120', onDate: '' },
				'2026-02-01'
			)
		).toThrowError('execution.progress');
		changeStatus(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ to: 'en_ejecucion', reason: '', onDate: '2026-03-01' },
			'2026-03-01'
		);
		const photo = await preparePhoto(await photoFile());
		addMilestone(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ title: 'Captación construida', dueOn: '2026-04-30', doneOn: '', note: '' },
			[photo],
			'2026-03-01'
		);
		updateFigures(
			db,
			official,
			m.id,
			roundId(),
			water.executionId,
			{ investmentCui: '', budgeted: '', executed: '12.000,50', progress: '40', onDate: '2026-03-01' },
			'2026-03-01'
		);
		const after = roundExecution(db, m.id, roundId(), '2026-03-02').projects.find(
			(p) => p.executionId === water.executionId
		)!;
		expect(after).toMatchObject({
			status: 'en_ejecucion',
			investmentCui: '2456789',
			budgetedCents: 31_500_00,
			executedCents: 12_000_50,
			progressPct: 40,
			light: { light: 'on_track' }
		});
		expect(after.milestones[0].photos).toHaveLength(1);
		// Past the milestone's due date, still pending: late.
		expect(
			roundExecution(db, m.id, roundId(), '2026-05-02').projects.find((p) => p.executionId === water.executionId)!.light
				.light
		).toBe('late');
		// Nothing recorded for 6 months: stopped, and flagged stale.
		const silent = roundExecution(db, m.id, roundId(), '2026-09-02').projects.find(
			(p) => p.executionId === water.executionId
		)!;
		expect(silent.light).toMatchObject({ light: 'stopped', reason: 'noUpdate', stale: true });
		saveExecutionSettings(db, official, m.id, { staleMonths: '12', responseDays: '10' });
		expect(
			roundExecution(db, m.id, roundId(), '2026-09-02').projects.find((p) => p.executionId === water.executionId)!.light
				.light
		).toBe('late');
		expect(auditEventsOfType(db, m.id, 'execution.statusChanged')).toHaveLength(3);
		expect(
			executionHistoryRows(db, m.id, roundId())
				.filter((h) => h.execution_id === water.executionId)
				.map((h) => h.change)
		).toEqual(['created', 'status', 'status', 'figures', 'status', 'milestone', 'figures']);
	});

	it('funding a reserve project in place of a selected one cancels it and shows as a replacement with the reason', () => {
		expect(() =>
			fundReserve(db, official, m.id, roundId(), {
				reserveProposalId: seeded.ids.water,
				replacesProposalId: '',
				reason: 'x'
			})
		).toThrowError('execution.notReserve');
		fundReserve(
			db,
			official,
			m.id,
			roundId(),
			{
				reserveProposalId: seeded.ids.road,
				replacesProposalId: String(seeded.ids.park),
				reason: 'El terreno del parque no está saneado; sigue el camino en la lista de reserva.'
			},
			'2026-03-05'
		);
		const pe = roundExecution(db, m.id, roundId(), '2026-03-05');
		expect(pe.differences).toEqual([
			expect.objectContaining({
				kind: 'replaced',
				proposalId: seeded.ids.park,
				reason: expect.stringContaining('saneado'),
				by: [expect.objectContaining({ proposalId: seeded.ids.road })]
			})
		]);
		expect(pe.projects.find((p) => p.proposalId === seeded.ids.park)!.status).toBe('cancelado');
		expect(pe.reserve.map((r) => r.proposalId)).not.toContain(seeded.ids.road);
		const health = pe.projects.find((p) => p.proposalId === seeded.ids.health)!;
		addPart(
			db,
			official,
			m.id,
			roundId(),
			health.executionId,
			{ title: 'Equipamiento — segunda etapa', reason: 'Dos fuentes de financiamiento' },
			'2026-03-05'
		);
		expect(
			roundExecution(db, m.id, roundId(), '2026-03-05')
				.differences.map((d) => d.kind)
				.sort()
		).toEqual(['replaced', 'split']);
	});
});

describe('observations and committee', () => {
	it('only committee members in term and auditors file; the municipality answers; overdue shows', async () => {
		expect(() =>
			fileObservation(
				db,
				member,
				m.id,
				roundId(),
				{ executionId: '', text: 'Falta el cartel de obra' },
				null,
				'2026-03-10'
			)
		).toThrowError('forbidden');
		const agent = db.select().from(participantAgents).get()!;
		addCommitteeMember(db, official, m.id, roundId(), {
			agentId: String(agent.id),
			termStart: '2026-01-01',
			termEnd: '2026-12-31'
		});
		const water = roundExecution(db, m.id, roundId()).projects.find((p) => p.proposalId === seeded.ids.water)!;
		expect(() =>
			fileObservation(
				db,
				member,
				m.id,
				roundId(),
				{ executionId: String(water.executionId), text: 'Llamar al 987654321' },
				null,
				'2026-03-10'
			)
		).toThrowError('observations.personal.phone');
		const o1 = fileObservation(
			db,
			member,
			m.id,
			roundId(),
			{ executionId: String(water.executionId), text: 'La obra no tiene cartel con el CUI.' },
			await storeAttachment(await photoFile()),
			'2026-03-10'
		);
		expect(o1.dueOn).toBe('2026-03-20');
		expect(o1.filedAs).toBe('committee');
		const o2 = fileObservation(
			db,
			auditor,
			m.id,
			roundId(),
			{ executionId: '', text: 'Publiquen el expediente técnico.' },
			null,
			'2026-03-10'
		);
		await expect(
			storeAttachment(new File([new TextEncoder().encode('MZ not a pdf')], 'x.pdf', { type: 'application/pdf' }))
		).rejects.toThrowError('observations.fileType');
		const pdf = await storeAttachment(new File([new Uint8Array(minimalPdf('informe'))], 'informe.pdf'));
		expect(pdf.mime).toBe('application/pdf');
		// Held in memory: a filer without the right is refused and the file never reaches the disk (review M4).
		expect(existsSync(join(uploadsDir(), pdf.path))).toBe(false);
		expect(() =>
			fileObservation(db, resident, m.id, roundId(), { executionId: '', text: 'Texto de prueba.' }, pdf, '2026-03-10')
		).toThrowError('forbidden');
		expect(existsSync(join(uploadsDir(), pdf.path))).toBe(false);
		expect(() => answerObservation(db, member, m.id, roundId(), o1.id, { answer: 'x' })).toThrowError('forbidden');
		answerObservation(db, official, m.id, roundId(), o1.id, { answer: 'Se colocó el cartel el 12 de marzo.' });
		setObservationDeadline(db, official, m.id, roundId(), o2.id, {
			dueOn: '2026-03-15',
			reason: 'Se amplía el plazo por feriado.'
		});
		const list = listObservations(db, m.id, roundId(), '2026-03-16');
		expect(list.map((o) => [o.seq, o.status, o.overdue])).toEqual([
			[1, 'answered', false],
			[2, 'open', true]
		]);
		expect(() => closeObservation(db, official, m.id, roundId(), o2.id)).toThrowError('observations.answerFirst');
		closeObservation(db, member, m.id, roundId(), o1.id);
		expect(listObservations(db, m.id, roundId())[0].status).toBe('closed');
	});
});

describe('handover', () => {
	it('revokes and grants in one step, refuses an unknown account without changing anything, keeps everything pending visible', () => {
		expect(() =>
			performHandover(db, admin, m.id, {
				revoke: [`${official.userId}:official`],
				grant: [{ identifier: 'nadie@example.pe', role: 'official' }]
			})
		).toThrowError('handover.noAccount');
		expect(handoverSummary(db, admin, m.id).staff.find((s) => s.userId === official.userId)?.roles).toEqual([
			'official'
		]);
		const r = performHandover(db, admin, m.id, {
			revoke: [`${official.userId}:official`],
			grant: [{ identifier: 'juana@example.pe', role: 'official' }]
		});
		expect(r).toEqual({ revoked: 1, granted: 1 });
		const s = handoverSummary(db, admin, m.id, '2026-03-16');
		expect(s.staff.find((x) => x.userId === official.userId)).toBeUndefined();
		expect(s.staff.find((x) => x.userId === member.userId)?.roles).toEqual(['official']);
		expect(s.projects.length).toBeGreaterThanOrEqual(3);
		expect(s.observations.map((o) => o.overdue)).toEqual([true]);
		expect(() => performHandover(db, admin, m.id, { revoke: [`${admin.userId}:admin`], grant: [] })).toThrowError(
			'role.lastAdmin'
		);
	});
});

describe("auditor's zip", () => {
	it('holds every file its README names, and no DNI, e-mail or phone', async () => {
		const [tEs, tQu] = await Promise.all([loadTranslator('es'), loadTranslator('qu')]);
		const zip = unzipSync(auditorZip(db, m, roundId(), tEs as never, tQu as never));
		const names = Object.keys(zip);
		const readme = strFromU8(zip['README.txt']);
		const named = [...readme.matchAll(/^- ([\w.-]+):/gm)].map((x) => x[1]);
		expect(new Set(named)).toEqual(new Set(names.filter((n) => n !== 'README.txt')));
		for (const f of [
			'results.csv',
			'results.json',
			'proposals.csv',
			'proposals.json',
			'execution.csv',
			'execution.json',
			'council.csv',
			'council.json',
			'workshops.csv',
			'workshops.json',
			'observations.csv',
			'observations.json',
			'audit.json'
		])
			expect(names).toContain(f);
		expect(names.filter((n) => n.endsWith('.pb'))).toHaveLength(2);
		expect(readme).toContain('npm run audit:verify -- audit.json');
		expect(readme).toMatch(/npm run -s tally -- --rule greedy --ties cost \S+\.pb/);
		const all = names.map((n) => strFromU8(zip[n])).join('\n');
		for (const dni of ['70000137', '70000138', '70000139', '70000140', '70000141']) expect(all).not.toContain(dni);
		expect(all).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
		expect(all).not.toMatch(/(?<![\w.])9\d{8}(?![\w])/);
		expect(JSON.parse(strFromU8(zip['execution.json'])).differences.length).toBe(2);
		expect(strFromU8(zip['observations.csv'])).toContain('Juana Quispe');
	});

	it('streams the same zip: every file identical, audit.json the same chain written page by page', async () => {
		const [tEs, tQu] = await Promise.all([loadTranslator('es'), loadTranslator('qu')]);
		const at = new Date('2026-03-20T12:00:00Z');
		const whole = unzipSync(auditorZip(db, m, roundId(), tEs as never, tQu as never, at));
		const streamed = unzipSync(
			new Uint8Array(
				await new Response(auditorZipStream(db, m, roundId(), tEs as never, tQu as never, at)).arrayBuffer()
			)
		);
		expect(Object.keys(streamed)).toEqual(Object.keys(whole));
		for (const n of Object.keys(whole))
			if (n === 'audit.json') expect(JSON.parse(strFromU8(streamed[n]))).toEqual(JSON.parse(strFromU8(whole[n])));
			else expect(strFromU8(streamed[n])).toBe(strFromU8(whole[n]));
	});
});
