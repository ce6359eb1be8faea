/**
 * The VOTES section has two readers (src/lib/domain/tally/votes.ts): rows read straight from the text
 * when no quote follows the VOTES header, and the general CSV path otherwise. A quote in the last row
 * (around a voter id, which the CSV reader takes off) sends the same file down the general path, so
 * both must give the same election — voters, warnings, counts, errors — on random messy files. Voters
 * are built lazily on the fast path: counting and MES must not need them, and they must be the same
 * objects the grouping of identical votes points to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countVotes } from '../../src/lib/domain/tally/count';
import { distinctVotes, voterCount } from '../../src/lib/domain/tally/distinct';
import { parsePb, runRule, writePb, type Election } from '../../src/lib/domain/tally/index';

const PROJECT_IDS = ['1', '2', '10', 'A7', 'b', '011'];

const rowArb = fc.record({
	id: fc.oneof(
		{ weight: 6, arbitrary: fc.constant('next') },
		fc.constantFrom('same', 'back', ' pad ', '', 'x9', '007')
	),
	vote: fc.oneof(
		{ weight: 6, arbitrary: fc.shuffledSubarray(PROJECT_IDS, { maxLength: 4 }).map((s) => s.join(',')) },
		fc.constantFrom('', 'none', 'None', ' 1, 2', '1,,2', '1,1', '99', '1 ,b', ',', ' ')
	),
	age: fc.constantFrom<string>('34', '30', '', ' 51 ', 'x'),
	shape: fc.oneof(
		{ weight: 8, arbitrary: fc.constant('plain') },
		fc.constantFrom('trailing;', 'short', 'long', 'blank-before', 'cr')
	)
});

const fileArb = fc.record({
	withAge: fc.boolean(),
	ageFirst: fc.boolean(),
	rows: fc.array(rowArb, { minLength: 1, maxLength: 30 }),
	crlf: fc.boolean()
});

type File = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;

/** The file text; `quoteLast` quotes the last row's voter id (same data, general CSV path). */
function text(f: File, quoteLast: boolean): string {
	const head = [
		'META',
		'key;value',
		'budget;1000',
		'vote_type;approval',
		`num_votes;${f.rows.length}`,
		'PROJECTS',
		'project_id;cost;votes',
		...PROJECT_IDS.map((p, i) => `${p};${100 + i * 37};3`),
		'VOTES',
		f.withAge ? (f.ageFirst ? 'age;voter_id;vote' : 'voter_id;vote;age') : 'voter_id;vote'
	];
	const lines: string[] = [];
	let n = 0;
	f.rows.forEach((r, i) => {
		const id = r.id === 'next' ? String(++n) : r.id === 'same' ? String(n) : r.id === 'back' ? '1' : r.id;
		const last = i === f.rows.length - 1;
		const idText = last && quoteLast ? `"${id}"` : id;
		let fields = f.withAge ? (f.ageFirst ? [r.age, idText, r.vote] : [idText, r.vote, r.age]) : [idText, r.vote];
		if (r.shape === 'short') fields = fields.slice(0, -1);
		if (r.shape === 'long') fields = [...fields, 'extra'];
		let line = fields.join(';');
		if (r.shape === 'trailing;') line += ';';
		if (r.shape === 'cr') line += '\r';
		if (r.shape === 'blank-before') lines.push('');
		lines.push(line);
	});
	return [...head, ...lines].join(f.crlf ? '\r\n' : '\n') + '\n';
}

function outcome(t: string): { election: Election } | { error: string } {
	try {
		return { election: parsePb(t) };
	} catch (e) {
		return { error: (e as Error).message };
	}
}

/** Everything a reader of the election can see (BigInts as text). */
function view(e: Election) {
	return JSON.parse(JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)));
}

describe('VOTES rows read from the text and through the CSV reader', () => {
	it('give the same election, warnings and errors', () => {
		fc.assert(
			fc.property(fileArb, (f) => {
				const fast = outcome(text(f, false));
				const general = outcome(text(f, true));
				if ('error' in general) {
					expect(fast).toEqual(general);
					return;
				}
				expect('election' in fast).toBe(true);
				const a = (fast as { election: Election }).election;
				const b = general.election;
				// counting first, while the fast path's voters are still pending
				expect(voterCount(a)).toBe(b.voters.length);
				expect(countVotes(a)).toEqual(countVotes(b));
				expect(runRule(a, { rule: 'mes' }).selected).toEqual(runRule(b, { rule: 'mes' }).selected);
				expect(view(a)).toEqual(view(b));
				// the grouping still describes the built voters
				const dv = distinctVotes(a);
				if (dv) a.voters.forEach((v, i) => expect(v.vote).toBe(dv.voteArray(dv.voteIdx[i])));
				// past the limit of grouped vote texts, the rows are read one by one with the same result
				const ungrouped = parsePb(text(f, false), { maxDistinct: 2 });
				expect(countVotes(ungrouped)).toEqual(countVotes(b));
				expect(runRule(ungrouped, { rule: 'mes' }).selected).toEqual(runRule(b, { rule: 'mes' }).selected);
				expect(view(ungrouped)).toEqual(view(b));
			}),
			{ numRuns: 300 }
		);
	});

	it('builds the voters only when asked, once, and lets them be replaced', () => {
		const t = text(
			{
				withAge: true,
				ageFirst: false,
				crlf: false,
				rows: [
					{ id: 'next', vote: '1,2', age: '30', shape: 'plain' },
					{ id: 'next', vote: '2,1', age: '', shape: 'plain' },
					{ id: 'next', vote: '1,2', age: ' 51 ', shape: 'plain' }
				]
			},
			false
		);
		const e = parsePb(t);
		expect(typeof Object.getOwnPropertyDescriptor(e, 'voters')?.get).toBe('function');
		expect(voterCount(e)).toBe(3);
		expect(countVotes(e).votes.slice(0, 2)).toEqual([3, 3]);
		expect(typeof Object.getOwnPropertyDescriptor(e, 'voters')?.get).toBe('function');
		const voters = e.voters;
		expect(e.voters).toBe(voters);
		expect(voters.map((v) => [v.id, v.extra, v.line])).toEqual([
			['1', ['30'], 16],
			['2', [''], 17],
			['3', ['51'], 18]
		]);
		expect(voters[0].vote).toBe(voters[2].vote);
		expect(writePb(e)).toContain('3;1,2;51');
		e.voters = voters.slice(0, 1);
		expect(voterCount(e)).toBe(1);
		expect(distinctVotes(e)).toBeNull();
	});
});
