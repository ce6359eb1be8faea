import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { observationAttachment } from '$lib/server/execution';
import { streamUpload } from '$lib/server/platform/uploads';
import { idParam } from '$lib/server/http';

/** An observation's attachment (re-encoded photo or checked PDF). Public, like the observation. */
export const GET: RequestHandler = (event) => {
	const m = event.locals.municipality;
	const a = m
		? observationAttachment(event.locals.db, m.id, idParam(event.params.roundId), idParam(event.params.observationId))
		: undefined;
	const res =
		a?.path && a.mime
			? streamUpload(a.path, a.mime, `observacion-${a.seq}.${a.mime === 'application/pdf' ? 'pdf' : 'jpg'}`)
			: null;
	if (!res) error(404, event.locals.t('errors.notFound'));
	return res;
};
