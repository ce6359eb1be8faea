import { chainOfExport } from '../../domain/audit-export-format';
import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { createAccount } from '../accounts';
import { grantRoleInTx } from '../roles';
import { appendAudit, auditAnchors, auditExportStream, publicAuditTrail } from '../platform/audit';
import type { Actor } from '../platform/policy';
import { auditReport, eventHash, type ChainedEvent } from '../../domain/audit-chain';
import {
	addAgreement,
	addMember,
	createSession,
	issueMinutes,
	publicCouncil,
	recordAttendance,
	sessionDetail
} from './council';
import { minutesPdf } from './council-pdf';
import { correctSession } from './corrections';
import { loadTranslator } from '../../i18n';
import { extractText, getDocumentProxy } from 'unpdf';

process.env.MINKA_SECRET = 'test';

let db: Db;
let mId: number;
let secretary: Actor;

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
		const { person, user } = createAccount(tx, mId, {
			fullName: 'Secretaria',
			dni: '11111111',
			birthDate: '1980-01-01',
			email: null,
			passwordHash: 'x',
			locale: 'es'
		});
		grantRoleInTx(tx, null, mId, user.id, 'council_secretary');
		secretary = {
			userId: user.id,
			personId: person.id,
			municipalityId: mId,
			roles: new Set(['council_secretary']),
			verified: true
		};
	});
});

const term = { termStart: '2026-01-01', termEnd: '2027-12-31' };

function heldSession() {
	const mayor = addMember(db, secretary, mId, {
		fullName: 'Alcalde Quispe',
		role: 'alcalde',
		organisation: '',
		...term
	});
	const r1 = addMember(db, secretary, mId, { fullName: 'Regidora Mamani', role: 'regidor', organisation: '', ...term });
	const s = createSession(db, secretary, mId, {
		kind: 'ordinary',
		date: '2026-03-10',
		place: 'Salón consistorial',
		firstCallAt: '10:00',
		noticeSentOn: '2026-03-01',
		noticeChannel: 'letter',
		agenda: '1. Informe'
	});
	return {
		s,
		attend: () =>
			recordAttendance(db, secretary, mId, s.id, [
				{ memberId: mayor.id, statuses: ['present'], arrivedAt: '' },
				{ memberId: r1.id, statuses: ['present'], arrivedAt: '' }
			])
	};
}

/** The public export as `audit/export` serves it. */
const exported = () => publicAuditTrail(db, mId);

describe('anchored audit chain', () => {
	it('issuing council minutes records the chain head, printed on the acta and the public page', async () => {
		const { s, attend } = heldSession();
		expect(() => issueMinutes(db, secretary, mId, s.id)).toThrow(/needAttendance/);
		attend();
		const t = await loadTranslator('es');
		const draftPdf = await minutesPdf(db, mId, { name: 'Wanchaq', kind: 'distrital' }, s.id, t);
		const draftText = (await extractText(await getDocumentProxy(new Uint8Array(draftPdf)), { mergePages: true })).text;
		expect(draftText).toContain('BORRADOR');

		const a = issueMinutes(db, secretary, mId, s.id);
		const head = exported().at(-1)!;
		expect({ seq: a.seq, hash: a.hash }).toEqual({ seq: head.seq, hash: head.hash });
		expect(() => issueMinutes(db, secretary, mId, s.id)).toThrow(/alreadyIssued/);
		expect(sessionDetail(db, mId, s.id).minutesAnchor).toMatchObject({ seq: a.seq, hash: a.hash });
		expect(publicCouncil(db, mId, '2026-04-01').sessions[0].minutesAnchor).toMatchObject({ seq: a.seq });
		expect(auditAnchors(db, mId)).toEqual([
			expect.objectContaining({ type: 'council.minutesIssued', seq: a.seq, hash: a.hash, sessionId: s.id })
		]);
		const pdf = await minutesPdf(db, mId, { name: 'Wanchaq', kind: 'distrital' }, s.id, t);
		const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true })).text;
		expect(text.replace(/\s+/g, '')).toContain(`${a.seq}:${a.hash}`);
	});

	it('audit:verify: a truncated or rewritten export fails naming the anchor; without one it says what was checked', () => {
		const { s, attend } = heldSession();
		attend();
		addAgreement(db, secretary, mId, s.id, { text: 'Priorizar el agua', decision: 'consensus' });
		const a = issueMinutes(db, secretary, mId, s.id);
		// an event after the anchor (once issued, the minutes change only as corrections)
		correctSession(db, secretary, mId, s.id, { place: 'Local comunal', reason: 'Se cambió de local.' });
		const anchor = { seq: a.seq, hash: a.hash, label: 'council.minutesIssued (session 1)' };
		const full = exported();

		expect(auditReport(full, [anchor])).toMatchObject({ code: 0 });
		// the tail cut off just before the anchor: internally consistent, so only the anchor can tell
		const truncated = full.slice(0, a.seq - 1);
		expect(auditReport(truncated, []).code).toBe(0);
		expect(auditReport(truncated, []).lines.join('\n')).toMatch(/only the internal consistency was checked/);
		const cut = auditReport(truncated, [anchor]);
		expect(cut.code).toBe(1);
		expect(cut.lines.join('\n')).toContain(`anchor ${a.seq}:${a.hash.slice(0, 16)}`);
		expect(cut.lines.join('\n')).toMatch(/council\.minutesIssued.*missing/);

		// rewritten: an earlier event's time changed and every hash after it recomputed (a consistent forgery)
		const forged: ChainedEvent[] = [];
		for (const e of full) {
			const prevHash = forged.at(-1)?.hash ?? e.prevHash;
			const base = { ...e, at: e.seq === 2 ? '2020-01-01T00:00:00.000Z' : e.at, prevHash };
			forged.push({ ...base, hash: eventHash(base) });
		}
		expect(auditReport(forged, []).code).toBe(0);
		const rewritten = auditReport(forged, [anchor]);
		expect(rewritten.code).toBe(1);
		expect(rewritten.lines.join('\n')).toMatch(new RegExp(`anchor ${a.seq}:.*rewritten`));
	});

	it('streams the export page by page: the same document, checked by audit:verify, across many pages', async () => {
		writeTx(db, (tx) => {
			for (let i = 0; i < 2500; i++)
				appendAudit(tx, { municipalityId: mId, actorUserId: null, type: 'test.event', payload: { i } });
		});
		const text = await new Response(
			auditExportStream(db, { id: mId, slug: 'wanchaq', ubigeo: '080108', name: 'Wanchaq' })
		).text();
		const doc = JSON.parse(text);
		expect(doc).toMatchObject({ format: 'minka-audit-chain/2', municipality: { id: mId, slug: 'wanchaq' } });
		// format 2 leaves out what can be recomputed: read back, every hash of the stored chain is there
		const chain = chainOfExport(doc);
		expect(chain).toMatchObject({ ok: true, format: 2 });
		if (!chain.ok) return;
		expect(chain.events).toEqual(exported());
		expect(auditReport(chain.events, []).code).toBe(0);
	});
});
