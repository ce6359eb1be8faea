/**
 * The one way to read the census (and to write a row straight into it). The census is generational: an import
 * stages its rows as the next generation, which no reader sees, and one single-row write to `census_state` makes the
 * whole import visible at once (census-stage.ts). A DNI's census row is therefore the row of the HIGHEST generation
 * NOT ABOVE the municipality's active one: rows above it belong to an import not yet swapped in (or abandoned), rows
 * below it to older imports that the visible one supersedes (deleted in slices later; invisible meanwhile). Every
 * reader of `census_entry` goes through here: the sign-up check, the station's roll, the official's DNI look-up,
 * the verification after an import, the demo.
 *
 * Why generations rather than a staging table copied in at the end: the copy of 1,000,000 rows would be one long
 * write transaction (every vote waiting seconds), or slices that readers could see half-done. With generations the
 * rows are written once, in short batches, and the swap writes one row.
 */
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { countRows, type Db } from '../db/client';
import { censusEntries, censusState } from '../db/schema/index';

export type CensusEntry = typeof censusEntries.$inferSelect;

/** The generation readers see: the municipality's active one (0 before its first generational import). */
const activeGeneration = (municipalityId: number) =>
	sql`coalesce((select ${censusState.generation} from ${censusState} where ${censusState.municipalityId} = ${municipalityId}), 0)`;

/** A DNI's row in the municipality's census as readers see it, or null: one seek of (municipality, DNI, generation). */
export function censusEntryOf(db: Db, municipalityId: number, dniHmac: string): CensusEntry | null {
	return (
		db
			.select()
			.from(censusEntries)
			.where(
				and(
					eq(censusEntries.municipalityId, municipalityId),
					eq(censusEntries.dniHmac, dniHmac),
					lte(censusEntries.generation, activeGeneration(municipalityId))
				)
			)
			.orderBy(desc(censusEntries.generation))
			.limit(1)
			.get() ?? null
	);
}

/** The census rows readers see for several DNIs at once (a slice of registered residents), by DNI HMAC. */
export function censusEntriesOf(db: Db, municipalityId: number, dniHmacs: string[]): Map<string, CensusEntry> {
	const found = new Map<string, CensusEntry>();
	if (!dniHmacs.length) return found;
	const rows = db
		.select()
		.from(censusEntries)
		.where(
			and(
				eq(censusEntries.municipalityId, municipalityId),
				inArray(censusEntries.dniHmac, dniHmacs),
				lte(censusEntries.generation, activeGeneration(municipalityId))
			)
		)
		.all();
	for (const r of rows) {
		const seen = found.get(r.dniHmac);
		if (!seen || seen.generation < r.generation) found.set(r.dniHmac, r);
	}
	return found;
}

/**
 * DNIs in the municipality's census: the size the last swap (or direct write) remembered, one primary-key read.
 * Counting a 1,000,000-row census held the server's only thread 100–900 ms on every visit of the census page
 * (bench:census). A municipality with no state row yet (census rows written by seeds before any import) is counted.
 */
export function censusSize(db: Db, municipalityId: number): number {
	const state = db
		.select({ size: censusState.size })
		.from(censusState)
		.where(eq(censusState.municipalityId, municipalityId))
		.get();
	return state ? state.size : countRows(db, censusEntries, eq(censusEntries.municipalityId, municipalityId));
}

/**
 * Writes one row straight into the census a reader sees (inside the caller's transaction): the visible row of the
 * DNI is updated in place, or a new row is added in the active generation and the remembered size grows. For small
 * writes only (the demo, the synchronous import of a small file); a file goes through the staged import.
 */
export function putCensusEntry(
	tx: Db,
	municipalityId: number,
	row: { dniHmac: string; birthDate: string; zoneId: number | null; importedAt: number }
): 'added' | 'updated' {
	const visible = censusEntryOf(tx, municipalityId, row.dniHmac);
	if (visible) {
		tx.update(censusEntries)
			.set({ birthDate: row.birthDate, zoneId: row.zoneId, importedAt: row.importedAt })
			.where(eq(censusEntries.id, visible.id))
			.run();
		return 'updated';
	}
	const state = tx.select().from(censusState).where(eq(censusState.municipalityId, municipalityId)).get();
	tx.insert(censusEntries)
		.values({ municipalityId, ...row, generation: state?.generation ?? 0 })
		.run();
	if (state)
		tx.update(censusState)
			.set({ size: sql`${censusState.size} + 1` })
			.where(eq(censusState.municipalityId, municipalityId))
			.run();
	return 'added';
}
