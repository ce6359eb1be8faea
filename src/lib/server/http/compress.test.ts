import { describe, it, expect } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compressResponse } from './compress';

const html = '<!doctype html><p>' + 'Presupuesto participativo '.repeat(200) + '</p>';
const req = (enc: string) => new Request('http://x/', { headers: { 'accept-encoding': enc } });
const res = () => new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });

describe('compressResponse', () => {
	it('brotli when accepted, gzip otherwise, identity when neither', async () => {
		const br = await compressResponse(req('gzip, deflate, br'), res());
		expect(br.headers.get('content-encoding')).toBe('br');
		expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(html);
		const gz = await compressResponse(req('gzip'), res());
		expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(html);
		const plain = await compressResponse(req(''), res());
		expect(plain.headers.get('content-encoding')).toBeNull();
		expect(await plain.text()).toBe(html);
	});
	it('leaves binary and already-encoded bodies alone', async () => {
		const img = new Response(new Uint8Array(5000), { headers: { 'content-type': 'image/png' } });
		expect((await compressResponse(req('br'), img)).headers.get('content-encoding')).toBeNull();
	});
	it('passes a no-transform response through untouched (a long stream is not read whole into memory)', async () => {
		const stream = new Response(html, {
			headers: { 'content-type': 'application/json', 'cache-control': 'no-transform' }
		});
		const out = await compressResponse(req('br, gzip'), stream);
		expect(out).toBe(stream);
		expect(out.headers.get('content-encoding')).toBeNull();
	});
});
