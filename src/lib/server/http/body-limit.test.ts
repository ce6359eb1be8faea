import { describe, it, expect } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { guardRequestBody } from './body-limit';

const MB = 1024 * 1024;
const t = (key: string) => `«${key}»`;
const ORIGIN = 'http://localhost';

async function statusOf(p: Promise<unknown>): Promise<number | 'ok'> {
	try {
		await p;
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) {
			expect(e.body.message).toMatch(/^«errors\./);
			return e.status;
		}
		throw e;
	}
}

const form = (path: string, bytes: number, headers: Record<string, string> = {}) => {
	const body = new URLSearchParams({ identifier: 'a'.repeat(bytes) }).toString();
	const req = new Request(ORIGIN + path, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			'content-length': String(body.length),
			...headers
		},
		body
	});
	guardRequestBody(req, path, t);
	return req;
};

/** A body sent in chunks with no Content-Length (as a chunked upload arrives). */
const chunked = (path: string, bytes: number) => {
	let sent = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (sent === 0) controller.enqueue(new TextEncoder().encode('identifier='));
			if (sent >= bytes) return controller.close();
			const n = Math.min(256 * 1024, bytes - sent);
			controller.enqueue(new Uint8Array(n).fill(97));
			sent += n;
		}
	});
	const req = new Request(ORIGIN + path, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: stream,
		// @ts-expect-error Node's fetch needs it for a streamed body
		duplex: 'half'
	});
	guardRequestBody(req, path, t);
	return { req, read: () => sent };
};

describe('the per-route body limit (hooks.server.ts)', () => {
	it('refuses an ordinary form over 1 MB with a translated 413, before reading it', async () => {
		const req = form('/cusco/login', 2 * MB);
		expect(await statusOf(req.formData())).toBe(413);
		expect(req.bodyUsed).toBe(false);
		expect(await statusOf(req.arrayBuffer())).toBe(413);
		expect(await statusOf(req.text())).toBe(413);
	});

	it('lets the same body through where the route allows it (census, photos, documents)', async () => {
		for (const path of ['/cusco/admin/census', '/cusco/rounds/3/propose', '/cusco/admin/rounds/3/acta']) {
			const f = await form(path, 2 * MB).formData();
			expect(String(f.get('identifier')).length, path).toBe(2 * MB);
		}
		expect(String((await form('/cusco/login', 1000).formData()).get('identifier'))).toHaveLength(1000);
	});

	it('cuts off a body without Content-Length once it passes the limit', async () => {
		const big = chunked('/cusco/login', 8 * MB);
		expect(await statusOf(big.req.formData())).toBe(413);
		expect(big.read()).toBeLessThan(3 * MB);
		const fits = chunked('/cusco/admin/rounds/3/acta', 2 * MB);
		expect(String((await fits.req.formData()).get('identifier'))).toHaveLength(2 * MB);
	});

	it('keeps answering a broken body with a translated 400', async () => {
		const path = '/cusco/login';
		const req = new Request(ORIGIN + path, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
			body: '--xyz\r\nContent-Disposition: form-data; name="identifier"\r\n\r\n7000'
		});
		guardRequestBody(req, path, t);
		expect(await statusOf(req.formData())).toBe(400);
	});
});
