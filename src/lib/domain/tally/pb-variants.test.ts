/**
 * The engine reads every file pabutools' parser reads (issue 12 point 7), one test per feature of that parser:
 * section names in any case; the line after a section title is its header whatever it holds; blank lines anywhere;
 * `none` cells; a decimal comma in cost and budget; a byte-order mark; `choose-1` and `scoring` vote types;
 * cumulative and scoring ballots without points (empty ballots, as pabutools reads them). Each variant is compared
 * with the plain file it varies: same election, same outcome. The round trip through the writer is a property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePb, runRule, writePb, type Election, type RuleId } from './index';

const PLAIN = `META
key;value
description;Variants
num_projects;4
num_votes;5
budget;1000
vote_type;approval
PROJECTS
project_id;cost;name;target
a;600;Park;children
b;300;Bikes;adults
c;250;Library;children
d;450;Clinic;seniors
VOTES
voter_id;age;vote
1;30;a,b
2;41;a,c
3;52;b,c,d
4;63;a
5;74;d,c
`;

const RULES: RuleId[] = ['greedy', 'mes', 'mes-add1', 'phragmen'];
const outcome = (e: Election) => RULES.map((rule) => runRule(e, { rule, ties: 'lex' }).selected);
const ballots = (e: Election) => e.voters.map((v) => v.vote.map((p) => e.projects[p].id));

/** The variant reads as the same election as PLAIN and gives the same outcome under every rule. */
function sameAsPlain(text: string) {
	const plain = parsePb(PLAIN);
	const e = parsePb(text);
	expect(e.budget * 10n ** BigInt(plain.scale)).toBe(plain.budget * 10n ** BigInt(e.scale));
	expect(e.projects.map((p) => p.id)).toEqual(plain.projects.map((p) => p.id));
	expect(ballots(e)).toEqual(ballots(plain));
	expect(outcome(e)).toEqual(outcome(plain));
	return e;
}

describe('.pb variants pabutools reads', () => {
	it('section names in any case, with spaces around them', () => {
		sameAsPlain(PLAIN.replace('META\n', 'meta\n').replace('PROJECTS\n', ' Projects \n').replace('VOTES\n', 'votes\n'));
	});

	it('the line after META is its header whatever it holds (the older variant opens with a data row)', () => {
		const e = sameAsPlain(PLAIN.replace('key;value\n', ''));
		// pabutools reads "description;Variants" as META's header: it is not part of the META
		expect(e.meta['description']).toBeUndefined();
		expect(e.warnings.some((w) => /line 2: META header is not "key;value"/.test(w))).toBe(true);
	});

	it('headers without project_id / voter_id: the first column is the id, as pabutools reads it', () => {
		const e = sameAsPlain(PLAIN.replace('project_id;cost', 'id;cost').replace('voter_id;age', 'voter;age'));
		expect(e.voters[2].id).toBe('3');
	});

	it('blank lines anywhere: before the header, between rows, at the end, with white space', () => {
		const text = PLAIN.replace('META\n', '\nMETA\n\n')
			.replace('PROJECTS\n', '\nPROJECTS\n  \n')
			.replace('b;300', '\nb;300')
			.replace('VOTES\n', 'VOTES\n\n')
			.replace('3;52', '\n\n3;52')
			.concat('\n\n');
		const e = sameAsPlain(text);
		expect(e.warnings.some((w) => /empty line/.test(w))).toBe(true);
	});

	it('blank lines in a large VOTES section read straight from the text', () => {
		const rows = Array.from({ length: 1200 }, (_, i) => `${i + 1};30;${'abcd'[i % 4]}`);
		const dense = PLAIN.slice(0, PLAIN.indexOf('1;30;a,b')) + rows.join('\n') + '\n';
		const sparse = PLAIN.slice(0, PLAIN.indexOf('1;30;a,b')) + rows.join('\n\n') + '\n\n';
		expect(ballots(parsePb(sparse))).toEqual(ballots(parsePb(dense)));
	});

	it('"none" cells (any case) are missing values; a vote of none is an empty ballot', () => {
		const e = parsePb(
			PLAIN.replace('a;600;Park;children', 'a;600;Park;None').replace('1;30;a,b', '1;NONE;a,b').concat('6;none;none\n')
		);
		expect(outcome(e)).toEqual(outcome(parsePb(PLAIN.concat('6;;\n'))));
		expect(e.voters[5].vote).toEqual([]);
	});

	it('a decimal comma in cost and budget (with a warning)', () => {
		const e = sameAsPlain(PLAIN.replace('budget;1000', 'budget;"1000,00"').replace('b;300;', 'b;300,0;'));
		expect(e.warnings.filter((w) => /decimal comma/.test(w))).toHaveLength(2);
	});

	it('a byte-order mark and CRLF line ends', () => {
		sameAsPlain('\ufeff' + PLAIN.replace(/\n/g, '\r\n'));
	});

	it('choose-1 is read as approval', () => {
		const text = PLAIN.replace('vote_type;approval', 'vote_type;choose-1')
			.replace('a,b', 'a')
			.replace('a,c', 'c')
			.replace('b,c,d', 'b')
			.replace('d,c', 'd');
		const e = parsePb(text);
		expect(e.voteType).toBe('choose-1');
		const approval = parsePb(text.replace('vote_type;choose-1', 'vote_type;approval'));
		expect(outcome(e)).toEqual(outcome(approval));
		expect(runRule(e, { rule: 'greedy', ties: 'lex' }).selected).toEqual(['a', 'b']);
	});

	it('scoring ballots: points per project, negative points allowed, greedy ranks by their sum', () => {
		const text = PLAIN.replace('vote_type;approval', 'vote_type;scoring')
			.replace('voter_id;age;vote', 'voter_id;age;vote;points')
			.replace('1;30;a,b', '1;30;a,b;5,-2')
			.replace('2;41;a,c', '2;41;a,c;-3,4')
			.replace('3;52;b,c,d', '3;52;b,c,d;1,1,1')
			.replace('4;63;a', '4;63;a;2')
			.replace('5;74;d,c', '5;74;d,c;3,2');
		const e = parsePb(text);
		expect(e.voteType).toBe('scoring');
		// sums: a 4, b -1, c 7, d 4 → c, then a/d by lex: a (600) fits with c (250), d (450) does not
		expect(runRule(e, { rule: 'greedy', ties: 'lex' }).selected).toEqual(['c', 'a']);
	});

	for (const vt of ['cumulative', 'scoring'] as const) {
		it(`${vt} ballots without points are empty ballots (no points column, or a none cell)`, () => {
			const noColumn = parsePb(PLAIN.replace('vote_type;approval', `vote_type;${vt}`));
			expect(noColumn.voters.every((v) => v.vote.length === 0)).toBe(true);
			expect(noColumn.warnings.some((w) => /5 .* without points read as empty/.test(w))).toBe(true);
			const withPoints = PLAIN.replace('vote_type;approval', `vote_type;${vt}`)
				.replace('voter_id;age;vote', 'voter_id;age;vote;points')
				.replace('1;30;a,b', '1;30;a,b;none')
				.replace('2;41;a,c', '2;41;a,c;1,1')
				.replace('3;52;b,c,d', '3;52;b,c,d;')
				.replace('4;63;a', '4;63;a;1')
				.replace('5;74;d,c', '5;74;d,c;2,1');
			const e = parsePb(withPoints);
			expect(ballots(e)).toEqual([[], ['a', 'c'], [], ['a'], ['d', 'c']]);
			// a: 2, c: 2, d: 2 points; lex ties: a (600), then c (250) fits, d (450) does not
			expect(runRule(e, { rule: 'greedy', ties: 'lex' }).selected).toEqual(['a', 'c']);
		});
	}
});

/** Random text in every variant above, from a random election. */
const messyArb = fc
	.record({
		m: fc.integer({ min: 1, max: 6 }),
		voteType: fc.constantFrom('approval', 'choose-1', 'cumulative', 'scoring', 'ordinal'),
		pointsColumn: fc.boolean(),
		comma: fc.boolean(),
		bom: fc.boolean(),
		crlf: fc.boolean(),
		keyValue: fc.boolean(),
		titleCase: fc.constantFrom('upper', 'lower', 'mixed'),
		blanks: fc.array(fc.nat(), { maxLength: 6 }),
		seed: fc.integer()
	})
	.chain((o) =>
		fc.record({
			o: fc.constant(o),
			costs: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: o.m, maxLength: o.m }),
			budget: fc.integer({ min: 0, max: 120 }),
			ballots: fc.array(
				fc.record({
					vote: fc.shuffledSubarray([...Array(o.m).keys()]),
					points: fc.array(fc.integer({ min: -3, max: 9 }), { minLength: o.m, maxLength: o.m }),
					none: fc.boolean()
				}),
				{ maxLength: 14 }
			)
		})
	);

type Messy = typeof messyArb extends fc.Arbitrary<infer T> ? T : never;

function messyText(a: Messy) {
	const { o } = a;
	const title = (s: string) =>
		o.titleCase === 'upper' ? s : o.titleCase === 'lower' ? s.toLowerCase() : s[0] + s.slice(1).toLowerCase();
	const money = (x: number) => (o.comma ? `"${(x / 2).toFixed(1).replace('.', ',')}"` : String(x));
	const pts = o.voteType !== 'approval' && o.voteType !== 'choose-1' && o.pointsColumn;
	const points = (b: (typeof a.ballots)[number]) =>
		o.voteType === 'cumulative'
			? b.points.slice(0, b.vote.length).map((x) => Math.abs(x))
			: b.points.slice(0, b.vote.length);
	const lines = [
		title('META'),
		...(o.keyValue ? ['key;value'] : ['description;no key;value header']),
		`budget;${money(a.budget)}`,
		`vote_type;${o.voteType}`,
		title('PROJECTS'),
		'project_id;cost;name',
		...a.costs.map((c, p) => `p${p};${money(c)};${p % 2 ? 'None' : 'x'}`),
		title('VOTES'),
		pts ? 'voter_id;vote;points;sex' : 'voter_id;vote;sex',
		...a.ballots.map((b, i) => {
			const vote = o.voteType === 'choose-1' ? b.vote.slice(0, 1) : b.vote;
			const v = vote.map((p) => `p${p}`).join(',');
			if (!pts) return `${i + 1};${v};${b.none ? 'none' : 'f'}`;
			return `${i + 1};${v};${b.none ? 'none' : points({ ...b, vote }).join(',')};x`;
		})
	];
	for (const k of o.blanks) lines.splice(1 + (k % lines.length), 0, k % 3 ? '' : '  ');
	// a blank line between a title and its header is skipped as pabutools skips blank lines; never before the header
	// of the META variant (whose header is a data row we compare below)
	let text = lines.join(o.crlf ? '\r\n' : '\n') + '\n';
	if (o.bom) text = '\ufeff' + text;
	return text;
}

describe('ordinal points', () => {
	it('an ordinal file with points missing on some rows is counted by positions (pabutools ignores ordinal points)', () => {
		const ordinal = PLAIN.replace('vote_type;approval', 'vote_type;ordinal');
		const gaps = parsePb(
			ordinal
				.replace('voter_id;age;vote', 'voter_id;age;vote;points')
				.replace('1;30;a,b', '1;30;a,b;9,1')
				.replace('2;41;a,c', '2;41;a,c;none')
				.replace('3;52;b,c,d', '3;52;b,c,d;')
				.replace('4;63;a', '4;63;a;5')
				.replace('5;74;d,c', '5;74;d,c;5,5')
		);
		expect(gaps.hasPoints).toBe(false);
		expect(gaps.warnings.some((w) => /2 ordinal ballot\(s\) without points/.test(w))).toBe(true);
		expect(outcome(gaps)).toEqual(outcome(parsePb(ordinal)));
	});
});

describe('round trip through the writer', () => {
	it('any file the parser accepts gives the same outcome after writePb', () => {
		let rejected = 0;
		fc.assert(
			fc.property(messyArb, (a) => {
				let e: Election;
				try {
					e = parsePb(messyText(a));
				} catch {
					rejected++;
					return; // not accepted: nothing to round-trip
				}
				const again = parsePb(writePb(e));
				expect(ballots(again)).toEqual(ballots(e));
				expect(again.budget * 10n ** BigInt(e.scale)).toBe(e.budget * 10n ** BigInt(again.scale));
				const rules: RuleId[] =
					e.voteType === 'cumulative' || e.voteType === 'scoring'
						? ['greedy']
						: e.voteType === 'ordinal'
							? ['greedy']
							: ['greedy', 'mes', 'mes-add1', 'phragmen'];
				for (const rule of rules)
					expect(runRule(again, { rule, ties: 'lex' }).selected).toEqual(runRule(e, { rule, ties: 'lex' }).selected);
			}),
			{ numRuns: 200 }
		);
		// the generator writes files pabutools reads: almost all must be accepted for the property to say anything
		expect(rejected).toBeLessThan(10);
	});
});
