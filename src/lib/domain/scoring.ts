/**
 * Scoring matrix (prioritisation criteria) and the ranking by criteria score. Pure and exact: weights are
 * read as hundredths (1.5 → 150) and means are compared as fractions, so anyone re-running it gets the same order.
 */
import type { CriterionBand, CriterionKind, CriterionMeasure } from './round-rules';

export interface CriterionDef {
	id: number;
	code: string;
	kind: CriterionKind;
	measure: CriterionMeasure;
	weight: number;
	bands: CriterionBand[];
}

export interface ScoreRow {
	proposalId: number;
	criterionId: number;
	/** 'workshop', 'agent:<id>' or 'technical:<userId>'. */
	scorerKey: string;
	advisory: boolean;
	value: number;
}

export interface ProposalForRanking {
	id: number;
	/** Number within the round: the earlier proposal wins a tie after cost. */
	seq: number;
	/** Adjusted cost when the technical team set one, else the estimate. */
	costCents: number;
}

export interface ProposalScore {
	proposalId: number;
	/** Number of scorers whose scores make the aggregate (the workshop counts as one). */
	scorers: number;
	/** 'workshop' when the agreed workshop scores are used, 'agents' for the mean of agents' own scores. */
	source: 'workshop' | 'agents' | 'none';
	/** Sum over scorers of their weighted totals, in hundredths of a point. */
	totalHundredths: number;
	/** Mean weighted score in points (totalHundredths / scorers / 100), for display. */
	mean: number;
	/** false when a gate criterion was judged not met (by the workshop, or by a majority of agents). */
	gatesPassed: boolean;
	/** Per criterion: mean value (before weight) across the scorers. */
	perCriterion: Record<number, number>;
}

export const weightHundredths = (w: number) => Math.round(w * 100);

/** Largest weighted total one scorer can give, in points. */
export function maxScore(criteria: CriterionDef[]): number {
	return criteria
		.filter((c) => c.kind === 'points')
		.reduce((s, c) => s + (weightHundredths(c.weight) * Math.max(0, ...c.bands.map((b) => b.points))) / 100, 0);
}

/** Points for a measured criterion: the highest band whose `min` the value reaches (bands need not be sorted). */
export function bandPoints(criterion: Pick<CriterionDef, 'bands'>, measured: number): number {
	let best: CriterionBand | undefined;
	for (const b of criterion.bands)
		if (b.min !== undefined && measured >= b.min && (!best || b.min > (best.min ?? -Infinity))) best = b;
	return best?.points ?? 0;
}

/** Is `value` a legal entry for this criterion? (gate: 0/1; points: one of the bands' points) */
export function isValidValue(c: Pick<CriterionDef, 'kind' | 'bands'>, value: number): boolean {
	if (!Number.isInteger(value)) return false;
	if (c.kind === 'gate') return value === 0 || value === 1;
	return c.bands.some((b) => b.points === value);
}

/** Aggregates the non-advisory scores of each proposal: workshop scores when present, else the mean of the agents'. */
export function aggregateScores(
	criteria: CriterionDef[],
	rows: ScoreRow[],
	proposalIds: number[]
): Map<number, ProposalScore> {
	const byId = new Map(criteria.map((c) => [c.id, c]));
	const out = new Map<number, ProposalScore>();
	for (const pid of proposalIds) {
		const mine = rows.filter((r) => r.proposalId === pid && !r.advisory && byId.has(r.criterionId));
		const workshop = mine.filter((r) => r.scorerKey === 'workshop');
		const used = workshop.length > 0 ? workshop : mine;
		const scorers = [...new Set(used.map((r) => r.scorerKey))];
		let total = 0;
		const perCriterionSum = new Map<number, number>();
		const gateNo = new Map<number, number>();
		for (const r of used) {
			const c = byId.get(r.criterionId)!;
			perCriterionSum.set(c.id, (perCriterionSum.get(c.id) ?? 0) + r.value);
			if (c.kind === 'points') total += r.value * weightHundredths(c.weight);
			else if (r.value === 0) gateNo.set(c.id, (gateNo.get(c.id) ?? 0) + 1);
		}
		// A gate fails when at least half of the scorers judged it not met (the workshop alone decides its own).
		const gatesPassed = [...gateNo.values()].every((no) => no * 2 < scorers.length);
		const perCriterion: Record<number, number> = {};
		for (const [cid, sum] of perCriterionSum) perCriterion[cid] = scorers.length ? sum / scorers.length : 0;
		out.set(pid, {
			proposalId: pid,
			scorers: scorers.length,
			source: scorers.length === 0 ? 'none' : workshop.length > 0 ? 'workshop' : 'agents',
			totalHundredths: total,
			mean: scorers.length ? total / scorers.length / 100 : 0,
			gatesPassed,
			perCriterion
		});
	}
	return out;
}

export interface RankedProposal extends ProposalScore {
	rank: number;
	seq: number;
	costCents: number;
}

/**
 * Ranking by criteria score: proposals passing every gate and with scores first, by mean score (exact, as a
 * fraction) descending; ties by lower cost, then the earlier proposal. Gate failures and unscored proposals follow,
 * unranked (rank 0), in proposal order.
 */
export function rankByScore(criteria: CriterionDef[], rows: ScoreRow[], props: ProposalForRanking[]): RankedProposal[] {
	const agg = aggregateScores(
		criteria,
		rows,
		props.map((p) => p.id)
	);
	const all = props.map((p) => ({ ...agg.get(p.id)!, seq: p.seq, costCents: p.costCents, rank: 0 }));
	const rankable = all.filter((r) => r.gatesPassed && r.scorers > 0);
	const rest = all.filter((r) => !(r.gatesPassed && r.scorers > 0)).sort((a, b) => a.seq - b.seq);
	rankable.sort((a, b) => compareMeans(b, a) || a.costCents - b.costCents || a.seq - b.seq);
	rankable.forEach((r, i) => (r.rank = i + 1));
	return [...rankable, ...rest];
}

/** Compares a.total/a.scorers with b.total/b.scorers exactly (integers, cross-multiplied). */
function compareMeans(a: ProposalScore, b: ProposalScore): number {
	const l = BigInt(a.totalHundredths) * BigInt(b.scorers);
	const r = BigInt(b.totalHundredths) * BigInt(a.scorers);
	return l === r ? 0 : l < r ? -1 : 1;
}

export type MatrixCheck = { ok: true } | { ok: false; error: string; params?: Record<string, string | number> };

export interface CriterionInput {
	code: string;
	nameEs: string;
	nameQu: string | null;
	kind: CriterionKind;
	measure: CriterionMeasure;
	weight: number;
	bands: CriterionBand[];
}

/** Checks a matrix an official edited. Error codes live under `errors.matrix.*`. */
export function validateMatrix(criteria: CriterionInput[]): MatrixCheck {
	if (!criteria.some((c) => c.kind === 'points')) return { ok: false, error: 'matrix.noPoints' };
	const codes = new Set<string>();
	for (const c of criteria) {
		if (!/^[a-z0-9_]{1,30}$/.test(c.code)) return { ok: false, error: 'matrix.code', params: { code: c.code } };
		if (codes.has(c.code)) return { ok: false, error: 'matrix.duplicate', params: { code: c.code } };
		codes.add(c.code);
		if (!c.nameEs.trim()) return { ok: false, error: 'matrix.name', params: { code: c.code } };
		if (!(c.weight > 0 && c.weight <= 10) || Math.abs(weightHundredths(c.weight) - c.weight * 100) > 1e-6)
			return { ok: false, error: 'matrix.weight', params: { code: c.code } };
		if (c.kind === 'points') {
			if (c.bands.length === 0) return { ok: false, error: 'matrix.noBands', params: { code: c.code } };
			for (const b of c.bands) {
				if (!Number.isInteger(b.points) || b.points < 0 || b.points > 1000)
					return { ok: false, error: 'matrix.bandPoints', params: { code: c.code } };
				if (c.measure !== 'judgement' && (b.min === undefined || !Number.isFinite(b.min) || b.min < 0))
					return { ok: false, error: 'matrix.bandMin', params: { code: c.code } };
			}
			if (new Set(c.bands.map((b) => b.points)).size !== c.bands.length)
				return { ok: false, error: 'matrix.bandDuplicate', params: { code: c.code } };
		}
	}
	return { ok: true };
}

/** A sensible starting matrix (officials edit it): one gate and five points criteria, 100 points at most. */
export function defaultMatrix(): CriterionInput[] {
	const j = (bands: [string, string, number][]): CriterionBand[] =>
		bands.map(([labelEs, labelQu, points]) => ({ labelEs, labelQu, points }));
	return [
		{
			code: 'competence',
			nameEs: 'Dentro de la competencia municipal',
			nameQu: 'Municipalidadpa ruranan ukhupi',
			kind: 'gate',
			measure: 'judgement',
			weight: 1,
			bands: []
		},
		{
			code: 'poverty_gap',
			nameEs: 'Brecha de pobreza de la zona',
			nameQu: 'Suyupi wakcha kaypa hatun kaynin',
			kind: 'points',
			measure: 'judgement',
			weight: 1,
			bands: j([
				['Alta', 'Hatun', 25],
				['Media', 'Chawpi', 15],
				['Baja', "Huch'uy", 5]
			])
		},
		{
			code: 'population',
			nameEs: 'Población beneficiada',
			nameQu: 'Allinta chaskiq runakuna',
			kind: 'points',
			measure: 'beneficiaries',
			weight: 1,
			bands: [
				{ labelEs: '1 000 o más', labelQu: '1 000 aswantaq', min: 1000, points: 20 },
				{ labelEs: '500 a 999', labelQu: '500 manta 999 kama', min: 500, points: 15 },
				{ labelEs: '100 a 499', labelQu: '100 manta 499 kama', min: 100, points: 10 },
				{ labelEs: 'Menos de 100', labelQu: '100 manta pisi', min: 0, points: 5 }
			]
		},
		{
			code: 'basic_services',
			nameEs: 'Acceso a servicios básicos',
			nameQu: 'Servicios básicos nisqaman haykuy',
			kind: 'points',
			measure: 'judgement',
			weight: 1,
			bands: j([
				['Cierra una brecha de agua, saneamiento o electricidad', "Yaku, desagüe utaq luz pisiqta hunt'an", 25],
				['Mejora un servicio existente', 'Kaqña servicio nisqata allinchan', 10],
				['No se relaciona', 'Mana tupanchu', 0]
			])
		},
		{
			code: 'cofinancing',
			nameEs: 'Cofinanciamiento',
			nameQu: 'Kuska qullqichay',
			kind: 'points',
			measure: 'judgement',
			weight: 1,
			bands: j([
				['Aporte de la población u otra entidad de 20 % o más', 'Llaqta utaq huk entidad 20 % aswantaq churan', 15],
				['Aporte menor al 20 %', '20 % manta pisi churasqa', 8],
				['Sin aporte', 'Mana imatapas churankuchu', 0]
			])
		},
		{
			code: 'sustainability',
			nameEs: 'Sostenibilidad (operación y mantenimiento asegurados)',
			nameQu: 'Unaypaq kaynin (waqaychanapaq allichasqa)',
			kind: 'points',
			measure: 'judgement',
			weight: 1,
			bands: j([
				['Asegurada con compromiso escrito', 'Qillqasqa rimanakuywan allichasqa', 15],
				['Parcial', 'Kuskan', 8],
				['No asegurada', 'Mana allichasqachu', 0]
			])
		}
	];
}
