/** Officials' counts: turnout and per-station reconciliation (counts only, never a voter). */
import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cachedRead } from '../db/read-cache';
import {
	ballots,
	ballotSections,
	paperBatches,
	persons,
	rollCounts,
	rollEntries,
	rollLookups,
	stations,
	webVoids,
	zones,
	type BallotChannel
} from '../db/schema/index';
import { authorize, type Actor } from '../platform/policy';
import { loadRound, type RoundRow } from './paper';
import { sealIfEnded } from './seal';

// ---------------------------------------------------------------------------------------------------------------
// Officials: turnout (counts only)

export function turnout(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.turnout', municipalityId);
	const round = loadRound(db, municipalityId, roundId);
	// The end-of-voting step starts when the window has ended (a worker runs it: these counts do not change with it).
	sealIfEnded(db, roundId);
	// The counts are aggregates over every ballot of the round: computed once per change of the data, not per reader.
	return cachedRead(db, `turnout:${municipalityId}:${roundId}`, () => countTurnout(db, municipalityId, round));
}

function countTurnout(db: Db, municipalityId: number, round: Pick<RoundRow, 'id' | 'titleEs' | 'phase'>) {
	const roundId = round.id;
	const counted = and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted'));
	const byChannel = db
		.select({ channel: ballots.channel, n: count() })
		.from(ballots)
		.where(counted)
		.groupBy(ballots.channel)
		.all();
	const replaced = db
		.select({ n: count() })
		.from(ballots)
		.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'superseded')))
		.get()!.n;
	// By zone: a ballot belongs to the zone whose section it carries (its own budget); wide-only ballots apart.
	const zoneRows = db
		.select({ zoneId: ballotSections.budgetZoneId, channel: ballots.channel, n: count() })
		.from(ballotSections)
		.innerJoin(ballots, eq(ballotSections.ballotId, ballots.id))
		.where(and(counted, sql`${ballotSections.budgetZoneId} is not null`))
		.groupBy(ballotSections.budgetZoneId, ballots.channel)
		.all();
	const zoneList = db
		.select()
		.from(zones)
		.where(eq(zones.municipalityId, municipalityId))
		.orderBy(asc(zones.name))
		.all();
	const eligible = db
		.select({ zoneId: persons.zoneId, n: count() })
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), sql`${persons.verifiedAt} is not null`))
		.groupBy(persons.zoneId)
		.all();
	const channels = ['web', 'assisted', 'paper'] as const;
	const perZone = zoneList.map((z) => {
		const row = Object.fromEntries(
			channels.map((c) => [c, zoneRows.find((r) => r.zoneId === z.id && r.channel === c)?.n ?? 0])
		) as Record<BallotChannel, number>;
		return {
			zoneId: z.id,
			name: z.name,
			...row,
			total: row.web + row.assisted + row.paper,
			verified: eligible.find((e) => e.zoneId === z.id)?.n ?? 0
		};
	});
	const totals = Object.fromEntries(channels.map((c) => [c, byChannel.find((r) => r.channel === c)?.n ?? 0])) as Record<
		BallotChannel,
		number
	>;
	const total = totals.web + totals.assisted + totals.paper;
	const zoned = perZone.reduce((s, z) => s + z.total, 0);
	return {
		round: { id: round.id, title: round.titleEs, phase: round.phase },
		totals: { ...totals, total, replaced, wideOnly: total - zoned },
		verified: eligible.reduce((s, e) => s + e.n, 0),
		perZone
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Officials: reconciliation per station

export function reconciliation(db: Db, actor: Actor | null, municipalityId: number, roundId: number) {
	authorize(actor, 'voting.turnout', municipalityId);
	loadRound(db, municipalityId, roundId);
	const stationList = db.select().from(stations).where(eq(stations.roundId, roundId)).orderBy(asc(stations.name)).all();
	sealIfEnded(db, roundId);
	// The roll's rows during voting and until publication; its counts afterwards (reduceRollToCounts).
	const marks = db.all<{ stationId: number; kind: BallotChannel | null; n: number }>(
		sql`SELECT station_id AS stationId, channel AS kind, sum(n) AS n FROM (
			SELECT station_id, channel, 1 AS n FROM ${rollEntries} WHERE round_id = ${roundId} AND station_id IS NOT NULL
			UNION ALL
			SELECT station_id, channel, n FROM ${rollCounts} WHERE round_id = ${roundId} AND station_id IS NOT NULL
		) GROUP BY station_id, channel`
	);
	const voids = db
		.select({ stationId: webVoids.stationId, n: count() })
		.from(webVoids)
		.where(eq(webVoids.roundId, roundId))
		.groupBy(webVoids.stationId)
		.all();
	const lookups = db
		.select({ stationId: rollLookups.stationId, n: count() })
		.from(rollLookups)
		.where(eq(rollLookups.roundId, roundId))
		.groupBy(rollLookups.stationId)
		.all();
	const counted = db
		.select({ stationId: ballots.stationId, channel: ballots.channel, n: count() })
		.from(ballots)
		// web ballots carry no station: skipped through the index (ballot_round_station), not counted and thrown away
		.where(and(eq(ballots.roundId, roundId), isNotNull(ballots.stationId), eq(ballots.status, 'counted')))
		.groupBy(ballots.stationId, ballots.channel)
		.all();
	const batches = db.select().from(paperBatches).where(eq(paperBatches.roundId, roundId)).all();
	return stationList.map((s) => {
		const mine = batches.filter((b) => b.stationId === s.id);
		const acceptedBatches = mine.filter((b) => b.status === 'accepted');
		const keyed = acceptedBatches.reduce((sum, b) => sum + (b.resolvedLines?.length ?? 0), 0);
		const markedPaper = marks.find((m) => m.stationId === s.id && m.kind === 'paper')?.n ?? 0;
		const markedAssisted = marks.find((m) => m.stationId === s.id && m.kind === 'assisted')?.n ?? 0;
		const paperAccepted = counted.find((c) => c.stationId === s.id && c.channel === 'paper')?.n ?? 0;
		const assisted = counted.find((c) => c.stationId === s.id && c.channel === 'assisted')?.n ?? 0;
		const declared = mine.reduce((sum, b) => sum + b.declaredCount, 0);
		const pending = mine.length - acceptedBatches.length;
		return {
			stationId: s.id,
			name: s.name,
			markedPaper,
			markedAssisted,
			declared,
			keyed,
			paperAccepted,
			paperVoid: keyed - paperAccepted,
			assisted,
			/** Web ballots voided after an in-person check of the DNI card at this station. */
			webVoided: voids.find((v) => v.stationId === s.id)?.n ?? 0,
			/** Roll look-ups by this station's officials. */
			lookups: lookups.find((l) => l.stationId === s.id)?.n ?? 0,
			pendingBatches: pending,
			// The counts agree: every paper handed out was keyed (none pending) and every assisted voter has a ballot.
			agrees: pending === 0 && markedPaper === keyed && declared === keyed && markedAssisted === assisted
		};
	});
}
