import Papa from 'papaparse';
import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import {
	budgetElection,
	engineRuleFor,
	mixKeys,
	outcomeRows,
	scoreKeys,
	type BudgetOutcomeRow,
	type CandidateProject
} from '../../domain/results';
import { ENGINE_VERSION, parsePb, pbFromInput, runRule } from '../../domain/tally/index';
import { writeTx, type Db } from '../db/client';
import { proposals, resultInputs, resultSnapshots, roundBudgets, zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { findRound } from '../rounds';
import { assignPublicIds, countedSections, turnout } from '../voting';
import { scoreRanking } from '../proposals';
import { recordOutcome } from '../proposal-status';
import { ON_BALLOT, outcomeStatus } from '../../domain/proposal-status';

const PHASES_WITH_RESULTS = ['resultados', 'formalizacion', 'seguimiento'];

export interface BudgetResult {
	budgetZoneId: number | null;
	zoneName: string | null;
	budgetCents: number;
	fileName: string;
	pbSha256: string;
	/** voters who cast this section, blank ones included */
	voters: number;
	rows: BudgetOutcomeRow[];
	totalCents: number;
	unspentCents: number;
	warnings: string[];
}

export interface SnapshotBody {
	roundId: number;
	fiscalYear: number;
	rule: string;
	ties: string;
	scoreFrom: string;
	decision: unknown;
	allocation: string;
	ballotType: string;
	scoreScale: string | null;
	budgets: BudgetResult[];
	turnout: {
		total: number;
		web: number;
		assisted: number;
		paper: number;
		verified: number;
		perZone: { name: string; total: number; web: number; assisted: number; paper: number; verified: number }[];
	};
}

export type Snapshot = typeof resultSnapshots.$inferSelect & { parsed: SnapshotBody };

const parse = (s: typeof resultSnapshots.$inferSelect): Snapshot => ({
	...s,
	parsed: JSON.parse(s.body) as SnapshotBody
});

/**
 * Computes the round's result from its counted ballots (or criteria scores), one `.pb` per budget, through the engine.
 * Same input as the latest snapshot ⇒ that snapshot is returned unchanged; changed input ⇒ a new version.
 */
export function computeResults(db: Db, actor: Actor | null, municipalityId: number, roundId: number): Snapshot {
	authorize(actor, 'results.compute', municipalityId);
	const round = findRound(db, municipalityId, roundId);
	if (!PHASES_WITH_RESULTS.includes(round.phase)) throw new UserError('results.votingNotClosed', {}, 409);
	const rules = round.rules;
	const { rule, scoreFrom } = engineRuleFor(rules);
	const ties = 'cost';
	const votingTurnout = turnout(db, actor, municipalityId, roundId);

	return writeTx(db, (tx) => {
		assignPublicIds(tx, roundId);
		const sections = countedSections(tx, roundId);
		const budgets = tx
			.select({
				zoneId: roundBudgets.zoneId,
				amountCents: roundBudgets.amountCents,
				zoneName: zones.name,
				zoneCode: zones.code
			})
			.from(roundBudgets)
			.leftJoin(zones, eq(roundBudgets.zoneId, zones.id))
			.where(eq(roundBudgets.roundId, roundId))
			.all()
			.sort((a, b) =>
				a.zoneId === null ? -1 : b.zoneId === null ? 1 : (a.zoneCode ?? '').localeCompare(b.zoneCode ?? '')
			);
		const props = tx
			.select()
			.from(proposals)
			.where(and(eq(proposals.roundId, roundId), inArray(proposals.status, [...ON_BALLOT])))
			.orderBy(asc(proposals.seq))
			.all();
		let scale: bigint | null = null;
		let criteria: Map<number, bigint> | null = null;
		if (rules.decision.rule !== 'votes') {
			const ranking = scoreRanking(tx, municipalityId, roundId);
			const sk = scoreKeys(
				new Map(
					ranking.ranked.map((r) => [
						r.proposalId,
						{ totalHundredths: r.gatesPassed ? r.totalHundredths : 0, scorers: r.scorers }
					])
				)
			);
			criteria = sk.keys;
			scale = sk.scale;
		}

		const inputs: { budgetZoneId: number | null; fileName: string; pb: string; sha256: string }[] = [];
		const results: BudgetResult[] = budgets.map((b) => {
			const mine = sections
				.filter((s) => s.budgetZoneId === b.zoneId)
				.map((s) => ({ publicId: s.publicId!, choices: s.choices }));
			const projects: CandidateProject[] = props
				.filter((p) => p.zoneId === b.zoneId)
				.map((p) => ({
					proposalId: p.id,
					seq: p.seq,
					title: p.title,
					costCents: p.adjustedCostCents ?? p.estimatedCostCents
				}));
			if (criteria) {
				let keys = criteria;
				if (rules.decision.rule === 'mix') {
					// Votes per project through the engine itself, then the exact weighted mix.
					const plain = runRule(
						parsePb(
							pbFromInput(budgetElection({ rules, budgetCents: b.amountCents, projects, sections: mine, meta: {} }))
						),
						{ rule: 'greedy', ties }
					);
					const votes = new Map(
						plain.ranking.map((r) => [
							projects.find((p) => String(p.seq) === r.id)!.proposalId,
							BigInt(r.score.split('.')[0])
						])
					);
					keys = mixKeys(votes, criteria, rules.decision.voteWeight, rules.decision.scoreWeight);
				}
				for (const p of projects) p.scoreKey = keys.get(p.proposalId) ?? 0n;
			}
			const label = b.zoneId === null ? 'municipal' : `zona-${b.zoneCode}`;
			const fileName = `peru_${round.fiscalYear}_r${round.id}_${label}.pb`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
			const pb = pbFromInput(
				budgetElection({
					rules,
					budgetCents: b.amountCents,
					projects,
					sections: mine,
					meta: {
						description: `${round.titleEs} — ${b.zoneName ?? 'municipal'}`,
						country: 'Peru',
						unit: String(municipalityId),
						instance: String(round.fiscalYear),
						subunit: b.zoneName ?? 'municipal',
						rule,
						ties,
						...(scale ? { score_scale: scale.toString() } : {}),
						licence: 'CC BY 4.0'
					}
				})
			);
			const sha256 = sha256Hex(pb);
			inputs.push({ budgetZoneId: b.zoneId, fileName, pb, sha256 });
			const outcome = runRule(parsePb(pb), { rule, ties, scoreFrom });
			const rows = outcomeRows(outcome, projects);
			const totalCents = rows.filter((r) => r.selected).reduce((s, r) => s + r.costCents, 0);
			return {
				budgetZoneId: b.zoneId,
				zoneName: b.zoneName,
				budgetCents: b.amountCents,
				fileName,
				pbSha256: sha256,
				voters: mine.length,
				rows,
				totalCents,
				unspentCents: b.amountCents - totalCents,
				warnings: outcome.warnings
			};
		});

		const inputHash = sha256Hex(
			canonicalJson({ rules, engine: ENGINE_VERSION, rule, ties, inputs: inputs.map((i) => [i.fileName, i.sha256]) })
		);
		const latest = tx
			.select()
			.from(resultSnapshots)
			.where(eq(resultSnapshots.roundId, roundId))
			.orderBy(desc(resultSnapshots.version))
			.limit(1)
			.get();
		if (latest && latest.inputHash === inputHash) return parse(latest);

		const body: SnapshotBody = {
			roundId,
			fiscalYear: round.fiscalYear,
			rule,
			ties,
			scoreFrom,
			decision: rules.decision,
			allocation: rules.allocation,
			ballotType: rules.ballot.type,
			scoreScale: scale?.toString() ?? null,
			budgets: results,
			turnout: {
				total: votingTurnout.totals.total,
				web: votingTurnout.totals.web,
				assisted: votingTurnout.totals.assisted,
				paper: votingTurnout.totals.paper,
				verified: votingTurnout.verified,
				perZone: votingTurnout.perZone.map((z) => ({
					name: z.name,
					total: z.total,
					web: z.web,
					assisted: z.assisted,
					paper: z.paper,
					verified: z.verified
				}))
			}
		};
		const snapshot = tx
			.insert(resultSnapshots)
			.values({
				municipalityId,
				roundId,
				version: (latest?.version ?? 0) + 1,
				engineVersion: ENGINE_VERSION,
				rule,
				ties,
				decision: rules.decision.rule,
				inputHash,
				body: JSON.stringify(body),
				computedAt: Date.now(),
				computedByUserId: actor.userId
			})
			.returning()
			.get();
		for (const i of inputs)
			tx.insert(resultInputs)
				.values({ snapshotId: snapshot.id, ...i })
				.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'results.computed',
			payload: {
				roundId,
				version: snapshot.version,
				rule,
				ties,
				engineVersion: ENGINE_VERSION,
				inputHash,
				inputs: inputs.map((i) => ({ file: i.fileName, sha256: i.sha256 }))
			}
		});
		return parse(snapshot);
	});
}

/** Publishing is its own audited act; it marks proposals selected / reserve / not selected. */
export function publishResults(db: Db, actor: Actor | null, municipalityId: number, roundId: number, version: number) {
	authorize(actor, 'results.publish', municipalityId);
	writeTx(db, (tx) => {
		const snap = tx
			.select()
			.from(resultSnapshots)
			.where(
				and(
					eq(resultSnapshots.roundId, roundId),
					eq(resultSnapshots.version, version),
					eq(resultSnapshots.municipalityId, municipalityId)
				)
			)
			.get();
		if (!snap) throw new UserError('notFound', {}, 404);
		if (snap.publishedAt) throw new UserError('results.alreadyPublished', { version }, 409);
		const newer = tx
			.select()
			.from(resultSnapshots)
			.where(and(eq(resultSnapshots.roundId, roundId)))
			.orderBy(desc(resultSnapshots.version))
			.limit(1)
			.get()!;
		if (newer.version !== version) throw new UserError('results.notLatest', { version: newer.version }, 409);
		tx.update(resultSnapshots)
			.set({ publishedAt: Date.now(), publishedByUserId: actor.userId })
			.where(eq(resultSnapshots.id, snap.id))
			.run();
		const body = JSON.parse(snap.body) as SnapshotBody;
		for (const b of body.budgets)
			for (const r of b.rows) recordOutcome(tx, r.proposalId, outcomeStatus(r, body.scoreFrom === 'projects'));
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'results.published',
			payload: { roundId, version, inputHash: snap.inputHash }
		});
	});
}

export function listSnapshots(db: Db, municipalityId: number, roundId: number): Snapshot[] {
	return db
		.select()
		.from(resultSnapshots)
		.where(and(eq(resultSnapshots.municipalityId, municipalityId), eq(resultSnapshots.roundId, roundId)))
		.orderBy(desc(resultSnapshots.version))
		.all()
		.map(parse);
}

/** The newest published snapshot, and how many published versions exist (a recount after publication shows). */
export function publishedResult(
	db: Db,
	municipalityId: number,
	roundId: number
): { snapshot: Snapshot; versions: number[] } | null {
	const rows = db
		.select()
		.from(resultSnapshots)
		.where(
			and(
				eq(resultSnapshots.municipalityId, municipalityId),
				eq(resultSnapshots.roundId, roundId),
				isNotNull(resultSnapshots.publishedAt)
			)
		)
		.orderBy(desc(resultSnapshots.version))
		.all();
	if (!rows.length) return null;
	return { snapshot: parse(rows[0]), versions: rows.map((r) => r.version) };
}

/** A published snapshot's input `.pb` by file name (open data). */
export function publishedInput(db: Db, municipalityId: number, roundId: number, fileName: string) {
	const pub = publishedResult(db, municipalityId, roundId);
	if (!pub) return null;
	return (
		db
			.select()
			.from(resultInputs)
			.where(and(eq(resultInputs.snapshotId, pub.snapshot.id), eq(resultInputs.fileName, fileName)))
			.get() ?? null
	);
}

/** CSV with a header row; papaparse quotes what needs quoting (the same library reads census files). */
function csv(header: string[], rows: (string | number | null)[][]): string {
	return (
		Papa.unparse({ fields: header, data: rows.map((r) => r.map((v) => (v === null ? '' : v))) }, { newline: '\n' }) +
		'\n'
	);
}

const RESULTS_COLUMNS = [
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
const PROPOSALS_COLUMNS = [
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

/** proposals.csv: every proposal of the round with its outcome; never the author. */
export function proposalsCsv(db: Db, municipalityId: number, roundId: number): string {
	const rows = db
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
		.all();
	return csv(
		PROPOSALS_COLUMNS,
		rows.map((r) => [
			r.seq,
			r.title,
			r.category,
			r.zone ?? 'municipal',
			(r.estimated / 100).toFixed(2),
			r.adjusted === null ? '' : (r.adjusted / 100).toFixed(2),
			r.beneficiaries,
			r.status,
			r.investmentCui
		])
	);
}
