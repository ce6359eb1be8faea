import PDFDocument from 'pdfkit';
import type { TFunction } from 'i18next';
import { quorumMessage } from '../../domain/council';
import { formatDate } from '../../i18n/format';
import type { Db } from '../db/client';
import { sessionDetail } from './council';
import { pdfBuffer, registerFonts } from '../platform/pdf-font';

export interface MinutesMunicipality {
	name: string;
	kind: 'provincial' | 'distrital';
}

/**
 * The acta of a CCL session as a PDF in the language of `t`: session data, notice, agenda, attendance, quorum
 * statement, agreements and signature lines. The font is embedded (see pdf-font.ts).
 */
export async function minutesPdf(
	db: Db,
	municipalityId: number,
	municipality: MinutesMunicipality,
	sessionId: number,
	t: TFunction
): Promise<Buffer> {
	const d = sessionDetail(db, municipalityId, sessionId);
	const { session } = d;
	const doc = new PDFDocument({
		size: 'A4',
		margin: 56,
		lang: t('lang.code'),
		info: { Title: t('council.pdf.docTitle', { date: formatDate(session.date) }), Producer: 'Minka' }
	});
	registerFonts(doc);
	const width = doc.page.width - 112;

	const heading = (text: string) => {
		doc.moveDown(0.8).font('bold').fontSize(12).text(text).font('body').fontSize(10.5).moveDown(0.2);
	};
	const field = (label: string, value: string) => {
		doc.font('bold').text(`${label}: `, { continued: true }).font('body').text(value);
	};

	doc
		.font('bold')
		.fontSize(11)
		.text(
			t('council.pdf.municipality', {
				name: municipality.name,
				kind: t(municipality.kind === 'provincial' ? 'council.pdf.kindProvincial' : 'council.pdf.kindDistrital')
			}),
			{ align: 'center' }
		);
	doc
		.moveDown(0.3)
		.fontSize(13)
		.text(t('council.pdf.title', { kind: t(`council.sessions.kinds.${session.kind}`).toUpperCase() }), {
			align: 'center'
		});
	doc.font('body').fontSize(10.5).moveDown(1);

	field(t('council.pdf.date'), formatDate(session.date));
	field(t('council.pdf.place'), session.place);
	field(
		t('council.pdf.calls'),
		t('council.pdf.callsValue', {
			first: session.firstCallAt,
			second: session.secondCallAt
				? t('council.sessions.secondCall', { time: session.secondCallAt })
				: t('council.sessions.noSecondCall')
		})
	);
	field(
		t('council.pdf.notice'),
		session.noticeSentOn
			? t('council.sessions.notice', {
					date: formatDate(session.noticeSentOn),
					channel: session.noticeChannel ? t(`council.sessions.channels.${session.noticeChannel}`) : '—'
				})
			: t('council.sessions.noNotice')
	);

	heading(t('council.pdf.agenda'));
	session.agenda.forEach((item, i) => doc.text(`${i + 1}. ${item}`, { indent: 8 }));

	heading(t('council.pdf.attendance'));
	if (!d.attendance.length) doc.text(t('council.pdf.none'));
	for (const a of d.attendance) {
		const status = a.status ? t(`council.attendance.statuses.${a.status}`) : '—';
		const arrived =
			a.status === 'late' && a.arrivedAt ? ` (${t('council.attendance.arrived', { time: a.arrivedAt })})` : '';
		const org = a.member.organisation ? ` — ${a.member.organisation}` : '';
		doc.text(`• ${a.member.fullName}, ${t(`council.roles.${a.member.role}`)}${org}: ${status}${arrived}`, {
			indent: 8
		});
	}

	heading(t('council.pdf.quorum'));
	if (d.quorum) {
		const m = quorumMessage(d.quorum, session.firstCallAt);
		doc.text(t(m.key, m.params));
		if (d.chair && d.quorum.chair)
			doc.text(
				t(d.quorum.chair.substitute ? 'council.quorum.chairSubstitute' : 'council.quorum.chair', {
					name: d.chair.fullName
				})
			);
	} else doc.text(t('council.quorum.pending'));

	heading(t('council.pdf.agreements'));
	if (!d.agreements.length) doc.text(t('council.pdf.none'));
	for (const a of d.agreements) {
		doc.font('bold').text(a.code).font('body').text(a.text, { indent: 8 });
		const how =
			a.decision === 'consensus'
				? t('council.agreements.consensus')
				: t('council.agreements.votes', {
						for: a.votesFor ?? 0,
						against: a.votesAgainst ?? 0,
						abstain: a.votesAbstain ?? 0
					}) + (a.castingVoteUsed ? ` — ${t('council.agreements.castingUsed')}` : '');
		doc.text(`${how}. ${t(`council.agreements.outcome.${a.outcome}`)}.`, { indent: 8 }).moveDown(0.3);
	}

	heading(t('council.pdf.signatures'));
	const signers: [string, string][] = [];
	if (d.chair) signers.push([d.chair.fullName, t('council.pdf.signChair')]);
	for (const a of d.attendance)
		if ((a.status === 'present' || a.status === 'late') && a.member.id !== d.chair?.id)
			signers.push([a.member.fullName, t(`council.roles.${a.member.role}`)]);
	signers.push(['', t('council.pdf.signSecretary')]);
	const colW = (width - 24) / 2;
	for (let i = 0; i < signers.length; i += 2) {
		if (doc.y > doc.page.height - 130) doc.addPage();
		doc.moveDown(2.2);
		const y = doc.y;
		for (let c = 0; c < 2 && i + c < signers.length; c++) {
			const x = 56 + c * (colW + 24);
			doc
				.moveTo(x, y)
				.lineTo(x + colW, y)
				.lineWidth(0.6)
				.stroke();
			doc.fontSize(9.5).text(signers[i + c][0] || ' ', x, y + 4, { width: colW, align: 'center' });
			doc.text(signers[i + c][1], x, doc.y, { width: colW, align: 'center' });
		}
		doc.x = 56;
		doc.fontSize(10.5);
	}

	doc
		.moveDown(2)
		.fontSize(8)
		.fillColor('#555')
		.text(t('council.pdf.footer', { date: formatDate(new Date()) }), 56, doc.y, { width, align: 'left' });
	if (d.minutesAnchor)
		doc.text(t('audit.anchor.pdf', { anchor: `${d.minutesAnchor.seq}:${d.minutesAnchor.hash}` }), 56, doc.y, {
			width
		});
	else doc.text(t('council.minutes.draftPdf'), 56, doc.y, { width });
	return pdfBuffer(doc);
}
