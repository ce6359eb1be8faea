/** Peru keeps UTC−5 all year (no daylight saving). */
const LIMA_OFFSET_MS = -5 * 60 * 60 * 1000;

/** Today's date (YYYY-MM-DD) in Peru: the one date helper (phases, voting window, council, workshops, terms). */
export function limaToday(now = Date.now()): string {
	return new Date(now + LIMA_OFFSET_MS).toISOString().slice(0, 10);
}
