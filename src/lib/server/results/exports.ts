import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { proposals, zones } from '../db/schema/index';
import type { Snapshot } from './read';
import { toCsv } from '../platform/csv';

/** CSV with a header row, through the one writer that neutralises formula cells. */
const csv = (header: string[], rows: (string | number | null)[][]) => toCsv(header, rows, { newline: '\n' });

export const RESULTS_COLUMNS = [
	'budget',
	'position',
	'proposal',
	'title',
	'cost_soles',
	'votes',
	'score',
	'selected',
	'running_total_soles'
];
export const PROPOSALS_COLUMNS = [
	'proposal',
	'title',
	'category',
	'zone',
	'estimated_cost_soles',
	'adjusted_cost_soles',
	'beneficiaries',
	'status',
	'investment_cui'
];

/** results.csv: one row per ranked project per budget. No personal data: proposal numbers, titles, money, counts. */
export function resultsCsv(snapshot: Snapshot): string {
	const rows = snapshot.parsed.budgets.flatMap((b) =>
		b.rows.map((r, i) => [
			b.zoneName ?? 'municipal',
			i + 1,
			r.seq,
			r.title,
			(r.costCents / 100).toFixed(2),
			r.votes,
			r.score,
			r.selected ? 1 : 0,
			(r.runningTotalCents / 100).toFixed(2)
		])
	);
	return csv(RESULTS_COLUMNS, rows);
}

/** The round's proposals as open-data records (one shape for proposals.csv and proposals.json); never the author. */
export function proposalRecords(db: Db, municipalityId: number, roundId: number) {
	return db
		.select({
			seq: proposals.seq,
			title: proposals.title,
			category: proposals.category,
			zone: zones.name,
			estimated: proposals.estimatedCostCents,
			adjusted: proposals.adjustedCostCents,
			beneficiaries: proposals.beneficiaries,
			status: proposals.status,
			investmentCui: proposals.investmentCui
		})
		.from(proposals)
		.leftJoin(zones, eq(proposals.zoneId, zones.id))
		.where(and(eq(proposals.municipalityId, municipalityId), eq(proposals.roundId, roundId)))
		.orderBy(asc(proposals.seq))
		.all()
		.map((r) => ({
			proposal: r.seq,
			title: r.title,
			category: r.category,
			zone: r.zone ?? 'municipal',
			estimated_cost_soles: (r.estimated / 100).toFixed(2),
			adjusted_cost_soles: r.adjusted === null ? null : (r.adjusted / 100).toFixed(2),
			beneficiaries: r.beneficiaries,
			status: r.status,
			investment_cui: r.investmentCui
		}));
}

/** proposals.csv: every proposal of the round with its outcome; never the author. */
export function proposalsCsv(db: Db, municipalityId: number, roundId: number): string {
	const rows = proposalRecords(db, municipalityId, roundId);
	return csv(
		PROPOSALS_COLUMNS,
		rows.map((r) => PROPOSALS_COLUMNS.map((c) => r[c as keyof typeof r]))
	);
}

/** proposals.json: the same records as proposals.csv, with the licence and the municipality. */
export function proposalsJson(db: Db, m: { id: number; ubigeo: string; name: string }, roundId: number): string {
	return (
		JSON.stringify(
			{
				licence: 'CC BY 4.0',
				municipality: { ubigeo: m.ubigeo, name: m.name },
				roundId,
				columns: PROPOSALS_COLUMNS,
				proposals: proposalRecords(db, m.id, roundId)
			},
			null,
			1
		) + '\n'
	);
}
