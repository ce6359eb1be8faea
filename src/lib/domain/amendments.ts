/**
 * Amendments: once a record is public, a change to it is a correction that keeps the previous value, who made it,
 * when and why. Pure helpers shared by every amendable record; storage is in server/amendments.
 */

/** Every kind of record that can be amended after it is public. */
export const AMENDABLE_RECORDS = [
	'execution',
	'milestone',
	'observation',
	'round',
	'councilSession',
	'councilMember',
	'councilAttendance',
	'councilAgreement',
	'acta'
] as const;
export type AmendableRecord = (typeof AMENDABLE_RECORDS)[number];

/** How a value is shown: the public component formats each kind (dates, percentages, statuses, files…). */
export const AMENDMENT_VALUE_KINDS = [
	'text',
	'date',
	'percent',
	'money',
	'executionStatus',
	'attendanceStatus',
	'councilRole',
	'file',
	'time'
] as const;
export type AmendmentValueKind = (typeof AMENDMENT_VALUE_KINDS)[number];

export interface AmendmentChange {
	/** A stable field code (translated under amendments.field). */
	field: string;
	kind: AmendmentValueKind;
	previous: string | null;
	current: string | null;
}

type Comparable = string | number | null | undefined;

/**
 * The changes between two versions of a record, over the given fields (field → kind). Values are compared as
 * strings; undefined in `after` means "not given, unchanged".
 */
export function changesBetween(
	before: object,
	after: object,
	fields: Record<string, AmendmentValueKind>
): AmendmentChange[] {
	const b = before as Record<string, Comparable>;
	const a = after as Record<string, Comparable>;
	const str = (v: Comparable) => (v === null || v === undefined || v === '' ? null : String(v));
	const out: AmendmentChange[] = [];
	for (const [field, kind] of Object.entries(fields)) {
		if (a[field] === undefined) continue;
		const previous = str(b[field]);
		const current = str(a[field]);
		if (previous !== current) out.push({ field, kind, previous, current });
	}
	return out;
}

/** What the public sees of one correction. */
export interface AmendmentView extends AmendmentChange {
	reason: string;
	/** Epoch milliseconds. */
	amendedAt: number;
	/** Position of the recording event in the audit chain. */
	auditSeq: number;
}
