/**
 * Keying paper ballots: one line per ballot paper, sections separated by `|` in the order printed on the paper
 * (the zone's section first, then the municipality-wide share). Projects are written by their public number
 * (N.º). approval/knapsack: "3 7 12"; cumulative: "3:2 7:1" (number:points); ranked: "7 3 12" (first choice
 * first). "-" or nothing = blank section. "NULO" (or "N", "X") = a void paper. Pure.
 */
import type { BallotRule } from './round-rules';
import { validateSection, type SectionChoices, type SectionSpec, type BallotError } from './ballot';

export interface PaperSection extends SectionSpec {
	/** Public number (proposal seq) → project id. */
	numbers: ReadonlyMap<number, number>;
}

export type PaperLine =
	| { kind: 'valid'; sections: SectionChoices[] }
	| { kind: 'void'; reason: 'marked' }
	| { kind: 'void'; reason: 'rules'; error: BallotError };

export type LineParse = PaperLine | { kind: 'unreadable'; error: BallotError };

const VOID = /^(nulo|n|x)$/i;

/** Normalises what was typed, so that two keyings differing only in spacing compare equal. */
export function normaliseLine(line: string): string {
	const t = line.trim();
	if (VOID.test(t)) return 'NULO';
	return t
		.split('|')
		.map(
			(s) =>
				s
					.trim()
					.replace(/\s*:\s*/g, ':')
					.split(/[\s,;]+/)
					.filter((x) => x && x !== '-')
					.join(' ') || '-'
		)
		.join(' | ');
}

/** Reads one keyed line against the sections of the batch's ballot paper. */
export function parsePaperLine(rule: BallotRule, sections: readonly PaperSection[], line: string): LineParse {
	const t = normaliseLine(line);
	if (t === 'NULO') return { kind: 'void', reason: 'marked' };
	// A lone "-" is a blank paper, whatever the number of sections.
	const parts = t === '-' ? sections.map(() => '-') : t.split(' | ');
	if (parts.length !== sections.length)
		return {
			kind: 'unreadable',
			error: { code: 'ballot.paperSections', params: { expected: sections.length, found: parts.length } }
		};
	const out: SectionChoices[] = [];
	for (let i = 0; i < parts.length; i++) {
		const tokens = parts[i] === '-' ? [] : parts[i].split(' ');
		const s = sections[i];
		const idOf = (tok: string): number | null => (/^\d{1,6}$/.test(tok) ? (s.numbers.get(Number(tok)) ?? null) : null);
		let input: unknown;
		if (rule.type === 'cumulative') {
			const pairs: [number, number][] = [];
			for (const tok of tokens) {
				const m = /^(\d{1,6}):(\d{1,4})$/.exec(tok);
				const id = m ? idOf(m[1]) : null;
				if (!m || id === null)
					return { kind: 'unreadable', error: { code: 'ballot.paperToken', params: { token: tok } } };
				pairs.push([id, Number(m[2])]);
			}
			input = { points: pairs };
		} else {
			const ids: number[] = [];
			for (const tok of tokens) {
				const id = idOf(tok);
				if (id === null) return { kind: 'unreadable', error: { code: 'ballot.paperToken', params: { token: tok } } };
				ids.push(id);
			}
			input = rule.type === 'ranked' ? { rank: ids } : { approve: ids };
		}
		const r = validateSection(rule, s, input);
		// A paper that breaks the rules (too many marks, over the budget) is void, as at any polling station.
		if (!r.ok) return { kind: 'void', reason: 'rules', error: r.error };
		out.push(r.choices);
	}
	return { kind: 'valid', sections: out };
}

export interface Discrepancy {
	/** 1-based line (ballot paper) number. */
	line: number;
	first: string | null;
	second: string | null;
}

/** Compares two independent keyings of the same batch, line by line (after normalising spacing). */
export function compareEntries(first: readonly string[], second: readonly string[]): Discrepancy[] {
	const out: Discrepancy[] = [];
	const n = Math.max(first.length, second.length);
	for (let i = 0; i < n; i++) {
		const a = i < first.length ? normaliseLine(first[i]) : null;
		const b = i < second.length ? normaliseLine(second[i]) : null;
		if (a !== b) out.push({ line: i + 1, first: a, second: b });
	}
	return out;
}

/** Splits a textarea into lines, dropping empty trailing lines only (an empty line in the middle is a blank paper "-"). */
export function splitLines(text: string): string[] {
	const lines = text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((l) => l.trim());
	while (lines.length && lines[lines.length - 1] === '') lines.pop();
	return lines.map((l) => (l === '' ? '-' : l));
}
