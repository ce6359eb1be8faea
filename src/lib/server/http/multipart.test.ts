/**
 * Issue 13 point 5: the census upload is read as it arrives (busboy), the file written to disk a chunk at a time
 * with its own size limit, the form's other fields kept; never `request.formData()`'s two whole copies.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainBody, isMultipart, readMultipart } from './multipart';

const dir = mkdtempSync(join(tmpdir(), 'minka-multipart-'));

/** A POST as the browser sends the census form (multipart, the boundary chosen by the Request). */
function post(parts: Record<string, string | File>) {
	const form = new FormData();
	for (const [k, v] of Object.entries(parts)) form.append(k, v);
	return new Request('http://localhost/x/admin/census?/import', { method: 'POST', body: form });
}

describe('readMultipart', () => {
	it('writes the file to disk as it arrives and keeps the other fields', async () => {
		const text = 'dni;fecha_nacimiento\n' + '40000000;01/01/1980\n'.repeat(50_000); // about 1 MB
		const request = post({ extra: 'kept', file: new File([text], 'padron.csv', { type: 'text/csv' }) });
		expect(isMultipart(request)).toBe(true);
		const to = join(dir, 'a.upload');
		const form = await readMultipart(request, { file: { field: 'file', to, maxBytes: 2_000_000 }, maxFieldBytes: 100 });
		expect(form.fields).toEqual({ extra: 'kept' });
		expect(form.file).toMatchObject({ size: Buffer.byteLength(text), truncated: false, bytes: null });
		expect(readFileSync(to, 'utf8')).toBe(text);
	});

	it('cuts a file past its limit and says so', async () => {
		const to = join(dir, 'b.upload');
		const form = await readMultipart(post({ file: new File(['x'.repeat(5000)], 'big.csv') }), {
			file: { field: 'file', to, maxBytes: 1000 },
			maxFieldBytes: 100
		});
		expect(form.file).toMatchObject({ size: 1000, truncated: true });
	});

	it('an empty file input is no file (and leaves nothing on disk); the text carried from the preview is a field', async () => {
		const to = join(dir, 'c.upload');
		const form = await readMultipart(post({ csv: 'dni,fecha_nacimiento', file: new File([], '') }), {
			file: { field: 'file', to, maxBytes: 1000 },
			maxFieldBytes: 100
		});
		expect(form.file).toBeNull();
		expect(existsSync(to)).toBe(false);
		expect(form.fields.csv).toBe('dni,fecha_nacimiento');
		const long = await readMultipart(post({ csv: 'y'.repeat(500) }), {
			file: { field: 'file', to, maxBytes: 1000 },
			maxFieldBytes: 100
		});
		expect(long.truncatedFields).toEqual(['csv']);
	});

	it('keeps a small file in memory when asked (the preview)', async () => {
		const form = await readMultipart(post({ file: new File(['abc'], 'p.csv') }), {
			file: { field: 'file', to: 'memory', maxBytes: 10 },
			maxFieldBytes: 100
		});
		expect(Buffer.from(form.file!.bytes!).toString()).toBe('abc');
	});

	it('a malformed body is refused and its partial file removed', async () => {
		const to = join(dir, 'd.upload');
		const body = '--b\r\ncontent-disposition: form-data; name="file"; filename="x.csv"\r\n\r\nhalf a file';
		const request = new Request('http://localhost/', {
			method: 'POST',
			body,
			headers: { 'content-type': 'multipart/form-data; boundary=b' }
		});
		await expect(
			readMultipart(request, { file: { field: 'file', to, maxBytes: 1000 }, maxFieldBytes: 100 })
		).rejects.toThrow();
		expect(existsSync(to)).toBe(false);
	});

	it('drains a body it will not use', async () => {
		const request = post({ file: new File(['z'.repeat(100_000)], 'x.csv') });
		await drainBody(request);
		expect(request.bodyUsed).toBe(true);
	});
});
