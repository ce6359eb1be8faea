/**
 * The public draw on a budget kept private (issue 12 point 6): a file without ballot lines whose projects carry
 * their totals is seeded by those totals, so the seed is derivable from what is published; a file with ballots
 * keeps the ballots' seed; `drawSeed` in the options replaces the file's own (the auditors' recount of the ballots).
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '@oslojs/crypto/sha2';
import { drawLots, drawSeed, parsePb, runRule } from './index';

const sha = (s: string) =>
	Array.from(sha256(new TextEncoder().encode(s)), (x) => x.toString(16).padStart(2, '0')).join('');

const file = (projects: string, votes: string, header = 'project_id;cost;votes;score') =>
	[
		'META',
		'key;value',
		'description;draw',
		'country;Peru',
		'unit;1',
		'instance;2030',
		`num_projects;${projects.split('\n').length}`,
		`num_votes;${votes ? votes.split('\n').length : 0}`,
		'budget;100',
		'vote_type;approval',
		'rule;greedy',
		'PROJECTS',
		header,
		projects,
		'VOTES',
		'voter_id;vote',
		...(votes ? [votes] : [])
	].join('\n') + '\n';

// three projects of 50 with two votes each: every order is a tie, the draw decides which two are funded
const totals = file('1;50;2;2\n2;50;2;2\n3;50;2;2', '');

describe('the public draw of a file without ballot lines', () => {
	it('is seeded by the projects totals (id;votes;score lines, sorted), not by an empty ballot list', () => {
		const e = parsePb(totals);
		expect(drawSeed(e)).toBe(sha('1;2;2\n2;2;2\n3;2;2'));
		expect(drawSeed(e)).not.toBe(sha(''));
		// other totals, another seed: the ballots decided them
		expect(drawSeed(parsePb(file('1;50;3;3\n2;50;2;2\n3;50;1;1', '')))).not.toBe(drawSeed(e));
		// the count from the published file prints that seed and draws by it
		const r = runRule(e, { rule: 'greedy', ties: 'draw', scoreFrom: 'projects' });
		expect(r.drawSeed).toBe(drawSeed(e));
		const lots = drawLots(e);
		const byLot = e.projects.map((p, i) => [lots[i], p.id]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
		expect(r.selected).toEqual([byLot[0][1], byLot[1][1]]);
	});

	it('keeps the old seed where there are no totals to go by (no votes column)', () => {
		expect(drawSeed(parsePb(file('1;50\n2;50', '', 'project_id;cost')))).toBe(sha(''));
	});

	it('a file with ballots is seeded by its ballots, whatever its votes column says', () => {
		const withBallots = file('1;50;1;1\n2;50;1;1', 'a;1\nb;2');
		expect(drawSeed(parsePb(withBallots))).toBe(sha('1\n2'));
	});

	it('a seed given in the options replaces the file own, for the draw and in the result', () => {
		const ballots = parsePb(file('1;50;2;2\n2;50;2;2\n3;50;2;2', 'a;1,2\nb;2,3\nc;1,3'));
		const seed = drawSeed(parsePb(totals));
		const r = runRule(ballots, { rule: 'greedy', ties: 'draw', drawSeed: seed });
		expect(r.drawSeed).toBe(seed);
		// the same winners as the published file of totals gives: one draw, whoever counts
		expect(r.selected).toEqual(
			runRule(parsePb(totals), { rule: 'greedy', ties: 'draw', scoreFrom: 'projects' }).selected
		);
		expect(runRule(ballots, { rule: 'greedy', ties: 'draw' }).drawSeed).toBe(drawSeed(ballots));
	});
});
