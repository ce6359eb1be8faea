import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { cachedRead } from '../db/read-cache';
import { proposals, resultInputs, resultSnapshots } from '../db/schema/index';
import type { BudgetResult } from './budget';

export type { BudgetResult } from './budget';

export interface SnapshotBody {
	roundId: number;
	fiscalYear: number;
	rule: string;
	ties: string;
	scoreFrom: string;
	decision: unknown;
	allocation: string;
	/** the round's frozen rule fields that decide the count (absent in snapshots made before they were recorded) */
	mesCompletion?: string | null;
	tieBreak?: string;
	/** k of the round (budgets with fewer voters publish no ballot lines); absent in older snapshots */
	privateBelow?: number;
	ballotType: string;
	scoreScale: string | null;
	budgets: BudgetResult[];
	/**
	 * Paper batches counted after version `lateAfterVersion` was computed, each with the official's public reason:
	 * why this version exists (absent otherwise, and in older snapshots).
	 */
	lateBatches?: { batch: string; station: string; reason: string }[];
	lateAfterVersion?: number;
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

export const parseSnapshot = (s: typeof resultSnapshots.$inferSelect): Snapshot => ({
	...s,
	parsed: JSON.parse(s.body) as SnapshotBody
});

export function listSnapshots(db: Db, municipalityId: number, roundId: number): Snapshot[] {
	return db
		.select()
		.from(resultSnapshots)
		.where(and(eq(resultSnapshots.municipalityId, municipalityId), eq(resultSnapshots.roundId, roundId)))
		.orderBy(desc(resultSnapshots.version))
		.all()
		.map(parseSnapshot);
}

/** The newest published snapshot, and how many published versions exist (a recount after publication shows). */
export function publishedResult(
	db: Db,
	municipalityId: number,
	roundId: number
): { snapshot: Snapshot; versions: number[] } | null {
	// Read by every visitor of the public results page: parsed once per change of the data (shared, read-only).
	return cachedRead(db, `publishedResult:${municipalityId}:${roundId}`, () =>
		readPublished(db, municipalityId, roundId)
	);
}

function readPublished(db: Db, municipalityId: number, roundId: number) {
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
	return { snapshot: parseSnapshot(rows[0]), versions: rows.map((r) => r.version) };
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

/**
 * Each proposal's title in the reader's language, for the results tables (a snapshot stores the title as filed, and
 * the `.pb` keeps that one name): the original when filed in that language, else its reviewed translation if any.
 */
export function localTitles(db: Db, municipalityId: number, roundId: number, locale: string): Map<number, string> {
	return new Map(
		db
			.select({
				id: proposals.id,
				title: proposals.title,
				originalLocale: proposals.originalLocale,
				translatedTitle: proposals.translatedTitle
			})
			.from(proposals)
			.where(and(eq(proposals.municipalityId, municipalityId), eq(proposals.roundId, roundId)))
			.all()
			.map((p) => [p.id, p.originalLocale !== locale && p.translatedTitle ? p.translatedTitle : p.title])
	);
}

/** The snapshot's budgets with each row's title in the reader's language (see localTitles). */
export function withLocalTitles(budgets: BudgetResult[], titles: Map<number, string>): BudgetResult[] {
	return budgets.map((b) => ({
		...b,
		rows: b.rows.map((r) => ({ ...r, title: titles.get(r.proposalId) ?? r.title }))
	}));
}

/**
 * The published snapshot's per-voter files of budgets kept private and counted by MES (the auditors' zip): name,
 * text, and what recounts it. Authorise 'results.auditorFiles' before calling.
 */
export function auditorFiles(db: Db, municipalityId: number, roundId: number) {
	const pub = publishedResult(db, municipalityId, roundId);
	if (!pub) return [];
	const rows = db
		.select()
		.from(resultInputs)
		.where(and(eq(resultInputs.snapshotId, pub.snapshot.id), isNotNull(resultInputs.auditorPb)))
		.all();
	return rows.map((r) => {
		const b = pub.snapshot.parsed.budgets.find((x) => x.fileName === r.fileName);
		return {
			fileName: r.fileName.replace(/\.pb$/, '_votantes.pb'),
			publicFile: r.fileName,
			zoneName: b?.zoneName ?? null,
			pb: r.auditorPb!,
			args: [
				'--rule',
				pub.snapshot.parsed.rule,
				'--ties',
				pub.snapshot.parsed.ties,
				...(b?.drawSeed ? ['--draw-seed', b.drawSeed] : [])
			]
		};
	});
}
