/** The smallest well-formed PDF (header, two objects, xref table, trailer, startxref, %%EOF) for upload tests. */
export function minimalPdf(note = ''): Buffer {
	const parts = [
		'%PDF-1.4\n',
		'1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n',
		'2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n',
		note ? `% ${note.replace(/[\r\n]/g, ' ')}\n` : ''
	];
	const body = parts.join('');
	const at = (i: number) => String(parts.slice(0, i).join('').length).padStart(10, '0');
	const xref = `xref\n0 3\n0000000000 65535 f \n${at(1)} 00000 n \n${at(2)} 00000 n \n`;
	return Buffer.from(`${body}${xref}trailer<</Size 3/Root 1 0 R>>\nstartxref\n${body.length}\n%%EOF\n`, 'latin1');
}
