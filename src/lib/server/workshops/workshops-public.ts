import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { workshops } from '../db/schema/index';
import { findRound } from '../rounds';
import { workshopDetail } from './workshops';

/**
 * The public record of a round's workshops: date, time, place, kind, participation figures (by gender, language,
 * zone) and the agentes participantes who came, with their organisation — they act in a public role, as in the
 * public agents register. Other residents appear only as counts: their names never leave this function.
 */
export function publicRoundWorkshops(db: Db, municipalityId: number, roundId: number) {
	const round = findRound(db, municipalityId, roundId);
	const rows = db
		.select({ id: workshops.id })
		.from(workshops)
		.where(and(eq(workshops.municipalityId, municipalityId), eq(workshops.roundId, round.id)))
		.orderBy(asc(workshops.date), asc(workshops.startsAt), asc(workshops.id))
		.all();
	const list = rows.map(({ id }) => {
		const d = workshopDetail(db, municipalityId, id);
		const w = d.workshop;
		return {
			id: w.id,
			kind: w.kind,
			title: w.title,
			date: w.date,
			startsAt: w.startsAt,
			place: w.place,
			stats: d.stats,
			agentsPresent: d.agents
				.filter((a) => a.attendance)
				.map((a) => ({ fullName: a.fullName, organisation: a.organisation, hasVote: a.hasVote }))
		};
	});
	return {
		round: { id: round.id, fiscalYear: round.fiscalYear, titleEs: round.titleEs, titleQu: round.titleQu },
		workshops: list,
		totalAttendances: list.reduce((s, w) => s + w.stats.total, 0)
	};
}
