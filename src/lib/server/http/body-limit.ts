import { error } from '@sveltejs/kit';
import { bodyLimit, declaredTooLarge } from '../../domain/body-limits';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** Marks an overflow seen while counting a body without Content-Length. */
class BodyTooLarge extends Error {
	status = 413;
}

/** A copy of `body` that errors once more than `limit` bytes have gone through it. */
function limited(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
	let seen = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) controller.error(new BodyTooLarge('body over the route limit'));
				else controller.enqueue(chunk);
			}
		})
	);
}

/**
 * Every form read goes through here (hooks.server.ts): the body must fit the route's limit
 * (domain/body-limits.ts) — refused before a byte is read when Content-Length says it is too big, and cut off while
 * read otherwise — and a body that cannot be parsed is the sender's fault. Both become translated pages (413, 400),
 * never a 500.
 */
export function guardRequestBody(request: Request, pathname: string, t: Translate) {
	const limit = bodyLimit(pathname);
	const declaredOver = declaredTooLarge(pathname, request.headers.get('content-length'));
	const counted = request.headers.get('content-length') === null && request.body !== null;
	const parse = request.formData.bind(request);
	request.formData = async () => {
		if (declaredOver) error(413, t('errors.tooLarge'));
		try {
			if (counted) {
				const type = request.headers.get('content-type') ?? '';
				return await new Response(limited(request.body!, limit), { headers: { 'content-type': type } }).formData();
			}
			return await parse();
		} catch (e) {
			if (e instanceof BodyTooLarge || (e as { cause?: unknown })?.cause instanceof BodyTooLarge)
				error(413, t('errors.tooLarge'));
			const status = (e as { status?: number })?.status;
			if (status === 413) error(413, t('errors.tooLarge'));
			error(400, t('errors.badRequest'));
		}
	};
	// Other ways of reading the body are refused the same way before anything is read.
	if (declaredOver)
		for (const read of ['arrayBuffer', 'text', 'json', 'blob', 'bytes'] as const)
			if (read in request)
				(request as unknown as Record<string, () => Promise<never>>)[read] = async () =>
					error(413, t('errors.tooLarge'));
}
