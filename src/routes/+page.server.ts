import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { listMunicipalities } from '$lib/server/municipalities';

export const load: PageServerLoad = ({ locals }) => {
	const all = listMunicipalities(locals.db);
	if (all.length === 0) redirect(303, '/setup');
	if (all.length === 1) redirect(303, `/${all[0].slug}`);
	return { municipalities: all.map((m) => ({ slug: m.slug, name: m.name, department: m.department })) };
};
