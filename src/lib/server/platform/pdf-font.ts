import { existsSync } from 'node:fs';

/**
 * A TrueType font with the Latin characters Spanish and Quechua need (ñ, á…ú, ü, ’, «»), embedded in every PDF.
 * MINKA_PDF_FONT / MINKA_PDF_FONT_BOLD override; otherwise Debian's Liberation Sans (package `fonts-liberation`,
 * pulled in by `chromium`) or DejaVu Sans (`fonts-dejavu-core`). Without any of them PDFs fall back to the built-in
 * Helvetica (WinAnsi covers Spanish and Quechua letters, but the font is then not embedded).
 */
const REGULAR = [
	'/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
	'/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
	'/usr/share/fonts/TTF/DejaVuSans.ttf',
	'/usr/share/fonts/dejavu/DejaVuSans.ttf'
];
const BOLD = [
	'/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
	'/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
	'/usr/share/fonts/TTF/DejaVuSans-Bold.ttf',
	'/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf'
];

export function pdfFonts(): { regular: string; bold: string } | null {
	const regular = [process.env.MINKA_PDF_FONT, ...REGULAR].find((p) => p && existsSync(p));
	const bold = [process.env.MINKA_PDF_FONT_BOLD, ...BOLD].find((p) => p && existsSync(p));
	if (!regular) return null;
	return { regular, bold: bold ?? regular };
}

/** Registers "body" and "bold" on a pdfkit document. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
	const f = pdfFonts();
	if (f) {
		doc.registerFont('body', f.regular);
		doc.registerFont('bold', f.bold);
	} else {
		doc.registerFont('body', 'Helvetica');
		doc.registerFont('bold', 'Helvetica-Bold');
	}
	doc.font('body');
}

export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		doc.end();
	});
}
