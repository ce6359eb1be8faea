import type { PageServerLoad } from './$types';
import { listRounds } from '$lib/server/rounds';

export const load: PageServerLoad = ({ locals }) => ({ rounds: listRounds(locals.db, locals.municipality!.id) });
