/**
 * Reads a multipart form (multipart/form-data) from the request's body as it arrives, with busboy: the one file
 * field goes a chunk at a time to a file on disk (or to memory, for a small one), the other fields are kept as text.
 * `request.formData()` held the whole body and then copied the file once more: for a 35 MB census upload that was
 * two 35 MB copies made on the server's only thread (43–81 ms idle, 165–454 ms under load, bench:census).
 *
 * Why busboy: the streaming multipart parser most Node servers use (it underlies multer and fastify's), small (one
 * dependency, streamsearch), kept, with its own size limits; writing a multipart parser ourselves was the
 * alternative.
 */
import busboy from 'busboy';
import { createWriteStream, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { ReadableStream as WebStream } from 'node:stream/web';

export interface MultipartFile {
	/** Bytes received (at most maxBytes). */
	size: number;
	/** More bytes were sent than maxBytes allows: what was kept is incomplete. */
	truncated: boolean;
	/** When `to` was 'memory': the bytes. */
	bytes: Uint8Array | null;
}

export interface MultipartOptions {
	/** The file field read, and where its bytes go: a path (created with mode 0600) or 'memory'. */
	file: { field: string; to: string | 'memory'; maxBytes: number };
	/** Largest text field accepted (longer ones are cut and reported in `truncatedFields`). */
	maxFieldBytes: number;
}

export const isMultipart = (request: Request) =>
	(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');

/**
 * Reads a body that will not be used to its end, keeping none of it: answering a refusal while the browser is still
 * sending a 35 MB upload would reset its connection, and it would show a network error instead of the page.
 */
export async function drainBody(request: Request): Promise<void> {
	if (!request.body || request.bodyUsed) return;
	const reader = request.body.getReader();
	while (!(await reader.read()).done) {
		/* dropped */
	}
}

/**
 * Streams the request's multipart body: text fields in `fields`, the chosen file in `file` (null when the form sent
 * none, or an empty one; an empty file written to disk is removed). Other file fields are read past and dropped.
 * Rejects on a malformed body; a file written to `to` is then removed.
 */
export async function readMultipart(
	request: Request,
	options: MultipartOptions
): Promise<{ fields: Record<string, string>; truncatedFields: string[]; file: MultipartFile | null }> {
	if (!request.body) throw new Error('multipart: no body');
	const fields: Record<string, string> = {};
	const truncatedFields: string[] = [];
	let file: MultipartFile | null = null;
	let writing: Promise<void> | null = null;
	const { field, to, maxBytes } = options.file;
	const parser = busboy({
		headers: Object.fromEntries(request.headers),
		limits: { fileSize: maxBytes, files: 4, fields: 20, fieldSize: options.maxFieldBytes, parts: 24 }
	});
	const done = new Promise<void>((resolve, reject) => {
		parser.on('field', (name, value, info) => {
			fields[name] = value;
			if (info.valueTruncated) truncatedFields.push(name);
		});
		parser.on('file', (name, stream) => {
			if (name !== field || file) {
				stream.resume();
				return;
			}
			const got: MultipartFile = (file = { size: 0, truncated: false, bytes: null });
			stream.on('limit', () => (got.truncated = true));
			stream.on('data', (chunk: Buffer) => (got.size += chunk.length));
			if (to === 'memory') {
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				writing = finished(stream).then(() => {
					got.bytes = new Uint8Array(Buffer.concat(chunks));
				});
			} else writing = pipeline(stream, createWriteStream(to, { mode: 0o600 }));
			// a broken body fails `done` too, which is what is awaited first
			writing.catch(() => {});
		});
		parser.on('close', resolve);
		parser.on('error', reject);
	});
	const body = Readable.fromWeb(request.body as WebStream);
	body.on('error', (e) => parser.destroy(e));
	body.pipe(parser);
	try {
		await done;
		await writing;
	} catch (e) {
		if (to !== 'memory') rmSync(to, { force: true });
		throw e;
	}
	const chosen = file as MultipartFile | null;
	if (chosen && chosen.size === 0) {
		// a form whose file input was left empty still sends the part, with no bytes
		if (to !== 'memory') rmSync(to, { force: true });
		return { fields, truncatedFields, file: null };
	}
	return { fields, truncatedFields, file: chosen };
}
