import PDFDocument from 'pdfkit';
import type { TFunction } from 'i18next';
import type { ActaContent } from '../../domain/acta';
import { formatDate, formatSoles } from '../../i18n/format';
import { pdfBuffer, registerFonts } from '../platform/pdf-font';

export interface ActaPdfOptions {
	/** Not issued yet: every page says it is a draft, not for signature. */
	draft: boolean;
	/** SHA-256 of the frozen content, printed so a signed scan can be matched to what was issued. */
	contentSha256: string | null;
	/**
	 * The signing copy for officials: agents' DNIs (agent id → DNI) beside their names. Absent in the public version,
	 * which carries names of agents acting in their role and organisations, never DNIs, phones or e-mails.
	 */
	dnis?: Map<number, string>;
	/** The audit chain's head recorded when it was issued (beside the content hash, not inside it). */
	anchor?: { seq: number; hash: string } | null;
	/** An earlier issued version taken back to draft (epoch ms): every page says it was withdrawn on that date. */
	withdrawnAt?: number | null;
	locale: 'es' | 'qu';
}

/**
 * The round's Acta de Acuerdos y Compromisos as a PDF in the language of `t`: prioritised projects with what the
 * participatory budget pays and each co-financing source, commitments per actor, the Comité de Vigilancia and
 * signature lines. The font is embedded (see pdf-font.ts).
 */
export async function actaPdf(c: ActaContent, t: TFunction, o: ActaPdfOptions): Promise<Buffer> {
	const doc = new PDFDocument({
		size: 'A4',
		margin: 56,
		bufferPages: true,
		lang: t('lang.code'),
		info: { Title: t('acta.pdf.docTitle', { year: c.round.fiscalYear }), Producer: 'Minka' }
	});
	registerFonts(doc);
	const left = 56;
	const width = doc.page.width - 112;
	const signing = Boolean(o.dnis);
	const dni = (agentId: number) => (o.dnis ? `${t('acta.pdf.dni')}: ${o.dnis.get(agentId) ?? '__________'}` : '');

	const heading = (text: string) => {
		if (doc.y > doc.page.height - 140) doc.addPage();
		doc
			.moveDown(0.8)
			.font('bold')
			.fontSize(12)
			.text(text, left, doc.y, { width })
			.font('body')
			.fontSize(10.5)
			.moveDown(0.2);
	};

	const title = o.locale === 'qu' && c.round.titleQu ? c.round.titleQu : c.round.titleEs;
	doc
		.font('bold')
		.fontSize(11)
		.text(
			t('acta.pdf.municipality', {
				name: c.municipality.name,
				kind: t(c.municipality.kind === 'provincial' ? 'acta.pdf.kindProvincial' : 'acta.pdf.kindDistrital')
			}),
			{ align: 'center' }
		);
	doc.moveDown(0.3).fontSize(14).text(t('acta.pdf.title'), { align: 'center' });
	doc
		.font('body')
		.fontSize(11)
		.text(t('acta.pdf.subtitle', { year: c.round.fiscalYear, title }), { align: 'center' });
	doc
		.moveDown(0.4)
		.fontSize(9)
		.fillColor('#444')
		.text(signing ? t('acta.pdf.signingCopy') : t('acta.pdf.publicCopy'), { align: 'center' })
		.fillColor('black');
	doc.fontSize(10.5).moveDown(0.8);

	doc.text(
		t('acta.pdf.opening', {
			place: c.place ?? '__________',
			date: c.signingDate ? formatDate(c.signingDate) : '__________',
			year: c.round.fiscalYear,
			name: c.municipality.name
		}),
		{ align: 'justify' }
	);

	heading(t('acta.pdf.projects'));
	for (const b of c.budgets) {
		doc
			.font('bold')
			.text(
				`${b.zoneName ?? t('acta.pdf.municipalWide')} — ${t('acta.pdf.budget', { amount: formatSoles(b.budgetCents) })}`
			)
			.font('body');
		if (!b.projects.length) doc.text(t('acta.pdf.none'), { indent: 8 });
		for (const p of b.projects) {
			if (doc.y > doc.page.height - 120) doc.addPage();
			doc
				.moveDown(0.2)
				.font('bold')
				.text(`${t('common.number', { n: p.seq })}. ${p.title}`, { indent: 8 })
				.font('body');
			doc.text(`${t('acta.pdf.ppAmount')}: ${formatSoles(p.costCents)}`, { indent: 20 });
			for (const f of p.cofinancing)
				doc.text(`${t('acta.pdf.cofinancing')}: ${f.source} — ${formatSoles(f.amountCents)}`, { indent: 20 });
			if (!p.cofinancing.length)
				doc.text(`${t('acta.pdf.cofinancing')}: ${t('acta.pdf.noCofinancing')}`, { indent: 20 });
			doc.text(`${t('acta.pdf.totalInvestment')}: ${formatSoles(p.totalCents)}`, { indent: 20 });
		}
		doc
			.moveDown(0.3)
			.text(t('acta.pdf.budgetTotals', { pp: formatSoles(b.ppCents), cof: formatSoles(b.cofinancingCents) }), {
				indent: 8
			})
			.moveDown(0.4);
	}
	doc
		.font('bold')
		.text(
			t('acta.pdf.totals', {
				pp: formatSoles(c.totals.ppCents),
				cof: formatSoles(c.totals.cofinancingCents),
				total: formatSoles(c.totals.totalCents)
			})
		)
		.font('body');
	doc
		.moveDown(0.3)
		.fontSize(9)
		.text(t('acta.pdf.resultRef', { version: c.result.version, hash: c.result.inputHash }))
		.fontSize(10.5);

	heading(t('acta.pdf.commitments'));
	if (!c.commitments.length) doc.text(t('acta.pdf.none'));
	c.commitments.forEach((k, i) => {
		if (doc.y > doc.page.height - 100) doc.addPage();
		doc
			.font('bold')
			.text(`${i + 1}. ${t(`acta.actors.${k.actorKind}`)} — ${k.actorName}`)
			.font('body')
			.text(k.text, { indent: 12 })
			.moveDown(0.2);
	});

	heading(t('acta.pdf.committee'));
	doc.text(t('acta.pdf.committeeIntro'));
	if (!c.committee.length) doc.text(t('acta.pdf.none'));
	for (const m of c.committee) {
		const extra = signing ? ` — ${dni(m.agentId)}` : '';
		doc.text(`• ${t(`acta.roles.${m.role}`)}: ${m.fullName} — ${m.organisation}${extra}`, { indent: 8 });
	}

	heading(t('acta.pdf.signatures'));
	const signers: [string, string, string][] = [
		['', t('acta.pdf.signMayor'), ''],
		['', t('acta.pdf.signPlanning'), '']
	];
	for (const s of c.signers) signers.push([s.fullName, s.organisation, signing ? dni(s.agentId) : t('acta.pdf.agent')]);
	const colW = (width - 24) / 2;
	for (let i = 0; i < signers.length; i += 2) {
		if (doc.y > doc.page.height - 140) doc.addPage();
		doc.moveDown(2.4);
		const y = doc.y;
		let bottom = y;
		for (let k = 0; k < 2 && i + k < signers.length; k++) {
			const x = left + k * (colW + 24);
			doc
				.moveTo(x, y)
				.lineTo(x + colW, y)
				.lineWidth(0.6)
				.stroke();
			doc.fontSize(9.5).text(signers[i + k][0] || ' ', x, y + 4, { width: colW, align: 'center' });
			doc.text(signers[i + k][1], x, doc.y, { width: colW, align: 'center' });
			if (signers[i + k][2]) doc.fontSize(8.5).text(signers[i + k][2], x, doc.y, { width: colW, align: 'center' });
			bottom = Math.max(bottom, doc.y);
		}
		doc.x = left;
		doc.y = bottom;
		doc.fontSize(10.5);
	}

	doc.moveDown(2).fontSize(8).fillColor('#555');
	doc.text(t('acta.pdf.footer', { date: formatDate(new Date()) }), left, doc.y, { width });
	if (o.contentSha256) doc.text(t('acta.pdf.contentHash', { hash: o.contentSha256 }), left, doc.y, { width });
	if (o.anchor) doc.text(t('audit.anchor.pdf', { anchor: `${o.anchor.seq}:${o.anchor.hash}` }), left, doc.y, { width });
	doc.fillColor('black');

	// Every page of a draft (or of a withdrawn version) says so (top margin), so a printed page cannot pass for the
	// acta in force.
	const banner = o.draft
		? t('acta.pdf.draft')
		: o.withdrawnAt
			? t('acta.pdf.withdrawn', { date: formatDate(new Date(o.withdrawnAt)) })
			: null;
	if (banner) {
		const range = doc.bufferedPageRange();
		for (let i = range.start; i < range.start + range.count; i++) {
			doc.switchToPage(i);
			doc
				.font('bold')
				.fontSize(9)
				.fillColor('#a40000')
				.text(banner, left, 24, { width, align: 'center', lineBreak: false });
			doc.fillColor('black');
		}
	}
	return pdfBuffer(doc);
}
