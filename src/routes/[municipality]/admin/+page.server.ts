import type { PageServerLoad } from './$types';
import { handoverNotice, requireActor } from '$lib/server/http';
import { can } from '$lib/server/platform/policy';
import { censusSize, verifiedResidentCount } from '$lib/server/residents';
import { listZones } from '$lib/server/municipalities';
import { openRoundsNextSteps } from '$lib/server/rounds';

export const load: PageServerLoad = (event) => {
	const actor = requireActor(event, 'admin.access');
	const m = event.locals.municipality!;
	const links = (
		[
			['rounds', 'admin.access'],
			['council', 'council.manage'],
			['workshops', 'workshops.manage'],
			['handover', 'roles.manage'],
			['zones', 'zones.manage'],
			['census', 'census.import'],
			['residents', 'residents.view'],
			['roles', 'roles.manage'],
			['settings', 'municipality.settings']
		] as const
	)
		.filter(([, action]) => can(actor, action, m.id))
		.map(([slug]) => slug);
	return {
		links,
		handover: handoverNotice(event.url),
		// Each open round's next step, from its checklist.
		nextSteps: openRoundsNextSteps(event.locals.db, m.id).map((x) => ({
			id: x.round.id,
			title: event.locals.locale === 'qu' && x.round.titleQu ? x.round.titleQu : x.round.titleEs,
			phase: x.round.phase,
			to: x.to,
			first: x.first,
			missingRoles: x.missingRoles
		})),
		stats: {
			zones: listZones(event.locals.db, m.id).length,
			census: censusSize(event.locals.db, m.id),
			verified: verifiedResidentCount(event.locals.db, m.id)
		}
	};
};
