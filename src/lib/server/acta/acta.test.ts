import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { extractText } from 'unpdf';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, participantAgents, persons, rounds, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { computeResults, publishResults } from '../results';
import { anchorOf, auditEventsOfType, publicAuditTrail } from '../platform/audit';
import {
	actaDocument,
	actaForOfficials,
	actaAmendments,
	actaScan,
	actaState,
	actaVersionDocument,
	actaVersionsOf,
	addCofinancing,
	addCommitment,
	agentDnis,
	issueActa,
	removeCofinancing,
	reopenActa,
	saveActaDetails,
	seatInActa,
	uploadActaScan
} from './acta';
import { actaPdf } from './acta-pdf';
import { loadTranslator } from '../../i18n/index';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import type { Actor } from '../platform/policy';
import { sealAgentDni } from '../platform/sealed';
import { minimalPdf } from '../../../../tests/support/pdf';
import { isPdf } from '../platform/uploads';

let db: Db;
let official: Actor;
let auditor: Actor;
let resident: Actor;
let seeded: ReturnType<typeof seedVotedRound>;
let municipalityId: number;
let roundId: number;
const agents: Record<string, number> = {};

const setPhase = (phase: typeof rounds.$inferSelect.phase) =>
	db.update(rounds).set({ phase }).where(eq(rounds.id, roundId)).run();
const pdfText = async (b: Buffer) =>
	(await extractText(new Uint8Array(b), { mergePages: true })).text.replace(/\s+/g, ' ');

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-acta-'));
	db = openDatabase(join(dir, 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'a',
				ubigeo: '080108',
				name: 'San Sebastián',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const acc = createAccount(tx, m.id, {
			fullName: 'Edwin Ccorimanya',
			dni: '70000137',
			birthDate: '1980-01-01',
			email: 'edwin@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	const mk = (roles: string[], verified = true): Actor => ({
		userId: base.acc.user.id,
		personId: base.acc.person.id,
		municipalityId,
		roles: new Set(roles as never[]),
		verified
	});
	official = mk(['official']);
	auditor = mk(['auditor']);
	resident = mk([]);
	seeded = seedVotedRound(db, { municipalityId, zoneId: base.z.id, authorPersonId: base.acc.person.id });
	roundId = seeded.round.id;
	writeTx(db, (tx) => {
		const add = (key: string, fullName: string, organisation: string, dni: string, hasVote = true) => {
			const p = tx
				.insert(persons)
				.values({ municipalityId, fullName, phone: '984000111', email: `${key}@example.pe`, createdAt: 0 })
				.returning()
				.get();
			agents[key] = tx
				.insert(participantAgents)
				.values({
					municipalityId,
					roundId,
					personId: p.id,
					organisation,
					...sealAgentDni(dni),
					hasVote,
					registeredAt: 0
				})
				.returning()
				.get().id;
		};
		add('rosa', 'Rosa Quispe Mamani', 'Club de Madres Larapa', '41234567');
		add('juan', 'Juan Huamán Ccori', 'Junta Vecinal Sector Norte', '42345678');
		add('tech', 'Ana Técnica', 'Equipo técnico', '43456789', false);
	});
});

describe('acta de acuerdos y compromisos', () => {
	it('needs a published result and refuses residents', () => {
		closeVoting(db, roundId);
		expect(() =>
			saveActaDetails(db, official, municipalityId, roundId, { signingDate: '2027-02-10', place: 'Local comunal' })
		).toThrowError('acta.noResult');
		computeResults(db, official, municipalityId, roundId);
		publishResults(db, official, municipalityId, roundId, 1);
		expect(() =>
			saveActaDetails(db, resident, municipalityId, roundId, { signingDate: '2027-02-10', place: 'Local comunal' })
		).toThrowError('forbidden');
		expect(actaState(db, municipalityId, roundId)).toMatchObject({ status: 'none', canDraft: true, canIssue: false });
	});

	it('drafts co-financing, commitments and committee with checks, each audited', () => {
		saveActaDetails(db, official, municipalityId, roundId, {
			signingDate: '10/02/2027',
			place: 'Local comunal de Larapa'
		});
		addCofinancing(db, official, municipalityId, roundId, {
			proposalId: seeded.ids.water,
			source: 'Gobierno Regional del Cusco',
			amount: '15 000'
		});
		const labour = addCofinancing(db, official, municipalityId, roundId, {
			proposalId: seeded.ids.water,
			source: 'Faena comunal',
			amount: '2500,50'
		});
		addCofinancing(db, official, municipalityId, roundId, {
			proposalId: seeded.ids.water,
			source: 'Duplicado por error',
			amount: '1'
		});
		// road is in the reserve list, not prioritised
		expect(() =>
			addCofinancing(db, official, municipalityId, roundId, { proposalId: seeded.ids.road, source: 'X', amount: '10' })
		).toThrowError('acta.notPrioritised');
		expect(() =>
			addCofinancing(db, official, municipalityId, roundId, { proposalId: seeded.ids.water, source: 'X', amount: '0' })
		).toThrowError('acta.amountPositive');
		expect(() =>
			addCofinancing(db, official, municipalityId, roundId, {
				proposalId: seeded.ids.water,
				source: 'X',
				amount: 'mil'
			})
		).toThrowError('money.format');
		expect(() =>
			addCofinancing(db, official, municipalityId, roundId, { proposalId: seeded.ids.water, source: ' ', amount: '10' })
		).toThrowError('required');
		const dup = actaForOfficials(db, official, municipalityId, roundId).cofinancing.find(
			(c) => c.source === 'Duplicado por error'
		)!;
		removeCofinancing(db, official, municipalityId, roundId, dup.id);
		expect(labour.amountCents).toBe(2500_50);

		addCommitment(db, official, municipalityId, roundId, {
			actorKind: 'organisation',
			actorName: 'Club de Madres Larapa',
			text: 'Aportar mano de obra no calificada.'
		});
		addCommitment(db, official, municipalityId, roundId, {
			actorKind: 'municipality',
			actorName: 'Municipalidad Distrital de San Sebastián',
			text: 'Incluir los proyectos en el PIA 2027.'
		});
		expect(() =>
			addCommitment(db, official, municipalityId, roundId, { actorKind: 'church', actorName: 'X', text: 'Y' })
		).toThrowError('acta.actorKind');

		seatInActa(db, official, municipalityId, roundId, { agentId: agents.rosa, role: 'president' });
		expect(() =>
			seatInActa(db, official, municipalityId, roundId, { agentId: agents.juan, role: 'president' })
		).toThrowError('acta.committeeRoleTaken');
		expect(() =>
			seatInActa(db, official, municipalityId, roundId, { agentId: agents.rosa, role: 'member' })
		).toThrowError('acta.alreadyInCommittee');
		expect(() => seatInActa(db, official, municipalityId, roundId, { agentId: 999_999, role: 'member' })).toThrowError(
			'acta.notAgent'
		);
		seatInActa(db, official, municipalityId, roundId, { agentId: agents.juan, role: 'member' });

		const { content } = actaDocument(db, municipalityId, roundId);
		const water = content.budgets.flatMap((b) => b.projects).find((p) => p.proposalId === seeded.ids.water)!;
		expect(water.cofinancingCents).toBe(17_500_50);
		expect(water.totalCents).toBe(30_000_00 + 17_500_50);
		expect(
			content.budgets
				.flatMap((b) => b.projects)
				.map((p) => p.proposalId)
				.sort()
		).toEqual([seeded.ids.water, seeded.ids.park, seeded.ids.health].sort());
		expect(content.totals.ppCents).toBe(30_000_00 + 20_000_00 + 10_000_00);
		expect(content.commitments[0].actorKind).toBe('municipality');
		expect(content.committee.map((c) => c.role)).toEqual(['president', 'member']);
		// only agents with vote sign
		expect(content.signers.map((s) => s.fullName)).toEqual(['Juan Huamán Ccori', 'Rosa Quispe Mamani']);
		expect(JSON.stringify(content)).not.toMatch(/41234567|984000111|example\.pe/);

		expect(auditEventsOfType(db, municipalityId, 'acta.cofinancingAdded')).toHaveLength(3);
		expect(auditEventsOfType(db, municipalityId, 'acta.cofinancingRemoved')).toHaveLength(1);
		expect(auditEventsOfType(db, municipalityId, 'acta.commitmentAdded')).toHaveLength(2);
		expect(auditEventsOfType(db, municipalityId, 'acta.committeeAdded')).toHaveLength(2);
		// committee events name a person: the public trail shows only their hash
		const pub = publicAuditTrail(db, municipalityId).filter((e) => e.type === 'acta.committeeAdded');
		expect(pub.every((e) => e.payload === null)).toBe(true);
	});

	it('issues only in Formalización, freezes the content, and takes a signed scan only once issued', async () => {
		expect(() => issueActa(db, official, municipalityId, roundId)).toThrowError('acta.phaseIssue');
		const draft = actaDocument(db, municipalityId, roundId);
		expect(draft.issued).toBe(false);
		const draftPdf = await actaPdf(draft.content, await loadTranslator('es'), {
			draft: true,
			contentSha256: null,
			locale: 'es'
		});
		// the acta Minka prints passes the same PDF check its signed scan must pass
		expect(isPdf(new Uint8Array(draftPdf))).toBe(true);
		const draftText = await pdfText(draftPdf);
		expect(draftText).toContain('BORRADOR — NO VÁLIDO PARA LA FIRMA');
		setPhase('formalizacion');
		expect(() => uploadActaScan(db, official, municipalityId, roundId, minimalPdf('x'))).toThrowError('acta.notIssued');
		const { contentSha256 } = issueActa(db, official, municipalityId, roundId);
		expect(contentSha256).toMatch(/^[0-9a-f]{64}$/);
		expect(() =>
			addCommitment(db, official, municipalityId, roundId, { actorKind: 'government', actorName: 'GORE', text: 'Algo' })
		).toThrowError('acta.issued');
		// issuing records the chain's head (its own event) beside the content hash, printed on the public PDF
		const first = actaState(db, municipalityId, roundId).anchor!;
		const issuedEvent = auditEventsOfType(db, municipalityId, 'acta.issued')[0];
		expect(first).toMatchObject({ seq: issuedEvent.seq, hash: issuedEvent.hash });
		const doc = actaDocument(db, municipalityId, roundId);
		expect(doc.anchor).toEqual(first);
		const issuedText = await pdfText(
			await actaPdf(doc.content, await loadTranslator('es'), {
				draft: false,
				contentSha256,
				anchor: doc.anchor,
				locale: 'es'
			})
		);
		expect(issuedText.replace(/\s+/g, '')).toContain(`${first.seq}:${first.hash}`);
		// the result it lists was anchored when published
		expect(anchorOf(db, municipalityId, { type: 'results.published', roundId, version: 1 })).not.toBeNull();
		// reopen and re-issue gives the same hash when nothing changed (the anchor is not inside it) and a new anchor
		expect(() => reopenActa(db, official, municipalityId, roundId, ' ')).toThrowError('required');
		reopenActa(db, official, municipalityId, roundId, 'Falta el compromiso del Gobierno Regional');
		expect(actaState(db, municipalityId, roundId).anchor).toBeNull();
		// the issued version is not lost: it stays public as a withdrawn version, with its anchor and the reason
		const versions = actaVersionsOf(db, municipalityId, roundId);
		expect(versions).toHaveLength(1);
		expect(versions[0]).toMatchObject({
			contentSha256,
			anchor: { seq: first.seq, hash: first.hash },
			reason: 'Falta el compromiso del Gobierno Regional'
		});
		const [withdrawal] = actaAmendments(db, municipalityId, roundId);
		expect(withdrawal).toMatchObject({ field: 'issuedContent', previous: contentSha256, current: null });
		expect(withdrawal.auditSeq).toBe(versions[0].amendmentSeq);
		const recorded = publicAuditTrail(db, municipalityId).find((e) => e.seq === withdrawal.auditSeq)!;
		expect(recorded.type).toBe('amendment.recorded');
		expect(JSON.stringify(recorded.payload)).toContain(contentSha256);
		const old = actaVersionDocument(db, municipalityId, roundId, versions[0].id)!;
		expect(old.contentSha256).toBe(contentSha256);
		const oldText = await pdfText(
			await actaPdf(old.content, await loadTranslator('es'), {
				draft: false,
				contentSha256: old.contentSha256,
				anchor: old.anchor,
				withdrawnAt: old.withdrawnAt,
				locale: 'es'
			})
		);
		expect(oldText).toContain('VERSIÓN ANTERIOR: VOLVIÓ A BORRADOR');
		expect(oldText).toContain(contentSha256);
		expect(actaVersionDocument(db, municipalityId, roundId, versions[0].id + 99)).toBeNull();
		expect(issueActa(db, official, municipalityId, roundId).contentSha256).toBe(contentSha256);
		expect(actaState(db, municipalityId, roundId).anchor!.seq).toBeGreaterThan(first.seq);

		expect(() => uploadActaScan(db, official, municipalityId, roundId, Buffer.from('GIF89a not a pdf'))).toThrowError(
			'upload.notPdf'
		);
		expect(() => uploadActaScan(db, official, municipalityId, roundId, new Uint8Array())).toThrowError('required');
		// the header alone is not a PDF: the scan is parsed (xref, trailer), not sniffed
		expect(() =>
			uploadActaScan(db, official, municipalityId, roundId, Buffer.from('%PDF-1.4\n<html>not a scan</html>\n'))
		).toThrowError('upload.notPdf');
		const bytes = minimalPdf('signed scan');
		const { sha256 } = uploadActaScan(db, official, municipalityId, roundId, bytes);
		expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		expect(actaScan(db, auditor, municipalityId, roundId)!.bytes.equals(bytes)).toBe(true);
		expect(() => actaScan(db, resident, municipalityId, roundId)).toThrowError('forbidden');
		expect(() => reopenActa(db, official, municipalityId, roundId, 'Otra corrección')).toThrowError('acta.signed');
		expect(actaState(db, municipalityId, roundId)).toMatchObject({
			status: 'issued',
			scanSha256: sha256,
			contentSha256
		});
		expect(auditEventsOfType(db, municipalityId, 'acta.issued')).toHaveLength(2);
		expect(auditEventsOfType(db, municipalityId, 'acta.scanUploaded')[0].payload).toContain(sha256);
	});

	it('a replaced signed scan stays readable, and its SHA-256 stays public as an amendment', () => {
		const before = actaState(db, municipalityId, roundId).scanSha256!;
		const oldBytes = actaScan(db, auditor, municipalityId, roundId)!.bytes;
		const better = minimalPdf('signed scan, every page legible');
		// replacing needs a reason; the same file again is refused; neither changes anything
		expect(() => uploadActaScan(db, official, municipalityId, roundId, better)).toThrowError('required');
		expect(() => uploadActaScan(db, official, municipalityId, roundId, oldBytes, 'Otra vez')).toThrowError(
			'acta.sameScan'
		);
		expect(actaState(db, municipalityId, roundId).scanSha256).toBe(before);
		const { sha256 } = uploadActaScan(db, official, municipalityId, roundId, better, 'La página 2 salió ilegible');
		expect(actaState(db, municipalityId, roundId).scanSha256).toBe(sha256);
		const fix = actaAmendments(db, municipalityId, roundId).find((a) => a.field === 'scanSha256')!;
		expect(fix).toMatchObject({ previous: before, current: sha256, reason: 'La página 2 salió ilegible' });
		const event = publicAuditTrail(db, municipalityId).find((e) => e.seq === fix.auditSeq)!;
		expect(event.type).toBe('amendment.recorded');
		expect(JSON.stringify(event.payload)).toContain(before);
		// the old scan is still there for officials and auditors, by its SHA-256; an unknown one is not served
		expect(actaScan(db, auditor, municipalityId, roundId)!.bytes.equals(better)).toBe(true);
		expect(actaScan(db, auditor, municipalityId, roundId, before)!.bytes.equals(oldBytes)).toBe(true);
		expect(actaScan(db, auditor, municipalityId, roundId, 'f'.repeat(64))).toBeNull();
		expect(() => actaScan(db, resident, municipalityId, roundId, before)).toThrowError('forbidden');
	});

	it('prints the public PDF in Spanish and Quechua without DNIs, phones or e-mails; the signing copy has DNIs', async () => {
		const d = actaDocument(db, municipalityId, roundId);
		expect(d.issued).toBe(true);
		const es = await pdfText(
			await actaPdf(d.content, await loadTranslator('es'), {
				draft: false,
				contentSha256: d.contentSha256,
				locale: 'es'
			})
		);
		expect(es).toContain('ACTA DE ACUERDOS Y COMPROMISOS');
		expect(es).toContain('Agua potable para Larapa');
		expect(es).toContain('Gobierno Regional del Cusco');
		expect(es).toContain('Rosa Quispe Mamani');
		expect(es).toContain('Club de Madres Larapa');
		expect(es).toContain('Incluir los proyectos en el PIA 2027.');
		expect(es).toContain(d.contentSha256!);
		expect(es).not.toMatch(/41234567|42345678|984000111|example\.pe|BORRADOR/);
		const qu = await pdfText(
			await actaPdf(d.content, await loadTranslator('qu'), {
				draft: false,
				contentSha256: d.contentSha256,
				locale: 'qu'
			})
		);
		expect(qu).toContain('RIMANAKUYKUNAPA, PROMETEKUYKUNAPA ACTAN');
		expect(qu).toContain('Kuska qullqichay');
		expect(qu).not.toMatch(/41234567|984000111/);
		const signing = await pdfText(
			await actaPdf(d.content, await loadTranslator('es'), {
				draft: false,
				contentSha256: d.contentSha256,
				locale: 'es',
				dnis: agentDnis(db, official, municipalityId, roundId)
			})
		);
		expect(signing).toContain('DNI: 41234567');
		expect(() => agentDnis(db, auditor, municipalityId, roundId)).toThrowError('forbidden');
	});
});
