import { describe, expect, it } from 'vitest';
import { parseCsv, csvLine } from './csv';
import { buildElection, naturalCompare, parsePb, pbFromInput, writePb } from './pb';
import { PbError } from './types';

const SMALL = `META
key;value
description;Municipal PB in Wieliczka
country;Poland
unit;Wieliczka
instance;2020
num_projects;5
num_votes;4
budget;2500
rule;greedy
vote_type;approval
PROJECTS
project_id;cost;votes;name;category
1;600;3;"Park; phase ""II""";culture,education
2;800;2;Bikes;sport
4;1400.50;1;Library;culture
5;1000;0;Clinic;health
7;1200;1;School;education
VOTES
voter_id;age;sex;vote
1;34;f;1,2,4
2;51;m;1,2
3;22;f;1,7
4;;m;
`;

function errorOf(fn: () => unknown): PbError {
	try {
		fn();
	} catch (e) {
		if (e instanceof PbError) return e;
		throw e;
	}
	throw new Error('expected a PbError');
}

describe('csv', () => {
	it('handles quotes, escaped quotes, ; inside quotes and CRLF', () => {
		const recs = parseCsv('a;"b;c";"d ""e"""\r\n x ; y \r\n');
		expect(recs[0].fields).toEqual(['a', 'b;c', 'd "e"']);
		expect(recs[1].fields).toEqual(['x', 'y']);
		expect(recs[1].line).toBe(2);
	});
	it('keeps line numbers across a quoted line break', () => {
		const recs = parseCsv('a;"multi\nline"\nb;c\n');
		expect(recs[0].fields).toEqual(['a', 'multi\nline']);
		expect(recs[1]).toEqual({ fields: ['b', 'c'], line: 3 });
	});
	it('quotes only when needed', () => {
		expect(csvLine(['a', 'b;c', 'say "hi"', ' pad'])).toBe('a;"b;c";"say ""hi""";" pad"');
	});
});

describe('parsePb', () => {
	it('reads META, PROJECTS, VOTES with exact money and string ids', () => {
		const e = parsePb(SMALL);
		expect(e.voteType).toBe('approval');
		expect(e.scale).toBe(1); // 1400.50 needs one decimal
		expect(e.budget).toBe(25000n);
		expect(e.projects.map((p) => p.id)).toEqual(['1', '2', '4', '5', '7']);
		expect(e.projects[2].cost).toBe(14005n);
		expect(e.projects[0].fields['name']).toBe('Park; phase "II"');
		expect(e.voters).toHaveLength(4);
		expect(e.voters[3].vote).toEqual([]);
		expect(e.voters[3].extra).toEqual(['', 'm']);
		expect(e.warnings).toEqual([]);
	});

	it('accepts a BOM, CRLF line ends and a decimal comma (with a warning)', () => {
		const text = '\ufeff' + SMALL.replace('budget;2500', 'budget;2500,5').replace(/\n/g, '\r\n');
		const e = parsePb(text);
		expect(e.budget).toBe(25005n);
		expect(e.warnings.some((w) => /decimal comma/.test(w))).toBe(true);
	});

	it('warns when the votes column disagrees with the recount', () => {
		const e = parsePb(SMALL.replace('5;1000;0;Clinic', '5;1000;9;Clinic'));
		expect(e.warnings).toContain('project 5: votes column says 9, recount from VOTES gives 0');
	});

	it('warns about repeated voter ids, in increasing-integer and in general order', () => {
		expect(parsePb(SMALL.replace('3;22;f;1,7', '2;22;f;1,7')).warnings).toContain('1 repeated voter_id value(s)');
		expect(parsePb(SMALL.replace('3;22;f;1,7', '1;22;f;1,7')).warnings).toContain('1 repeated voter_id value(s)');
		const named = SMALL.replace('\n1;34', '\nb;34')
			.replace('\n2;51', '\na;51')
			.replace('\n3;22', '\nb;22')
			.replace('\n4;;', '\nc;;');
		expect(parsePb(named).warnings).toContain('1 repeated voter_id value(s)');
		expect(parsePb(SMALL).warnings).toEqual([]);
	});

	it('warns when num_votes / num_projects disagree', () => {
		const e = parsePb(SMALL.replace('num_votes;4', 'num_votes;5'));
		expect(e.warnings.some((w) => /num_votes is 5/.test(w))).toBe(true);
	});

	it('names the line of an unknown project in a vote', () => {
		const err = errorOf(() => parsePb(SMALL.replace('3;22;f;1,7', '3;22;f;1,8')));
		expect(err.line).toBe(23);
		expect(err.message).toMatch(/line 23: .*unknown project "8"/);
	});

	it('names the line of a row with too many fields', () => {
		const err = errorOf(() => parsePb(SMALL.replace('2;800;2;Bikes;sport', '2;800;2;Bikes;sport;extra')));
		expect(err.line).toBe(15);
	});

	it('rejects non-numeric and negative costs, duplicate ids, missing sections', () => {
		expect(errorOf(() => parsePb(SMALL.replace('2;800;2', '2;8x0;2'))).line).toBe(15);
		expect(errorOf(() => parsePb(SMALL.replace('2;800;2', '2;-800;2'))).line).toBe(15);
		expect(errorOf(() => parsePb(SMALL.replace('5;1000;0', '1;1000;0'))).line).toBe(17);
		expect(errorOf(() => parsePb(SMALL.slice(0, SMALL.indexOf('VOTES')))).message).toMatch(/missing VOTES/);
		expect(errorOf(() => parsePb(SMALL.replace('1;34;f;1,2,4', '1;34;f;1,2,1'))).line).toBe(21);
		expect(errorOf(() => parsePb(SMALL.replace('vote_type;approval', 'vote_type;borda'))).line).toBe(11);
	});

	it('is lenient where pabutools is: titles and headers with a trailing ";", short rows holding the required columns', () => {
		const text = SMALL.replace('\nPROJECTS\n', '\nPROJECTS;;\n')
			.replace('voter_id;age;sex;vote', 'voter_id;vote;age;sex;')
			.replace('1;34;f;1,2,4', '1;1,2,4;34;f')
			.replace('2;51;m;1,2', '2;1,2')
			.replace('3;22;f;1,7', '3;1,7;22;f')
			.replace('4;;m;', '4;;;m');
		const e = parsePb(text);
		expect(e.voterHeader).toEqual(['voter_id', 'vote', 'age', 'sex']);
		expect(e.voters[1].extra).toEqual(['', '']);
		expect(e.voters.map((v) => v.vote.length)).toEqual([3, 2, 2, 0]);
		expect(e.warnings.some((w) => /line 22: VOTES row has 2 fields/.test(w))).toBe(true);
		// a row too short to hold its vote is an error
		expect(errorOf(() => parsePb(SMALL.replace('2;51;m;1,2', '2;51'))).line).toBe(22);
	});

	it('reads cumulative points and checks their count', () => {
		const text = `META
key;value
budget;100
vote_type;cumulative
max_sum_points;3
PROJECTS
project_id;cost;score
a;50;5
b;60;1
VOTES
voter_id;vote;points
1;a,b;2,1
2;a;3
`;
		const e = parsePb(text);
		expect(e.voters[0].points).toEqual([2, 1]);
		expect(e.warnings).toEqual([]);
		expect(errorOf(() => parsePb(text.replace('1;a,b;2,1', '1;a,b;2'))).line).toBe(12);
		// without a points column the ballots give no points (pabutools reads them as empty ballots)
		const bare = parsePb(
			text.replace('voter_id;vote;points', 'voter_id;vote').replace('1;a,b;2,1', '1;a,b').replace('2;a;3', '2;a')
		);
		expect(bare.voters.map((v) => v.vote)).toEqual([[], []]);
	});
});

describe('writePb / buildElection', () => {
	it('round-trips a parsed file', () => {
		const e = parsePb(SMALL);
		const again = parsePb(writePb(e));
		expect(again.projects).toEqual(
			e.projects.map((p) => ({ ...p, line: again.projects.find((q) => q.id === p.id)!.line }))
		);
		expect(again.voters.map((v) => [v.id, v.vote, v.extra])).toEqual(e.voters.map((v) => [v.id, v.vote, v.extra]));
		expect(again.budget).toBe(e.budget);
		expect(again.meta).toEqual(e.meta);
	});

	it('writes projects in natural id order on request', () => {
		const e = parsePb(SMALL.replace('7;1200;1;School', '10;1200;1;School').replace('3;22;f;1,7', '3;22;f;1,10'));
		const text = writePb(e, { projectOrder: 'natural' });
		const ids = text
			.split('\n')
			.slice(text.split('\n').indexOf('PROJECTS') + 2)
			.slice(0, 5)
			.map((l) => l.split(';')[0]);
		expect(ids).toEqual(['1', '2', '4', '5', '10']);
		expect(naturalCompare('L9', 'L10')).toBeLessThan(0);
	});

	it('builds an election in memory through the same parser', () => {
		const input = {
			meta: { description: 'Zona Norte', country: 'Peru', unit: 'Minka', instance: '2026', currency: 'PEN' },
			budget: '1000.50',
			projects: [
				{ id: 'P-1', cost: '600.25', name: 'Agua; desagüe' },
				{ id: 'P-2', cost: '400.25', name: 'Losa "deportiva"' }
			],
			ballots: [
				{ id: 'b1', vote: ['P-1'] },
				{ id: 'b2', vote: ['P-1', 'P-2'] },
				{ id: 'b3', vote: [] }
			]
		};
		const e = buildElection(input);
		expect(e.scale).toBe(2);
		expect(e.budget).toBe(100050n);
		expect(e.projects[1].fields['name']).toBe('Losa "deportiva"');
		expect(e.voters).toHaveLength(3);
		expect(pbFromInput(input)).toContain('num_votes;3');
		expect(() => buildElection({ ...input, ballots: [{ id: 'x', vote: ['P-9'] }] })).toThrow(/unknown project "P-9"/);
	});
});
