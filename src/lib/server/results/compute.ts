import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import { engineRuleFor, type CandidateProject } from '../../domain/results';
import { PRIVATE_BELOW_DEFAULT, type RoundRules } from '../../domain/round-rules';
import { zeroBallotsMatter } from '../../domain/results-guards';
import { assertComputable } from './guards';
import { ENGINE_VERSION, type RuleId, type TieMode } from '../../domain/tally/index';
import { readTx, writeTx, type Db } from '../db/client';
import { auditEvents, proposals, resultInputs, resultSnapshots, roundBudgets, zones } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { authorize, type Actor } from '../platform/policy';
import { findRound } from '../rounds';
import { assignPublicIds, countedSections, LATE_BATCH, resultVersion, sealIfEnded, turnout } from '../voting';
import { scoreRanking } from '../proposals';
import { computeBudgets, type BudgetInput, type BudgetResult, type ComputedBudget, type CriteriaScore } from './budget';
import { parseSnapshot, type Snapshot, type SnapshotBody } from './read';
import { ON_BALLOT } from '../../domain/proposal-status';

const PHASES_WITH_RESULTS = ['resultados', 'formalizacion', 'seguimiento'];

export interface ComputeOptions {
	/** the official confirmed computing with zero ballots although votes decide */
	confirmZeroBallots?: boolean;
}

/**
 * Everything a compute needs, read in one transaction: plain data (structured-clonable), so the engine can run on
 * it in this thread or in a worker thread with the same outcome.
 */
export interface ComputePlan {
	municipalityId: number;
	roundId: number;
	actorUserId: number;
	fiscalYear: number;
	rules: RoundRules;
	rule: RuleId;
	ties: TieMode;
	scoreFrom: 'ballots' | 'projects';
	budgets: BudgetInput[];
	turnout: SnapshotBody['turnout'];
	/** paper batches accepted after the latest version was computed, with their public reasons */
	lateBatches: NonNullable<SnapshotBody['lateBatches']>;
}

/** The plan without its ballots: what writing the result needs (the worker sends only this back). */
export type PlanHead = Omit<ComputePlan, 'budgets'>;

/** Batches accepted (with a reason) after version `version` of the round's result was computed. */
function lateBatchesAfter(db: Db, municipalityId: number, roundId: number, version: number) {
	return db
		.select({ payload: auditEvents.payload })
		.from(auditEvents)
		.where(and(eq(auditEvents.municipalityId, municipalityId), eq(auditEvents.type, LATE_BATCH)))
		.orderBy(asc(auditEvents.seq))
		.all()
		.map(
			(e) =>
				JSON.parse(e.payload) as {
					roundId: number;
					afterVersion: number;
					label: string;
					station: string;
					reason: string;
				}
		)
		.filter((p) => p.roundId === roundId && p.afterVersion === version)
		.map((p) => ({ batch: p.label, station: p.station, reason: p.reason }));
}

/** What the compute's requester learns at once (cheap: one row): who asks, and whether voting is closed. */
export function assertComputeAllowed(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'results.compute', municipalityId);
	const round = findRound(db, municipalityId, roundId);
	if (!PHASES_WITH_RESULTS.includes(round.phase)) throw new UserError('results.votingNotClosed', {}, 409);
	return round;
}

/**
 * Checks who asks and the guards, assigns the ballots' public ids (short write transactions, see assignPublicIds)
 * and reads the round's input in one read transaction. Refused, changing nothing, while a station has pending
 * batches or counts that do not agree (unless unblocked, see guards.ts), and at zero ballots when votes decide unless
 * the official confirms. Heavy at scale (about a second at 90 000 ballots): the server runs it in the compute worker,
 * on that thread's own connection (compute-worker.ts).
 */
export function prepareCompute(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	opts: ComputeOptions = {}
): ComputePlan {
	authorize(actor, 'results.compute', municipalityId);
	const round = assertComputeAllowed(db, actor, municipalityId, roundId);
	const rules = round.rules;
	const { rule, scoreFrom, ties } = engineRuleFor(rules);
	// Nothing is read from the ballots before the secrecy step has ended: finished here (in the compute worker) if a
	// page only started it.
	sealIfEnded(db, roundId, Date.now(), { wait: true });
	assertComputable(db, actor, municipalityId, roundId);
	const votingTurnout = turnout(db, actor, municipalityId, roundId);
	if (zeroBallotsMatter(rules.decision, votingTurnout.totals.total) && !opts.confirmZeroBallots)
		throw new UserError('results.guard.zeroBallots', {}, 409);

	let lateBatches: ComputePlan['lateBatches'] = [];
	let budgetInputs: BudgetInput[] | null = null;
	for (let attempt = 0; budgetInputs === null; attempt++) {
		if (attempt === 5) throw new Error('prepareCompute: ballots kept arriving while reading the round');
		assignPublicIds(db, roundId);
		budgetInputs = readInputs();
	}
	// One read transaction: a consistent view of the round (in WAL mode it takes no lock, so writers never wait).
	function readInputs() {
		return readTx(db, (tx) => {
			const latest = resultVersion(tx, roundId);
			if (latest !== null) lateBatches = lateBatchesAfter(tx, municipalityId, roundId, latest);
			const sections = countedSections(tx, roundId);
			let budgets = tx
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
			// A round without a split is one municipality-wide budget: the whole ceiling, over the sections voters cast
			// with no zone (voting casts them that way) and every proposal on the ballot.
			const unsplit = budgets.length === 0;
			if (unsplit) budgets = [{ zoneId: null, amountCents: round.budgetCents, zoneName: null, zoneCode: null }];
			const props = tx
				.select()
				.from(proposals)
				.where(and(eq(proposals.roundId, roundId), inArray(proposals.status, [...ON_BALLOT])))
				.orderBy(asc(proposals.seq))
				.all();
			let criteria: Map<number, CriteriaScore> | null = null;
			let maxScore = 0;
			if (rules.decision.rule !== 'votes') {
				const ranking = scoreRanking(tx, municipalityId, roundId);
				criteria = new Map(
					ranking.ranked.map((r) => [
						r.proposalId,
						{ totalHundredths: r.totalHundredths, scorers: r.scorers, gatesPassed: r.gatesPassed }
					])
				);
				maxScore = ranking.maxScore;
			}

			// A ballot counted after the ids were drawn (a paper batch accepted meanwhile): draw again and read again.
			if (sections.some((s) => s.publicId === null)) return null;
			return budgets.map((b): BudgetInput => {
				const mine = sections
					.filter((s) => unsplit || s.budgetZoneId === b.zoneId)
					.map((s) => ({ publicId: s.publicId!, choices: s.choices }));
				const projects: CandidateProject[] = props
					.filter((p) => unsplit || p.zoneId === b.zoneId)
					.map((p) => ({
						proposalId: p.id,
						seq: p.seq,
						title: p.title,
						costCents: p.adjustedCostCents ?? p.estimatedCostCents
					}));
				const label = b.zoneId === null ? 'municipal' : `zona-${b.zoneCode}`;
				const fileName = `peru_${round.fiscalYear}_r${round.id}_${label}.pb`
					.toLowerCase()
					.replace(/[^a-z0-9_.-]/g, '-');
				return {
					rules,
					rule,
					ties,
					scoreFrom,
					budgetZoneId: b.zoneId,
					zoneName: b.zoneName,
					budgetCents: b.amountCents,
					fileName,
					projects,
					sections: mine,
					criteria,
					maxScore,
					privateBelow: rules.privateBelow,
					meta: {
						description: `${round.titleEs} — ${b.zoneName ?? 'municipal'}`,
						country: 'Peru',
						unit: String(municipalityId),
						instance: String(round.fiscalYear),
						subunit: b.zoneName ?? 'municipal',
						rule,
						ties,
						licence: 'CC BY 4.0'
					}
				};
			});
		});
	}
	return {
		municipalityId,
		roundId,
		actorUserId: actor.userId,
		fiscalYear: round.fiscalYear,
		rules,
		rule,
		ties,
		scoreFrom,
		budgets: budgetInputs,
		lateBatches,
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
}

/**
 * Writes what the engine computed, in one short transaction: same input as the latest snapshot ⇒ that snapshot is
 * returned unchanged; changed input ⇒ a new version, its `.pb` files and one audit event. Nothing is written before
 * this, so a compute that dies half-way leaves no trace but its audit-free absence.
 */
export function finishCompute(db: Db, plan: PlanHead, computed: ComputedBudget[]): Snapshot {
	const { municipalityId, roundId, rules, rule, ties, scoreFrom } = plan;
	if (computed.length === 0) throw new Error('finishCompute: one result per budget expected');
	const inputs = computed.map((c) => ({
		budgetZoneId: c.result.budgetZoneId,
		fileName: c.result.fileName,
		pb: c.pb,
		sha256: c.result.pbSha256,
		auditorPb: c.auditorPb ?? null
	}));
	const results: BudgetResult[] = computed.map((c) => c.result);
	return writeTx(db, (tx) => {
		const inputHash = sha256Hex(
			canonicalJson({
				rules,
				engine: ENGINE_VERSION,
				rule,
				ties,
				// a private MES budget is counted from its ballots, which its public file (totals) does not pin down
				inputs: inputs.map((i) =>
					i.auditorPb ? [i.fileName, i.sha256, sha256Hex(i.auditorPb)] : [i.fileName, i.sha256]
				)
			})
		);
		const latest = tx
			.select()
			.from(resultSnapshots)
			.where(eq(resultSnapshots.roundId, roundId))
			.orderBy(desc(resultSnapshots.version))
			.limit(1)
			.get();
		if (latest && latest.inputHash === inputHash) return parseSnapshot(latest);

		const body: SnapshotBody = {
			roundId,
			fiscalYear: plan.fiscalYear,
			rule,
			ties,
			scoreFrom,
			decision: rules.decision,
			allocation: rules.allocation,
			mesCompletion: rules.allocation === 'mes' ? (rules.mesCompletion ?? 'none') : null,
			tieBreak: rules.tieBreak,
			privateBelow: rules.privateBelow ?? PRIVATE_BELOW_DEFAULT,
			ballotType: rules.ballot.type,
			scoreScale: null,
			budgets: results,
			turnout: plan.turnout,
			// a new version because paper batches were counted after the previous one: their reasons, shown publicly
			...(plan.lateBatches.length > 0 && latest
				? { lateBatches: plan.lateBatches, lateAfterVersion: latest.version }
				: {})
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
				computedByUserId: plan.actorUserId
			})
			.returning()
			.get();
		for (const i of inputs)
			tx.insert(resultInputs)
				.values({ snapshotId: snapshot.id, ...i })
				.run();
		appendAudit(tx, {
			municipalityId,
			actorUserId: plan.actorUserId,
			type: 'results.computed',
			payload: {
				roundId,
				version: snapshot.version,
				rule,
				ties,
				tieBreak: rules.tieBreak,
				mesCompletion: body.mesCompletion,
				engineVersion: ENGINE_VERSION,
				inputHash,
				inputs: inputs.map((i) => ({ file: i.fileName, sha256: i.sha256 }))
			}
		});
		return parseSnapshot(snapshot);
	});
}

/**
 * Computes the round's result in this thread (tests, the demo, scripts): the same three steps as the worker path
 * (compute-job.ts), which officials use so a long MES count never holds the server.
 */
export function computeResults(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	opts: ComputeOptions = {}
): Snapshot {
	const plan = prepareCompute(db, actor, municipalityId, roundId, opts);
	return finishCompute(db, plan, computeBudgets(plan.budgets));
}
