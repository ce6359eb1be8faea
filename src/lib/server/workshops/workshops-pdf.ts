import PDFDocument from 'pdfkit';
import type { TFunction } from 'i18next';
import { formatDate, formatDateTime } from '../../i18n/format';
import type { Db } from '../db/client';
import { workshopDetail } from './workshops';
import { pdfBuffer, registerFonts } from '../platform/pdf-font';

/**
 * The workshop's attendance sheet (hoja de asistencia): everyone checked in, agents first, with organisation and a
 * signature column, then empty numbered rows for late arrivals to sign on paper.
 */
export async function attendanceSheetPdf(
	db: Db,
	municipalityId: number,
	municipalityName: string,
	workshopId: number,
	t: TFunction
): Promise<Buffer> {
	const d = workshopDetail(db, municipalityId, workshopId);
	const w = d.workshop;
	const doc = new PDFDocument({
		size: 'A4',
		margin: 40,
		lang: t('lang.code'),
		info: { Title: `${w.title} ${w.date}`, Producer: 'Minka' }
	});
	registerFonts(doc);
	doc.font('bold').fontSize(11).text(municipalityName, { align: 'center' });
	doc.fontSize(13).text(t('workshops.sheet.title'), { align: 'center' });
	doc.font('body').fontSize(10).moveDown(0.5);
	doc.text(`${t(`workshops.kinds.${w.kind}`)}: ${w.title}`);
	doc.text(
		`${t('workshops.sheet.round')}: ${t('lang.code') === 'qu' && d.round.titleQu ? d.round.titleQu : d.round.titleEs} (${d.round.fiscalYear})`
	);
	doc.text(`${t('fields.workshopDate')}: ${formatDate(w.date)} · ${w.startsAt} · ${w.place}`);
	doc.moveDown(0.6);

	const cols = [
		{ label: t('common.numberHeader'), w: 28 },
		{ label: t('workshops.sheet.name'), w: 170 },
		{ label: t('workshops.sheet.organisation'), w: 140 },
		{ label: t('workshops.sheet.arrived'), w: 70 },
		{ label: t('workshops.sheet.signature'), w: 107 }
	];
	const rowH = 24;
	const x0 = 40;
	const row = (cells: string[], bold = false) => {
		if (doc.y + rowH > doc.page.height - 60) doc.addPage();
		const y = doc.y;
		let x = x0;
		doc.font(bold ? 'bold' : 'body').fontSize(8.5);
		cells.forEach((c, i) => {
			doc.rect(x, y, cols[i].w, rowH).lineWidth(0.5).stroke();
			doc.text(c, x + 3, y + 4, { width: cols[i].w - 6, height: rowH - 4, ellipsis: true });
			x += cols[i].w;
		});
		doc.x = x0;
		doc.y = y + rowH;
	};
	row(
		cols.map((c) => c.label),
		true
	);
	let n = 0;
	for (const a of d.agents.filter((x) => x.attendance))
		row([
			String(++n),
			a.fullName,
			`${a.organisation}${a.hasVote ? '' : ` (${t('workshops.noVote')})`}`,
			formatDateTime(a.attendance!.checkedInAt).split(', ').pop() ?? '',
			''
		]);
	for (const o of d.others)
		row([String(++n), o.fullName, t('workshops.resident'), formatDateTime(o.checkedInAt).split(', ').pop() ?? '', '']);
	for (let i = 0; i < 8; i++) row([String(++n), '', '', '', '']);

	doc
		.moveDown(1)
		.font('body')
		.fontSize(9)
		.text(
			t('workshops.sheet.summary', {
				total: d.stats.total,
				agents: d.stats.agents,
				registered: d.agents.length,
				others: d.stats.others
			})
		);
	doc
		.moveDown(0.5)
		.fontSize(7.5)
		.fillColor('#555')
		.text(t('workshops.sheet.footer', { date: formatDate(new Date()) }));
	return pdfBuffer(doc);
}
