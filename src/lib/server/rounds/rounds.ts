import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { UserError } from '../../domain/errors';
import { PHASES, validateRules, DEFAULT_RULES, type Phase, type RoundRules } from '../../domain/round-rules';
import { allowedTargets, checkTimetable, checkTransition, rulesFrozen, type TimetableEntry } from '../../domain/phases';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import { defaultMatrix, validateMatrix, type CriterionInput } from '../../domain/scoring';
import { countRows, writeTx, type Db } from '../db/client';
import { prepared } from '../db/prepared';
import {
	criterionScores,
	proposals,
	roundBudgets,
	roundPhases,
	rounds,
	scoringCriteria,
	votingSealProgress,
	votingSeals,
	zones
} from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { limaToday } from '../../domain/clock';
import { moveWithPhase } from '../proposal-status';
import { AWAITING_VERDICT, ON_BALLOT } from '../../domain/proposal-status';
import { MAX_REASON, recordAmendment } from '../amendments';
import { changesBetween, type AmendmentChange } from '../../domain/amendments';
import { authorize, type Actor } from '../platform/policy';
import { moneyField, optionalText, requireText, normaliseDate, ML } from '../platform/validation';
import type { PendingUpload } from '../platform/uploads';

export type Round = typeof rounds.$inferSelect;

export interface RoundInput {
	fiscalYear: number;
	titleEs: string;
	titleQu: string | null;
	descriptionEs: string | null;
	descriptionQu: string | null;
	ordinanceNumber: string | null;
	ordinanceDate: string | null;
	budgetCents: number;
	/** zoneId (null = municipality-wide) → céntimos; empty = no split. */
	budgets: { zoneId: number | null; amountCents: number }[];
	timetable: TimetableEntry[];
	rules: RoundRules;
	/** Why the timetable or ordinance changes after the rules froze (a public correction); null otherwise. */
	amendmentReason?: string | null;
}

function money(value: FormDataEntryValue | null, field: string, required: boolean): number | null {
	return moneyField(value, field, { required });
}

function int(value: FormDataEntryValue | null): number {
	const s = typeof value === 'string' ? value.trim() : '';
	return /^-?\d+$/.test(s) ? Number(s) : NaN;
}

/** Reads the round form (create/edit). Field names: see the admin round form. */
export function parseRoundForm(form: FormData, zoneIds: number[]): RoundInput {
	const fiscalYear = int(form.get('fiscalYear'));
	if (!(fiscalYear >= 2000 && fiscalYear <= 2100)) throw new UserError('rounds.fiscalYear');
	const titleEs = requireText(form.get('titleEs'), 'rounds.titleEs', 200);
	const titleQu = optionalText(form.get('titleQu'), 'rounds.titleQu', 200);
	const descriptionEs = optionalText(form.get('descriptionEs'), 'rounds.descriptionEs', 5000, ML);
	const descriptionQu = optionalText(form.get('descriptionQu'), 'rounds.descriptionQu', 5000, ML);
	const ordinanceNumber = optionalText(form.get('ordinanceNumber'), 'rounds.ordinanceNumber', 100);
	const od = String(form.get('ordinanceDate') ?? '').trim();
	const ordinanceDate = od ? normaliseDate(od) : null;
	if (od && !ordinanceDate) throw new UserError('date.format', { field: 'rounds.ordinanceDate' });
	const budgetCents = money(form.get('budget'), 'rounds.budget', true)!;
	if (budgetCents <= 0) throw new UserError('rounds.budgetPositive');
	const budgets: RoundInput['budgets'] = [];
	const wide = money(form.get('budgetWide'), 'rounds.budgetWide', false);
	if (wide !== null && wide > 0) budgets.push({ zoneId: null, amountCents: wide });
	for (const zid of zoneIds) {
		const a = money(form.get(`budgetZone${zid}`), 'rounds.budgetZone', false);
		if (a !== null && a > 0) budgets.push({ zoneId: zid, amountCents: a });
	}
	if (budgets.length) {
		const sum = budgets.reduce((s, b) => s + b.amountCents, 0);
		if (sum !== budgetCents)
			throw new UserError('rounds.splitMismatch', {
				sum: (sum / 100).toFixed(2),
				ceiling: (budgetCents / 100).toFixed(2)
			});
	}
	const timetable: TimetableEntry[] = [];
	for (const phase of PHASES) {
		const s = String(form.get(`start_${phase}`) ?? '').trim();
		const e = String(form.get(`end_${phase}`) ?? '').trim();
		if (!s && !e) continue;
		const startsOn = normaliseDate(s);
		const endsOn = normaliseDate(e);
		if (!startsOn || !endsOn) throw new UserError('rounds.timetableDate', { phase });
		timetable.push({ phase, startsOn, endsOn });
	}
	const tt = checkTimetable(timetable);
	if (!tt.ok) throw new UserError(tt.error, tt.params);
	const ballotType = String(form.get('ballotType') ?? 'approval');
	const ballot =
		ballotType === 'approval'
			? { type: ballotType, maxChoices: int(form.get('maxChoices')) }
			: ballotType === 'cumulative'
				? { type: ballotType, points: int(form.get('points')), maxPerProject: int(form.get('maxPerProject')) }
				: ballotType === 'ranked'
					? { type: ballotType, k: int(form.get('k')) }
					: { type: ballotType };
	const decisionRule = String(form.get('decisionRule') ?? 'votes');
	const decision =
		decisionRule === 'mix'
			? { rule: 'mix', voteWeight: int(form.get('voteWeight')), scoreWeight: int(form.get('scoreWeight')) }
			: { rule: decisionRule };
	const rules = validateRules({
		ballot,
		voteScope: String(form.get('voteScope') ?? ''),
		minAge: int(form.get('minAge')),
		decision,
		allocation: String(form.get('allocation') ?? 'greedy'),
		mesCompletion: String(form.get('mesCompletion') ?? 'add1'),
		tieBreak: String(form.get('tieBreak') ?? 'cost'),
		privateBelow: form.get('privateBelow') === null ? undefined : int(form.get('privateBelow'))
	});
	if (!rules.ok) throw new UserError(rules.error, rules.params);
	return {
		fiscalYear,
		titleEs,
		titleQu,
		descriptionEs,
		descriptionQu,
		ordinanceNumber,
		ordinanceDate,
		budgetCents,
		budgets,
		timetable,
		rules: rules.rules,
		amendmentReason: optionalText(form.get('amendmentReason'), 'amendmentReason', MAX_REASON, ML)
	};
}

/**
 * What a frozen round's edit changes in the published timetable and ordinance: each is a correction (the voting
 * dates decide who may vote and who is old enough). Field codes: startsOn_<phase>, endsOn_<phase>, ordinance*.
 */
function frozenChanges(
	before: Round,
	beforeTimetable: TimetableEntry[],
	input: RoundInput,
	ordinance: { sha256: string } | null
): AmendmentChange[] {
	const flat = (tt: TimetableEntry[]) =>
		Object.fromEntries(
			tt.flatMap((e) => [[`startsOn_${e.phase}`, e.startsOn] as const, [`endsOn_${e.phase}`, e.endsOn] as const])
		);
	const old = flat(beforeTimetable);
	const now = flat(input.timetable);
	const dateFields = Object.fromEntries(
		PHASES.flatMap((p) => [[`startsOn_${p}`, 'date'] as const, [`endsOn_${p}`, 'date'] as const])
	);
	const dates = changesBetween(
		old,
		Object.fromEntries(Object.keys(dateFields).map((k) => [k, now[k] ?? null])),
		dateFields
	);
	return [
		...dates,
		...changesBetween(
			before,
			{
				ordinanceNumber: input.ordinanceNumber,
				ordinanceDate: input.ordinanceDate,
				ordinanceSha256: ordinance?.sha256
			},
			{ ordinanceNumber: 'text', ordinanceDate: 'date', ordinanceSha256: 'file' }
		)
	];
}

export function listRounds(db: Db, municipalityId: number) {
	return db
		.select()
		.from(rounds)
		.where(eq(rounds.municipalityId, municipalityId))
		.orderBy(desc(rounds.fiscalYear), desc(rounds.id))
		.all();
}

/** The one round loader: the municipality's round with this id, or undefined (prepared once per connection). */
export function roundOf(db: Db, municipalityId: number, roundId: number): Round | undefined {
	if (!Number.isSafeInteger(roundId)) return undefined;
	return prepared(db, 'rounds.find', () =>
		db
			.select()
			.from(rounds)
			.where(and(eq(rounds.id, sql.placeholder('id')), eq(rounds.municipalityId, sql.placeholder('m'))))
			.prepare()
	).get({ id: roundId, m: municipalityId });
}

/** The round, or a 404 UserError (`notFound`, or the code the caller's page words it with). */
export function findRound(db: Db, municipalityId: number, roundId: number, notFound = 'notFound'): Round {
	const r = roundOf(db, municipalityId, roundId);
	if (!r) throw new UserError(notFound, {}, 404);
	return r;
}

/** Everything the round's pages show: the round, its budget split, timetable and scoring matrix. */
export function roundDetail(db: Db, municipalityId: number, roundId: number) {
	const round = findRound(db, municipalityId, roundId);
	const budgets = db
		.select({
			id: roundBudgets.id,
			zoneId: roundBudgets.zoneId,
			amountCents: roundBudgets.amountCents,
			zoneName: zones.name
		})
		.from(roundBudgets)
		.leftJoin(zones, eq(zones.id, roundBudgets.zoneId))
		.where(eq(roundBudgets.roundId, roundId))
		.all()
		.sort((a, b) =>
			a.zoneId === null ? -1 : b.zoneId === null ? 1 : (a.zoneName ?? '').localeCompare(b.zoneName ?? '')
		);
	const timetable = db
		.select()
		.from(roundPhases)
		.where(eq(roundPhases.roundId, roundId))
		.all()
		.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
	const criteria = db
		.select()
		.from(scoringCriteria)
		.where(eq(scoringCriteria.roundId, roundId))
		.orderBy(asc(scoringCriteria.position))
		.all();
	const counts = db
		.select({ status: proposals.status, n: sql<number>`count(*)` })
		.from(proposals)
		.where(eq(proposals.roundId, roundId))
		.groupBy(proposals.status)
		.all();
	return {
		round,
		budgets,
		timetable,
		criteria,
		statusCounts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number>
	};
}

/** The budget a proposal in this zone competes for: the zone's share, the wide share, or the whole ceiling. */
export function budgetFor(db: Db, round: Round, zoneId: number | null): number {
	const rows = db.select().from(roundBudgets).where(eq(roundBudgets.roundId, round.id)).all();
	if (rows.length === 0) return round.budgetCents;
	return rows.find((b) => b.zoneId === zoneId)?.amountCents ?? 0;
}

function checkZones(tx: Db, municipalityId: number, input: RoundInput) {
	const ids = input.budgets.map((b) => b.zoneId).filter((z): z is number => z !== null);
	if (!ids.length) return;
	const found = tx
		.select({ id: zones.id })
		.from(zones)
		.where(and(eq(zones.municipalityId, municipalityId), inArray(zones.id, ids)))
		.all();
	if (found.length !== new Set(ids).size) throw new UserError('zone.unknown');
}

function writeChildren(tx: Db, roundId: number, input: RoundInput) {
	tx.delete(roundBudgets).where(eq(roundBudgets.roundId, roundId)).run();
	for (const b of input.budgets)
		tx.insert(roundBudgets).values({ roundId, zoneId: b.zoneId, amountCents: b.amountCents }).run();
	tx.delete(roundPhases).where(eq(roundPhases.roundId, roundId)).run();
	for (const p of input.timetable)
		tx.insert(roundPhases)
			.values({ roundId, ...p })
			.run();
}

function insertMatrix(tx: Db, roundId: number, criteria: CriterionInput[]) {
	criteria.forEach((c, position) =>
		tx
			.insert(scoringCriteria)
			.values({ roundId, ...c, position })
			.run()
	);
}

const auditable = (input: RoundInput, ordinance: { sha256: string } | null) => ({
	fiscalYear: input.fiscalYear,
	titleEs: input.titleEs,
	ordinanceNumber: input.ordinanceNumber,
	ordinanceDate: input.ordinanceDate,
	ordinanceSha256: ordinance?.sha256 ?? null,
	budgetCents: input.budgetCents,
	budgets: input.budgets,
	timetable: input.timetable,
	rules: input.rules
});

export function createRound(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	input: RoundInput,
	ordinance: PendingUpload | null = null
): Round {
	authorize(actor, 'rounds.manage', municipalityId);
	return writeTx(db, (tx) => {
		checkZones(tx, municipalityId, input);
		const now = Date.now();
		const { budgets: _b, timetable: _t, amendmentReason: _r, ...cols } = input;
		const round = tx
			.insert(rounds)
			.values({
				...cols,
				municipalityId,
				ordinanceFilePath: ordinance?.path ?? null,
				ordinanceSha256: ordinance?.sha256 ?? null,
				phase: 'preparacion',
				createdByUserId: actor.userId,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		writeChildren(tx, round.id, input);
		insertMatrix(tx, round.id, defaultMatrix());
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.created',
			payload: { roundId: round.id, ...auditable(input, ordinance) }
		});
		// Every check passed: only now does the ordinance reach the disk.
		ordinance?.write?.();
		return round;
	});
}

export function updateRound(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	input: RoundInput,
	ordinance: PendingUpload | null = null
): Round {
	authorize(actor, 'rounds.manage', municipalityId);
	return writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		checkZones(tx, municipalityId, input);
		const frozen = rulesFrozen(round.phase);
		if (frozen && canonicalJson(input.rules) !== canonicalJson(round.rules))
			throw new UserError('rounds.rulesFrozen', {}, 409);
		// Budget and its split are part of the rules residents vote under: frozen too.
		if (frozen && input.budgetCents !== round.budgetCents) throw new UserError('rounds.rulesFrozen', {}, 409);
		let corrections: AmendmentChange[] = [];
		if (frozen) {
			const tt = tx
				.select({ phase: roundPhases.phase, startsOn: roundPhases.startsOn, endsOn: roundPhases.endsOn })
				.from(roundPhases)
				.where(eq(roundPhases.roundId, roundId))
				.all();
			corrections = frozenChanges(round, tt, input, ordinance);
			// The first voting day is the day age is counted on (voting/paper.ts votingDate): once voting has opened it
			// never moves, or residents would gain or lose the vote after the fact.
			if (corrections.some((c) => c.field === 'startsOn_votacion'))
				throw new UserError('rounds.votingStartFixed', {}, 409);
			if (corrections.length && !input.amendmentReason) throw new UserError('required', { field: 'amendmentReason' });
		}
		const { budgets: _b, timetable: _t, amendmentReason: _r, ...cols } = input;
		const updated = tx
			.update(rounds)
			.set({
				...cols,
				...(ordinance ? { ordinanceFilePath: ordinance.path, ordinanceSha256: ordinance.sha256 } : {}),
				updatedAt: Date.now()
			})
			.where(eq(rounds.id, roundId))
			.returning()
			.get();
		if (frozen) {
			const before = tx.select().from(roundBudgets).where(eq(roundBudgets.roundId, roundId)).all();
			const key = (b: { zoneId: number | null; amountCents: number }[]) =>
				canonicalJson([...b].map((x) => [x.zoneId, x.amountCents]).sort());
			if (key(before) !== key(input.budgets)) throw new UserError('rounds.rulesFrozen', {}, 409);
		}
		writeChildren(tx, roundId, input);
		if (corrections.length)
			recordAmendment(tx, {
				municipalityId,
				roundId,
				record: 'round',
				recordId: roundId,
				actorUserId: actor.userId,
				reason: input.amendmentReason!,
				changes: corrections
			});
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.updated',
			payload: {
				roundId,
				...auditable(input, ordinance ?? (round.ordinanceSha256 ? { sha256: round.ordinanceSha256 } : null))
			}
		});
		ordinance?.write?.();
		return updated;
	});
}

/** Facts the phase guards need, loaded from the database. */
export function phaseFacts(db: Db, round: Round, today = limaToday()) {
	const budgets = db.select().from(roundBudgets).where(eq(roundBudgets.roundId, round.id)).all();
	const byStatus = (statuses: (typeof proposals.$inferSelect.status)[]) =>
		countRows(db, proposals, and(eq(proposals.roundId, round.id), inArray(proposals.status, statuses)));
	const voting = db
		.select()
		.from(roundPhases)
		.where(and(eq(roundPhases.roundId, round.id), eq(roundPhases.phase, 'votacion')))
		.get();
	return {
		budgetCents: round.budgetCents,
		splitTotalCents: budgets.reduce((s, b) => s + b.amountCents, 0),
		proposalCount: countRows(db, proposals, eq(proposals.roundId, round.id)),
		pendingEvaluationCount: byStatus([...AWAITING_VERDICT]),
		feasibleCount: byStatus([...ON_BALLOT]),
		votingEndsOn: voting?.endsOn ?? null,
		// Closed now (the end-of-voting step has run): results may follow the same day.
		votingClosed:
			countRows(db, votingSeals, eq(votingSeals.roundId, round.id)) +
				countRows(db, votingSealProgress, eq(votingSealProgress.roundId, round.id)) >
			0,
		today
	};
}

/** An explicit, guarded phase change; opening the vote freezes the rules and puts feasible proposals on the ballot. */
export function changePhase(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	toInput: string,
	today = limaToday()
): Round {
	authorize(actor, 'rounds.phase', municipalityId);
	if (!PHASES.includes(toInput as Phase)) throw new UserError('phase.notAllowed');
	const to = toInput as Phase;
	return writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		const check = checkTransition(round.phase, to, phaseFacts(tx, round, today));
		if (!check.ok) throw new UserError(check.error, check.params, 409);
		const now = Date.now();
		const freeze = to === 'votacion' && !round.rulesFrozenAt;
		const rulesHash = freeze ? sha256Hex(canonicalJson(round.rules)) : round.rulesFrozenSha256;
		const updated = tx
			.update(rounds)
			.set({
				phase: to,
				phaseChangedAt: now,
				updatedAt: now,
				...(freeze ? { rulesFrozenAt: now, rulesFrozenSha256: rulesHash } : {})
			})
			.where(eq(rounds.id, roundId))
			.returning()
			.get();
		// Proposals move with the round (the table in domain/proposal-status.ts; the writer is proposals/status.ts).
		let onBallot = 0;
		if (to === 'votacion') onBallot = moveWithPhase(tx, roundId, 'voteOpens');
		else if (to === 'evaluacion' && round.phase === 'propuestas') moveWithPhase(tx, roundId, 'evaluationStarts');
		else if (to === 'propuestas' && round.phase === 'evaluacion') moveWithPhase(tx, roundId, 'intakeReopens');
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.phaseChanged',
			payload: {
				roundId,
				from: round.phase,
				to,
				...(freeze ? { rulesFrozen: true, rulesSha256: rulesHash, rules: round.rules } : {}),
				...(to === 'votacion' ? { onBallot } : {})
			}
		});
		return updated;
	});
}

export { allowedTargets };

/** A new round for another fiscal year from an earlier one: texts, rules, budget split, matrix; timetable moved by the years in between. */
export function cloneRound(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	sourceRoundId: number,
	fiscalYearInput: unknown
): Round {
	authorize(actor, 'rounds.manage', municipalityId);
	const fiscalYear = Number(fiscalYearInput);
	if (!Number.isInteger(fiscalYear) || fiscalYear < 2000 || fiscalYear > 2100) throw new UserError('rounds.fiscalYear');
	return writeTx(db, (tx) => {
		const src = findRound(tx, municipalityId, sourceRoundId);
		const shift = fiscalYear - src.fiscalYear;
		const move = (d: string) => {
			const [y, m, day] = d.split('-').map(Number);
			const date = new Date(Date.UTC(y + shift, m - 1, Math.min(day, 28) === day ? day : day));
			if (date.getUTCMonth() !== m - 1) date.setUTCDate(0); // 29 Feb → 28 Feb
			return date.toISOString().slice(0, 10);
		};
		const now = Date.now();
		const round = tx
			.insert(rounds)
			.values({
				municipalityId,
				fiscalYear,
				titleEs: src.titleEs.replace(String(src.fiscalYear), String(fiscalYear)),
				titleQu: src.titleQu?.replace(String(src.fiscalYear), String(fiscalYear)) ?? null,
				descriptionEs: src.descriptionEs,
				descriptionQu: src.descriptionQu,
				budgetCents: src.budgetCents,
				rules: src.rules ?? DEFAULT_RULES,
				phase: 'preparacion',
				clonedFromRoundId: src.id,
				createdByUserId: actor.userId,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		for (const b of tx.select().from(roundBudgets).where(eq(roundBudgets.roundId, src.id)).all())
			tx.insert(roundBudgets).values({ roundId: round.id, zoneId: b.zoneId, amountCents: b.amountCents }).run();
		for (const p of tx.select().from(roundPhases).where(eq(roundPhases.roundId, src.id)).all())
			tx.insert(roundPhases)
				.values({ roundId: round.id, phase: p.phase, startsOn: move(p.startsOn), endsOn: move(p.endsOn) })
				.run();
		const criteria = tx
			.select()
			.from(scoringCriteria)
			.where(eq(scoringCriteria.roundId, src.id))
			.orderBy(asc(scoringCriteria.position))
			.all();
		insertMatrix(
			tx,
			round.id,
			criteria.length
				? criteria.map(({ code, nameEs, nameQu, kind, measure, weight, bands }) => ({
						code,
						nameEs,
						nameQu,
						kind,
						measure,
						weight,
						bands
					}))
				: defaultMatrix()
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.cloned',
			payload: { roundId: round.id, fromRoundId: src.id, fiscalYear }
		});
		return round;
	});
}

/** Band rows the matrix editor offers per criterion (its bands plus empty rows to add more). */
export const MAX_BAND_ROWS = 12;

/**
 * Reads the matrix editor's form: one fieldset per criterion (crit_<i>_code, _kind, _nameEs, _nameQu, _weight,
 * _measure, _remove) and its bands as rows (crit_<i>_band_<j>_points, _labelEs, _labelQu, _min). A band row left
 * wholly empty is no band; a row with anything in it needs whole points (and a whole minimum, when given).
 */
export function parseMatrixForm(form: FormData): CriterionInput[] {
	const out: CriterionInput[] = [];
	const text = (name: string) => String(form.get(name) ?? '').trim();
	for (let i = 0; i < 30; i++) {
		const code = text(`crit_${i}_code`);
		if (!code) continue;
		if (form.get(`crit_${i}_remove`)) continue;
		const kind = form.get(`crit_${i}_kind`) === 'gate' ? 'gate' : 'points';
		const measureRaw = String(form.get(`crit_${i}_measure`) ?? 'judgement');
		const measure = (['judgement', 'beneficiaries', 'cost'] as const).find((m) => m === measureRaw) ?? 'judgement';
		const weight = Number((text(`crit_${i}_weight`) || '1').replace(',', '.'));
		const bands: CriterionInput['bands'] = [];
		if (kind === 'points')
			for (let j = 0; j < MAX_BAND_ROWS; j++) {
				const f = (field: string) => text(`crit_${i}_band_${j}_${field}`);
				const [points, labelEs, labelQu, min] = [f('points'), f('labelEs'), f('labelQu'), f('min').replace(/\s/g, '')];
				if (!points && !labelEs && !labelQu && !min) continue;
				if (!/^\d+$/.test(points) || (min && !/^\d+$/.test(min)))
					throw new UserError('matrix.bandRow', { code, row: j + 1 });
				bands.push({
					points: Number(points),
					labelEs: labelEs || points,
					labelQu: labelQu || labelEs || points,
					...(min ? { min: Number(min) } : {})
				});
			}
		out.push({
			code,
			nameEs: text(`crit_${i}_nameEs`),
			nameQu: text(`crit_${i}_nameQu`) || null,
			kind,
			measure,
			weight,
			bands
		});
	}
	return out;
}

/** Replaces the round's matrix. Refused once scores have been entered or voting has opened. */
export function saveMatrix(
	db: Db,
	actor: Actor | null,
	municipalityId: number,
	roundId: number,
	criteria: CriterionInput[]
) {
	authorize(actor, 'rounds.manage', municipalityId);
	const check = validateMatrix(criteria);
	if (!check.ok) throw new UserError(check.error, check.params);
	writeTx(db, (tx) => {
		const round = findRound(tx, municipalityId, roundId);
		if (rulesFrozen(round.phase)) throw new UserError('rounds.rulesFrozen', {}, 409);
		if (countRows(tx, criterionScores, eq(criterionScores.roundId, roundId)) > 0)
			throw new UserError('matrix.hasScores', {}, 409);
		tx.delete(scoringCriteria).where(eq(scoringCriteria.roundId, roundId)).run();
		insertMatrix(tx, roundId, criteria);
		appendAudit(tx, {
			municipalityId,
			actorUserId: actor.userId,
			type: 'round.matrixSaved',
			payload: { roundId, criteria }
		});
	});
}

/** The round residents see first: the latest one not in preparation, else the latest. */
export function currentRound(db: Db, municipalityId: number): Round | undefined {
	const all = listRounds(db, municipalityId);
	return all.find((r) => r.phase !== 'preparacion') ?? all[0];
}
