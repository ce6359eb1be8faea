/**
 * Shared by configs.test.ts (every case, in-process) and configs.slow.test.ts (the CLI once per rule).
 * Every supported kind of round, end to end: seed ballots (or criteria scores), compute, publish, take the published
 * `.pb`, recount it, and compare with the snapshot and with what the results page prints (results-view.ts).
 * Expected winners come from an independent greedy written here, or from the naive MES reference
 * (tests/engine/reference.ts); the engine is called in-process per case and the CLI is spawned once per rule.
 */
import { expect } from 'vitest';
import { prng } from './prng';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../../src/lib/server/db/client';
import {
	ballotSections,
	ballots,
	criterionScores,
	municipalities,
	proposals,
	roundBudgets,
	rounds,
	scoringCriteria,
	zones
} from '../../src/lib/server/db/schema/index';
import { createAccount } from '../../src/lib/server/accounts';
import {
	auditorFiles,
	computeResults,
	publishResults,
	publishedInput,
	publishedResult
} from '../../src/lib/server/results';
import { drawSeed, parsePb, runRule, type TieMode } from '../../src/lib/domain/tally/index';
import { sha256Hex } from '../../src/lib/domain/audit-chain';
import { otherRuleFor, recountArgs } from '../../src/lib/domain/results';
import { figureOf, figureText, rankedView } from '../../src/lib/domain/results-view';
import { DEFAULT_RULES, validateRules, type RoundRules } from '../../src/lib/domain/round-rules';
import type { SectionChoices } from '../../src/lib/domain/ballot';
import * as R from '../../src/lib/domain/tally/rational';
import { naiveAdd1Wieliczka, naiveMes, plain } from '../engine/reference';
import { tieRanks } from '../../src/lib/domain/tally/ties';
import { countVotes } from '../../src/lib/domain/tally/count';
import type { Actor } from '../../src/lib/server/platform/policy';

type Split = 'none' | 'zones' | 'zones+wide';
type BallotKind = 'approval' | 'knapsack' | 'cumulative' | 'ranked';
export interface Case {
	name: string;
	rules: RoundRules;
	split: Split;
}

const BALLOTS: Record<BallotKind, RoundRules['ballot']> = {
	approval: { type: 'approval', maxChoices: 3 },
	knapsack: { type: 'knapsack' },
	cumulative: { type: 'cumulative', points: 10, maxPerProject: 5 },
	ranked: { type: 'ranked', k: 3 }
};

/** k = 1 unless a case says otherwise: the matrix recounts every budget from its ballots (k itself: the k cases). */
function rulesOf(input: Record<string, unknown>): RoundRules {
	const r = validateRules({ ...DEFAULT_RULES, privateBelow: 1, ...input });
	if (!r.ok) throw new Error(`${JSON.stringify(input)}: ${r.error}`);
	return r.rules;
}

export const CASES: Case[] = [];
for (const split of ['none', 'zones', 'zones+wide'] as Split[])
	for (const kind of Object.keys(BALLOTS) as BallotKind[]) {
		CASES.push({ name: `votes·greedy·${kind}·${split}`, split, rules: rulesOf({ ballot: BALLOTS[kind] }) });
		if (kind === 'ranked') continue; // refused combination: tested below
		const mesCompletion = kind === 'cumulative' ? 'none' : 'add1';
		CASES.push({
			name: `votes·mes-${mesCompletion}·${kind}·${split}`,
			split,
			rules: rulesOf({ ballot: BALLOTS[kind], allocation: 'mes', mesCompletion })
		});
	}
for (const split of ['none', 'zones+wide'] as Split[]) {
	CASES.push({ name: `scores·greedy·${split}`, split, rules: rulesOf({ decision: { rule: 'scores' } }) });
	CASES.push({
		name: `mix 70/30·greedy·${split}`,
		split,
		rules: rulesOf({ decision: { rule: 'mix', voteWeight: 70, scoreWeight: 30 } })
	});
}
CASES.push({ name: 'votes·greedy·approval·ties by draw', split: 'zones', rules: rulesOf({ tieBreak: 'draw' }) });
CASES.push({ name: 'votes·greedy·approval·ties by votes', split: 'none', rules: rulesOf({ tieBreak: 'votes' }) });
// Small budgets private: 11 voters split 6/5 between two zones, k = 6: the zone of 6 (k) publishes its ballots, the
// zone of 5 (k − 1) only each project's totals, recounted with --score-from projects (greedy) or not at all (MES).
for (const [kind, allocation] of [
	['approval', 'greedy'],
	['cumulative', 'greedy'],
	['approval', 'mes']
] as const)
	CASES.push({
		name: `votes·${allocation}·${kind}·zones·k=6 (6 voters publish ballots, 5 do not)`,
		split: 'zones',
		rules: rulesOf({ ballot: BALLOTS[kind], allocation, privateBelow: 6 })
	});
// The public draw on a budget kept private: seeded by the published totals (k − 1 voters), by the ballots (k voters);
// MES recounts the private budget from the auditors' per-voter file with that seed.
for (const allocation of ['greedy', 'mes'] as const)
	CASES.push({
		name: `votes·${allocation}·approval·zones·k=6·ties by draw (5 voters: seed from the published totals)`,
		split: 'zones',
		rules: rulesOf({ ballot: BALLOTS.approval, allocation, privateBelow: 6, tieBreak: 'draw' })
	});
CASES.push({
	name: 'votes·mes plain·approval·ties by proposal',
	split: 'zones',
	rules: rulesOf({ allocation: 'mes', mesCompletion: 'none', tieBreak: 'proposal' })
});

let db: Db;
let official: Actor;
let municipalityId: number;
let zoneIds: number[];
let userId: number;
let personId: number;
export const tmp = mkdtempSync(join(tmpdir(), 'minka-configs-'));

/** One database, one municipality with two zones and an official. */
export function setupDb() {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(tmp, 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'c',
				ubigeo: '080105',
				name: 'C',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = ['Z1', 'Z2'].map(
			(code) =>
				tx
					.insert(zones)
					.values({ municipalityId: m.id, code, name: `Zona ${code}`, createdAt: 0 })
					.returning()
					.get().id
		);
		const acc = createAccount(tx, m.id, {
			fullName: 'Rosa Quispe',
			dni: '70000138',
			birthDate: '1980-01-01',
			email: 'rosa@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	zoneIds = base.z;
	userId = base.acc.user.id;
	personId = base.acc.person.id;
	official = { userId, personId, municipalityId, roles: new Set(['official']), verified: true };
	return db;
}

interface Seeded {
	roundId: number;
	/** per budget (zone id or null): proposals (id, seq, cost) and the choices cast there */
	budgets: Map<
		number | null,
		{ amountCents: number; props: { id: number; seq: number; costCents: number }[]; choices: SectionChoices[] }
	>;
	/** proposals that failed a gate / nobody scored (scores and mix) */
	out: Set<number>;
	mean: Map<number, number>;
}

function seed(c: Case, index: number): Seeded {
	const rnd = prng(1000 + index);
	const now = Date.now();
	return writeTx(db, (tx) => {
		const total = 100_000_00;
		const round = tx
			.insert(rounds)
			.values({
				municipalityId,
				fiscalYear: 2030 + index,
				titleEs: c.name,
				budgetCents: total,
				phase: 'votacion',
				rules: c.rules,
				rulesFrozenAt: now,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		const split: [number | null, number][] =
			c.split === 'none'
				? [[null, total]]
				: c.split === 'zones'
					? [
							[zoneIds[0], 60_000_00],
							[zoneIds[1], 40_000_00]
						]
					: [
							[zoneIds[0], 40_000_00],
							[zoneIds[1], 30_000_00],
							[null, 30_000_00]
						];
		if (c.split !== 'none')
			for (const [zoneId, amountCents] of split)
				tx.insert(roundBudgets).values({ roundId: round.id, zoneId, amountCents }).run();
		let seq = 0;
		const budgets: Seeded['budgets'] = new Map();
		for (const [zoneId, amountCents] of split) {
			const props = [0.45, 0.3, 0.25, 0.2, 0.12, 0.3].map((f) => {
				const costCents = Math.round((amountCents * f) / 100) * 100;
				const p = tx
					.insert(proposals)
					.values({
						municipalityId,
						roundId: round.id,
						seq: ++seq,
						zoneId,
						authorPersonId: personId,
						originalLocale: 'es',
						title: `Proyecto ${seq}`,
						description: 'x',
						category: 'other',
						estimatedCostCents: costCents,
						beneficiaries: 10,
						status: 'on_ballot',
						createdAt: now,
						updatedAt: now
					})
					.returning()
					.get();
				return { id: p.id, seq: p.seq, costCents };
			});
			budgets.set(zoneId, { amountCents, props, choices: [] });
		}
		const choose = (b: { amountCents: number; props: { id: number; costCents: number }[] }): SectionChoices => {
			const shuffled = [...b.props].sort(() => rnd() - 0.5);
			// popular projects first more often: skew by seq
			const k = 1 + Math.floor(rnd() * 3);
			const pick = shuffled.slice(0, k);
			switch (c.rules.ballot.type) {
				case 'cumulative': {
					const pts = [5, 3, 2].slice(0, k);
					return { points: pick.map((p, i) => [p.id, pts[i]] as [number, number]) };
				}
				case 'ranked':
					return { rank: pick.map((p) => p.id) };
				case 'knapsack': {
					let left = b.amountCents;
					const fit = pick.filter((p) => (p.costCents <= left ? ((left -= p.costCents), true) : false));
					return { approve: fit.map((p) => p.id) };
				}
				default:
					return { approve: pick.map((p) => p.id) };
			}
		};
		const VOTERS = 11;
		for (let i = 0; i < VOTERS; i++) {
			const own = c.split === 'none' ? null : zoneIds[i % 2];
			const secs: (number | null)[] = c.split === 'zones+wide' ? [own, null] : [own];
			const ballot = tx
				.insert(ballots)
				.values({ municipalityId, roundId: round.id, channel: 'web', status: 'counted' })
				.returning()
				.get();
			for (const z of secs) {
				const b = budgets.get(z)!;
				// the last voter casts blank sections: still a voter of each budget
				const choices: SectionChoices =
					i === VOTERS - 1 ? ('approve' in choose(b) ? { approve: [] } : choose(b)) : choose(b);
				b.choices.push(choices);
				tx.insert(ballotSections).values({ ballotId: ballot.id, budgetZoneId: z, choices }).run();
			}
		}
		const out = new Set<number>();
		const mean = new Map<number, number>();
		if (c.rules.decision.rule !== 'votes') {
			const gate = tx
				.insert(scoringCriteria)
				.values({
					roundId: round.id,
					code: 'G',
					nameEs: 'Competencia municipal',
					kind: 'gate',
					bands: [],
					position: 1
				})
				.returning()
				.get();
			const pts = tx
				.insert(scoringCriteria)
				.values({
					roundId: round.id,
					code: 'P',
					nameEs: 'Impacto',
					kind: 'points',
					bands: [
						{ labelEs: 'bajo', labelQu: 'pisi', points: 10 },
						{ labelEs: 'alto', labelQu: 'hatun', points: 60 }
					],
					position: 2
				})
				.returning()
				.get();
			for (const b of budgets.values())
				b.props.forEach((p, i) => {
					// #0 of each budget: best score but outside municipal competence; #5: nobody scored it.
					if (i === 5) return void out.add(p.id);
					const values = i === 0 ? [60, 60] : [10 + 10 * ((i * 3) % 5), 10 + 10 * ((i * 7) % 5)];
					if (i === 0) out.add(p.id);
					values.forEach((v, s) => {
						const row = {
							roundId: round.id,
							proposalId: p.id,
							scorerKind: 'agent' as const,
							scorerKey: `agent-${s}`,
							advisory: false,
							enteredByUserId: userId,
							updatedAt: now
						};
						tx.insert(criterionScores)
							.values({ ...row, criterionId: gate.id, value: i === 0 ? 0 : 1 })
							.run();
						tx.insert(criterionScores)
							.values({ ...row, criterionId: pts.id, value: v })
							.run();
					});
					mean.set(p.id, (values[0] + values[1]) / 2);
				});
		}
		return { roundId: round.id, budgets, out, mean };
	});
}

/** Support per proposal straight from the seeded choices: votes, points, or positional points len..1. */
function supportOf(choices: SectionChoices[]): Map<number, number> {
	const s = new Map<number, number>();
	const add = (id: number, v: number) => s.set(id, (s.get(id) ?? 0) + v);
	for (const c of choices) {
		if ('approve' in c) c.approve.forEach((id) => add(id, 1));
		else if ('points' in c) c.points.forEach(([id, p]) => add(id, p));
		else c.rank.forEach((id, i) => add(id, c.rank.length - i));
	}
	return s;
}

/** Greedy written again from the rule's words: by key descending, ties by the round's tie-break, skip what does not fit. */
function expectedGreedy(
	props: { id: number; seq: number; costCents: number }[],
	key: (id: number) => number,
	tie: (a: { id: number; seq: number; costCents: number }, b: { id: number; seq: number; costCents: number }) => number,
	budget: number
): number[] {
	const order = [...props].sort((a, b) => key(b.id) - key(a.id) || tie(a, b));
	let left = budget;
	const out: number[] = [];
	for (const p of order)
		if (p.costCents <= left) {
			out.push(p.id);
			left -= p.costCents;
		}
	return out;
}

const t = (key: string, params?: Record<string, unknown>) => `${key}${params ? JSON.stringify(params) : ''}`;

/**
 * Seeds one case, computes, publishes, recounts each published `.pb` in-process with the printed command and
 * checks winners (independent greedy / naive MES), the cut-off line, statuses and figures. Returns one `.pb` per
 * engine command, written to a file, with its winners (for the CLI).
 */
export function runCase(c: Case, index: number): { args: string[]; file: string; selected: string[] }[] {
	const jobs: { args: string[]; file: string; selected: string[] }[] = [];
	const s = seed(c, index);
	db.update(rounds).set({ phase: 'resultados' }).where(eq(rounds.id, s.roundId)).run();
	const snap = computeResults(db, official, municipalityId, s.roundId);
	publishResults(db, official, municipalityId, s.roundId, snap.version);
	const pub = publishedResult(db, municipalityId, s.roundId)!.snapshot.parsed;
	// an unsplit round is one municipality-wide budget of the whole ceiling
	expect(pub.budgets.map((b) => b.budgetZoneId)).toEqual([...s.budgets.keys()].sort((a, b) => (a ?? 0) - (b ?? 0)));
	const k = c.rules.privateBelow ?? 10;
	for (const b of pub.budgets) {
		// fewer than k voters: no ballot lines, and the printed command recounts from the totals
		const args = recountArgs(b.withheld === 'projects' ? { ...pub, rule: 'greedy', scoreFrom: 'projects' } : pub);
		expect(b.withheld !== undefined).toBe(b.voters < k);
		if (b.withheld) expect(b.withheld).toBe(c.rules.allocation === 'mes' ? 'auditors' : 'projects');
		// fairness figures when votes decide (not for a budget kept private): the rule used and the other one
		if (c.rules.decision.rule === 'votes' && !b.withheld) {
			expect(b.fairness!.used.rule).toBe(pub.rule);
			expect(b.fairness!.other?.rule ?? null).toBe(otherRuleFor(c.rules));
			expect(b.fairness!.used.voters).toBeLessThanOrEqual(b.voters);
		} else expect(b.fairness).toBeUndefined();
		const seeded = s.budgets.get(b.budgetZoneId)!;
		expect(b.budgetCents).toBe(seeded.amountCents);
		expect(b.voters).toBe(seeded.choices.length);
		const funded = b.rows.filter((r) => r.selected).map((r) => r.proposalId);
		// never over the budget, never a proposal that failed a gate or that nobody scored
		expect(b.rows.filter((r) => r.selected).reduce((x, r) => x + r.costCents, 0)).toBeLessThanOrEqual(b.budgetCents);
		for (const id of s.out) {
			expect(funded).not.toContain(id);
			expect(db.select().from(proposals).where(eq(proposals.id, id)).get()!.status).toBe('not_selected');
		}

		// the published .pb, recounted with the printed command, gives the same winners
		const pb = publishedInput(db, municipalityId, s.roundId, b.fileName)!.pb;
		const e = parsePb(pb);
		expect(e.voters.length).toBe(b.withheld ? 0 : b.voters);
		if (b.withheld) expect(pb.split('\nVOTES\n')[1].trim().split('\n')).toHaveLength(1); // the header alone
		const seqOf = new Map(b.rows.map((r) => [r.proposalId, String(r.seq)]));
		// the public draw's seed: from the ballots when they are published, from the published totals otherwise
		if (pub.ties === 'draw') {
			expect(runRule(e, { rule: 'greedy', ties: 'draw' }).drawSeed).toBe(drawSeed(e));
			if (b.withheld) expect(b.drawSeed).toBe(drawSeed(e));
			else expect(b.drawSeed).toBeUndefined();
		}
		const voterFile = auditorFiles(db, municipalityId, s.roundId).find((f) => f.publicFile === b.fileName);
		expect(voterFile !== undefined).toBe(b.withheld === 'auditors');
		if (b.withheld === 'auditors') {
			// the auditors' per-voter file: every ballot of the budget, recounted with the printed command
			const full = parsePb(voterFile!.pb);
			expect(full.voters.length).toBe(b.voters);
			expect(sha256Hex(voterFile!.pb)).toBe(b.auditorPbSha256);
			expect(voterFile!.args).toEqual([
				'--rule',
				pub.rule,
				'--ties',
				pub.ties,
				...(b.drawSeed ? ['--draw-seed', b.drawSeed] : [])
			]);
			const byAuditor = runRule(full, { rule: pub.rule as never, ties: pub.ties as TieMode, drawSeed: b.drawSeed });
			expect(byAuditor.selected).toEqual(funded.map((id) => seqOf.get(id)));
			const x = plain(full, tieRanks(full, countVotes(full).votes, pub.ties as TieMode, b.drawSeed));
			const naive =
				pub.rule === 'mes-add1' ? naiveAdd1Wieliczka(x, 100n) : naiveMes(x, R.rat(full.budget, BigInt(x.n)));
			expect(byAuditor.selected).toEqual(naive.map((p) => full.projects[p].id));
			// MES needs the ballots: the page says so; the totals still match the seeded ballots
			const sup = supportOf(seeded.choices);
			for (const p of e.projects) {
				const id = seeded.props.find((x) => String(x.seq) === p.id)!.id;
				expect(p.fields.votes).toBe(
					String(seeded.choices.filter((ch) => 'approve' in ch && ch.approve.includes(id)).length)
				);
				expect(p.fields.score).toBe(String(sup.get(id) ?? 0));
			}
			continue;
		}
		const opts = { rule: args[1], ties: args[3], scoreFrom: args[5] } as Parameters<typeof runRule>[1];
		const recount = runRule(e, opts);
		expect(recount.selected).toEqual(funded.map((id) => seqOf.get(id)));
		if (!jobs.some((j) => j.args.join(' ') === args.join(' '))) {
			const file = join(tmp, `${index}-${b.fileName}`);
			writeFileSync(file, pb);
			jobs.push({ args, file, selected: recount.selected });
		}

		// expected winners, independently
		const eligible = seeded.props.filter((p) => !s.out.has(p.id));
		const tieMode = pub.ties as TieMode;
		const ranks = tieRanks(e, countVotes(e).votes, tieMode);
		const rankOf = new Map(eligible.map((p) => [p.id, ranks[e.projects.findIndex((x) => x.id === String(p.seq))]]));
		const tie = (a: { id: number }, b2: { id: number }) => rankOf.get(a.id)! - rankOf.get(b2.id)!;
		const support = supportOf(seeded.choices);
		if (c.rules.decision.rule === 'votes' && c.rules.allocation === 'greedy') {
			expect(funded).toEqual(expectedGreedy(eligible, (id) => support.get(id) ?? 0, tie, b.budgetCents));
		} else if (c.rules.decision.rule === 'scores') {
			expect(funded).toEqual(expectedGreedy(eligible, (id) => s.mean.get(id)!, tie, b.budgetCents));
		} else if (c.rules.decision.rule === 'mix') {
			const d = c.rules.decision;
			const maxV = Math.max(...eligible.map((p) => support.get(p.id) ?? 0));
			const maxS = Math.max(...eligible.map((p) => s.mean.get(p.id)!));
			const mix = (id: number) =>
				(d.voteWeight * (support.get(id) ?? 0)) / (maxV || 1) + (d.scoreWeight * s.mean.get(id)!) / (maxS || 1);
			expect(funded).toEqual(expectedGreedy(eligible, mix, tie, b.budgetCents));
		} else if (pub.rule !== 'mes-points') {
			const x = plain(e, ranks);
			const naive = pub.rule === 'mes-add1' ? naiveAdd1Wieliczka(x, 100n) : naiveMes(x, R.rat(e.budget, BigInt(x.n)));
			expect(recount.selected).toEqual(naive.map((p) => e.projects[p].id));
		}

		// what the page prints: one cut-off line, statuses, the right figure
		const view = rankedView(b.rows);
		const ranked = view.rows.filter((v) => v.position !== null);
		const cut = view.cutoffBefore ?? ranked.length;
		expect(ranked.slice(0, cut).every((v) => v.status === 'funded')).toBe(true);
		for (const v of view.rows.slice(cut)) expect(v.status).not.toBe('funded');
		// greedy: a project funded below the line fit in what was left after a bigger one was skipped
		for (const v of ranked.slice(cut)) expect(v.status).toBe(v.row.selected ? 'fundedLeftover' : 'reserve');
		expect(
			view.rows
				.filter((v) => v.status === 'notEligible')
				.map((v) => v.row.proposalId)
				.sort()
		).toEqual(
			seeded.props
				.filter((p) => s.out.has(p.id))
				.map((p) => p.id)
				.sort()
		);
		for (const v of view.rows) {
			const f = figureOf(v.row, pub);
			const text = figureText(f, t);
			const sup = support.get(v.row.proposalId) ?? 0;
			if (c.rules.decision.rule === 'votes') {
				if (c.rules.ballot.type === 'approval' || c.rules.ballot.type === 'knapsack') {
					expect(f).toEqual({ kind: 'votes', votes: sup });
					expect(text).toBe(String(sup));
				} else expect(f).toMatchObject({ kind: 'points', points: String(sup) });
			} else if (!v.row.ineligible) {
				const meanText = s.mean.get(v.row.proposalId)!.toFixed(2);
				expect(f).toMatchObject({ mean: meanText, kind: c.rules.decision.rule === 'mix' ? 'mix' : 'score' });
				expect(text).toContain(meanText);
				if (f.kind === 'score') expect(f.max).toBe(60);
				if (f.kind === 'mix') expect(f).toMatchObject({ votes: String(sup), voteWeight: 70, scoreWeight: 30 });
			}
		}
	}
	return jobs;
}
