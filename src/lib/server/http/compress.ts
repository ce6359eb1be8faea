import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

/**
 * Compresses a server-rendered response (HTML, JSON, text) for clients that accept it. adapter-node serves the
 * precompressed static assets itself; this covers the pages rendered per request, which matter most on a slow
 * mobile link (the ballot page). To use: in hooks.server.ts, `return compressResponse(event.request, response)`.
 * A response marked `cache-control: no-transform` is passed through as it is: a long stream (the audit export) would
 * otherwise be read whole into memory and compressed in one blocking call.
 */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml))/;

export async function compressResponse(request: Request, response: Response): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	if (
		!response.body ||
		response.headers.has('content-encoding') ||
		/\bno-transform\b/.test(response.headers.get('cache-control') ?? '') ||
		!COMPRESSIBLE.test(type) ||
		response.status === 204 ||
		response.status === 304
	)
		return response;
	const accept = request.headers.get('accept-encoding') ?? '';
	const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
	if (!encoding) return response;
	const body = Buffer.from(await response.arrayBuffer());
	const headers = new Headers(response.headers);
	headers.append('vary', 'accept-encoding');
	if (body.length < 1024)
		return new Response(body, { status: response.status, statusText: response.statusText, headers });
	const out =
		encoding === 'br'
			? brotliCompressSync(body, {
					params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length }
				})
			: gzipSync(body, { level: 6 });
	headers.set('content-encoding', encoding);
	headers.set('content-length', String(out.length));
	return new Response(out, { status: response.status, statusText: response.statusText, headers });
}
