/**
 * Reader and writer for the pabulib `.pb` format (see ../shared/specs/tally-rules.md §1).
 * Pure TypeScript: no Node APIs, so it also runs in a browser.
 */
import { CsvError, csvLine, forEachCsvRecord, type CsvRecord } from './csv';
import { countVotes } from './count';
import { formatUnits, parseDecimal, toScale, type Decimal } from './decimal';
import { distinctVotes, rememberDistinct, type DistinctVotes } from './distinct';
import { checkHeader, headerOf, isMissing, rowFields } from './pb-fields';
import { PbError, VOTE_TYPES, type Election, type Project, type VoteType, type Voter } from './types';
import { scanVotes, VotesReader } from './votes';

export { distinctVotes, type DistinctVotes };

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;
type Section = (typeof SECTIONS)[number];

/** A section title: the first field is META/PROJECTS/VOTES and any other field is empty (as pabutools reads it). */
function sectionTitle(fields: string[]): Section | null {
	const t = fields[0].toUpperCase();
	if (t !== 'META' && t !== 'PROJECTS' && t !== 'VOTES') return null;
	for (let i = 1; i < fields.length; i++) if (fields[i] !== '') return null;
	return t;
}

/**
 * Parses a `.pb` text. Throws PbError (with the line number) on malformed input.
 * Warnings (count mismatches, decimal commas, …) are collected in `election.warnings`.
 * VOTES rows are processed while they are read (large files: nothing per row outlives the row
 * except the voter itself). options.maxDistinct: how many distinct vote texts to group (default a million).
 */
export function parsePb(text: string, options: { maxDistinct?: number } = {}): Election {
	const warnings: string[] = [];
	const warn = (msg: string) => {
		if (warnings.length < 200) warnings.push(msg);
		else if (warnings.length === 200) warnings.push('… further warnings omitted');
	};
	const bodies: { META: CsvRecord[]; PROJECTS: CsvRecord[] } = { META: [], PROJECTS: [] };
	const titleLine: Partial<Record<Section, number>> = {};
	let current: Section | null = null;
	let blankLines = 0;
	let lastLine = 1;
	let head: Head | null = null;
	let votes: VotesReader | null = null;
	const visit = (fields: string[], line: number): boolean => {
		lastLine = line;
		if (fields.length === 1 || fields[fields.length - 1] === '') {
			if (fields.length === 1 && fields[0] === '') {
				blankLines++;
				return false;
			}
			const title = sectionTitle(fields);
			if (title) {
				const expected =
					current === null ? 'META' : current === 'META' ? 'PROJECTS' : current === 'PROJECTS' ? 'VOTES' : null;
				if (title !== expected) {
					throw new PbError(
						expected ? `expected section ${expected}, found ${title}` : `unexpected section ${title} after VOTES`,
						line
					);
				}
				current = title;
				titleLine[title] = line;
				if (title === 'VOTES') {
					for (const s of ['META', 'PROJECTS'] as const) {
						if (bodies[s].length === 0) throw new PbError(`${s} section has no header line`, titleLine[s]!);
					}
					head = readHead(bodies.META, bodies.PROJECTS, titleLine.META!, warn);
				}
				return false;
			}
		}
		if (current === null) throw new PbError('the file must start with a META section title', line);
		if (current === 'VOTES') {
			if (votes !== null) votes.row(fields, line);
			else {
				votes = new VotesReader(head!, fields, line, warn, options.maxDistinct);
				// META num_votes sizes the reader (each row takes at least two characters, so a wrong count costs little)
				const expected = Number(head!.meta['num_votes']);
				if (Number.isSafeInteger(expected) && expected > 0) votes.reserve(Math.min(expected, (text.length >> 1) + 1));
				return true; // the rows are read below
			}
		} else bodies[current].push({ fields, line });
		return false;
	};
	try {
		const rows = forEachCsvRecord(text, visit);
		const reader = votes as VotesReader | null;
		if (rows && reader) {
			// without quotes every line is one record: read the rows straight from the text
			if (text.indexOf('"', rows.pos) === -1)
				lastLine = Math.max(lastLine, scanVotes(text, rows.pos, rows.line, reader, visit));
			else forEachCsvRecord(text, visit, rows);
		}
	} catch (err) {
		if (err instanceof CsvError) throw new PbError(err.message, err.line);
		throw err;
	}
	if (blankLines > 0) warn(`${blankLines} empty line(s) ignored`);
	for (const s of SECTIONS) if (titleLine[s] === undefined) throw new PbError(`missing ${s} section`, lastLine);
	if (votes === null) throw new PbError('VOTES section has no header line', titleLine.VOTES!);
	const h = head as unknown as Head;
	const v = votes as VotesReader;
	const { meta, voteType, budget, scale, projectHeader, projects } = h;
	const count = v.count;
	// Voter objects are built only when something reads election.voters (below): counting and MES work
	// from the grouping of identical votes, and a large election is mostly its voters.
	// An ordinal file whose points column is missing on some rows is counted by positions only (pabutools never
	// reads ordinal points at all).
	const hasPoints = v.hasPoints && v.ordinalGaps === 0;
	if (v.ordinalGaps > 0) warn(`${v.ordinalGaps} ordinal ballot(s) without points: the points column is not used`);
	const voters = hasPoints ? v.materialize() : null;
	if (v.dupVoters > 0) warn(`${v.dupVoters} repeated voter_id value(s)`);
	if (v.emptied > 0)
		warn(`${v.emptied} ${voteType} ballot(s) without points read as empty ballots, as pabutools reads them`);

	let pointScale = 0;
	if (v.decimalPoints && hasPoints) {
		for (const pts of v.rawPoints)
			if (pts) for (const x of pts) pointScale = Math.max(pointScale, parseDecimal(x)!.scale);
	}
	if (voteType === 'scoring' && !isMissing(meta['default_score'])) {
		const d = parseDecimal(meta['default_score']);
		if (!d) throw new PbError(`default_score "${meta['default_score']}" is not a number`, h.metaLine('default_score'));
		pointScale = Math.max(pointScale, d.scale);
	}
	if (voters) {
		for (let i = 0; i < voters.length; i++) {
			const pts = v.rawPoints[i]!;
			const out = new Array<number>(pts.length);
			for (let k = 0; k < pts.length; k++) {
				const x = pointScale === 0 ? Number(pts[k]) : Number(toScale(parseDecimal(pts[k])!, pointScale));
				if (!Number.isSafeInteger(x)) throw new PbError(`points value "${pts[k]}" is too large`, voters[i].line);
				out[k] = x;
			}
			voters[i].points = out;
		}
		if (voteType === 'approval' || voteType === 'choose-1') warn('approval ballots: the points column is ignored');
	}

	const election: Election = {
		meta,
		voteType,
		budget,
		scale,
		pointScale,
		projectHeader,
		projects,
		voterHeader: v.header,
		voterColumns: v.voterColumns,
		hasPoints,
		voters: voters ?? [],
		warnings
	};
	if (!voters) {
		const settle = (list: Voter[]) =>
			Object.defineProperty(election, 'voters', { value: list, writable: true, enumerable: true, configurable: true });
		Object.defineProperty(election, 'voters', {
			enumerable: true,
			configurable: true,
			get: () => {
				const list = v.materialize();
				settle(list);
				return list;
			},
			set: settle
		});
	}
	if (v.complete) {
		rememberDistinct(election, {
			count: v.distinctCount,
			start: v.start,
			flat: v.flat,
			voteIdx: v.voteIdx.subarray(0, count),
			voteArray: (d) => v.voteArray(d)
		});
	}

	// ---- consistency checks (warnings only) -------------------------------------------------
	const np = meta['num_projects'];
	if (!isMissing(np) && Number(np) !== projects.length)
		warn(`META num_projects is ${np} but PROJECTS has ${projects.length} rows`);
	const nv = meta['num_votes'];
	if (!isMissing(nv) && Number(nv) !== count) warn(`META num_votes is ${nv} but VOTES has ${count} rows`);
	const counts = countVotes(election);
	// a file without ballot lines carries totals only (a small budget kept private): nothing to recount them from
	for (let p = 0; p < (count > 0 ? projects.length : 0); p++) {
		const pr = projects[p];
		const vText = fieldCI(pr.fields, 'votes');
		if (!isMissing(vText)) {
			const d = parseDecimal(vText!);
			if (!d || d.scale !== 0 || d.int !== BigInt(counts.votes[p])) {
				warn(`project ${pr.id}: votes column says ${vText}, recount from VOTES gives ${counts.votes[p]}`);
			}
		}
		if (voteType !== 'approval' && voteType !== 'choose-1') {
			const sText = fieldCI(pr.fields, 'score');
			if (!isMissing(sText)) {
				const d = parseDecimal(sText!);
				const recount = formatUnits(counts.score[p], counts.scoreScale);
				if (!d || d.scale > counts.scoreScale || toScale(d, counts.scoreScale) !== counts.score[p]) {
					warn(`project ${pr.id}: score column says ${sText}, recount from VOTES gives ${recount}`);
				}
			}
		}
	}
	return election;
}

interface Head {
	meta: Record<string, string>;
	metaLine: (key: string) => number;
	voteType: VoteType;
	budget: bigint;
	scale: number;
	projectHeader: string[];
	projects: Project[];
	projIndex: Map<string, number>;
}

/** META and PROJECTS, read once the VOTES title is reached. */
function readHead(
	metaRows: CsvRecord[],
	projRows: CsvRecord[],
	metaTitleLine: number,
	warn: (m: string) => void
): Head {
	// The line after a section title is its header, whatever it holds (as pabutools reads it): some older files open
	// META with a data row instead of "key;value", and that row is then not part of the META (pabutools drops it too).
	const metaHeader = metaRows[0];
	if (
		metaHeader.fields.length !== 2 ||
		metaHeader.fields[0].toLowerCase() !== 'key' ||
		metaHeader.fields[1].toLowerCase() !== 'value'
	) {
		warn(
			`line ${metaHeader.line}: META header is not "key;value"; the row is read as the header and ignored, as pabutools does`
		);
	}
	const meta: Record<string, string> = {};
	for (const r of metaRows.slice(1)) {
		const key = r.fields[0];
		if (key === '') throw new PbError('META row without a key', r.line);
		let value: string;
		if (r.fields.length === 1) value = '';
		else if (r.fields.length === 2) value = r.fields[1];
		else {
			value = r.fields.slice(1).join(';');
			warn(`line ${r.line}: META value for "${key}" contains unquoted ";"`);
		}
		if (Object.prototype.hasOwnProperty.call(meta, key))
			warn(`line ${r.line}: META key "${key}" repeated; the last value is used`);
		meta[key] = value;
	}
	const metaLine = (key: string): number => {
		const r = metaRows.find((row) => row.fields[0] === key);
		return r ? r.line : metaTitleLine;
	};

	let voteType: VoteType;
	const vtRaw = (meta['vote_type'] ?? '').trim().toLowerCase();
	if (vtRaw === '') {
		warn('META vote_type missing; assuming approval');
		voteType = 'approval';
	} else if ((VOTE_TYPES as readonly string[]).includes(vtRaw)) {
		voteType = vtRaw as VoteType;
	} else {
		throw new PbError(
			`unknown vote_type "${meta['vote_type']}" (expected one of ${VOTE_TYPES.join(', ')})`,
			metaLine('vote_type')
		);
	}

	if (isMissing(meta['budget'])) throw new PbError('META budget is missing', metaTitleLine);
	const budgetDec = parseDecimal(meta['budget']);
	if (!budgetDec) throw new PbError(`budget "${meta['budget']}" is not a number`, metaLine('budget'));
	if (budgetDec.int < 0n) throw new PbError('budget is negative', metaLine('budget'));
	if (budgetDec.sawComma) warn(`line ${metaLine('budget')}: decimal comma in budget`);

	const projectHeader = headerOf(projRows[0].fields, projRows[0].line, warn);
	const lowerP = projectHeader.map((h) => h.toLowerCase());
	// pabutools takes a project's id from the first column whatever its name
	if (!lowerP.includes('project_id') && lowerP[0] !== 'cost' && projectHeader[0] !== '') {
		warn(
			`line ${projRows[0].line}: PROJECTS has no project_id column; its first column "${projectHeader[0]}" is read as the id`
		);
		projectHeader[0] = lowerP[0] = 'project_id';
	}
	const idCol = lowerP.indexOf('project_id');
	const costCol = lowerP.indexOf('cost');
	if (idCol < 0) throw new PbError('PROJECTS header has no project_id column', projRows[0].line);
	if (costCol < 0) throw new PbError('PROJECTS header has no cost column', projRows[0].line);
	checkHeader(projectHeader, projRows[0].line);
	const projects: Project[] = [];
	const costDecs: Decimal[] = [];
	const projIndex = new Map<string, number>();
	for (const r of projRows.slice(1)) {
		const f = rowFields(r.fields, r.line, projectHeader.length, Math.max(idCol, costCol), 'PROJECTS', warn);
		const id = f[idCol];
		if (id === '') throw new PbError('empty project_id', r.line);
		if (projIndex.has(id)) throw new PbError(`duplicate project_id "${id}"`, r.line);
		const costText = f[costCol];
		if (isMissing(costText)) throw new PbError(`project ${id} has no cost`, r.line);
		const cd = parseDecimal(costText);
		if (!cd) throw new PbError(`cost "${costText}" of project ${id} is not a number`, r.line);
		if (cd.int < 0n) throw new PbError(`cost of project ${id} is negative`, r.line);
		if (cd.sawComma) warn(`line ${r.line}: decimal comma in the cost of project ${id}`);
		const fields: Record<string, string> = {};
		for (let c = 0; c < projectHeader.length; c++) if (c !== idCol && c !== costCol) fields[projectHeader[c]] = f[c];
		projIndex.set(id, projects.length);
		projects.push({ id, cost: 0n, fields, line: r.line });
		costDecs.push(cd);
	}
	const scale = Math.max(budgetDec.scale, ...costDecs.map((d) => d.scale));
	const budget = toScale(budgetDec, scale);
	projects.forEach((p, i) => {
		p.cost = toScale(costDecs[i], scale);
		if (p.cost === 0n) warn(`project ${p.id} costs 0`);
		else if (p.cost > budget) warn(`project ${p.id} costs more than the whole budget`);
	});
	return { meta, metaLine, voteType, budget, scale, projectHeader, projects, projIndex };
}

/** A PROJECTS field by name, its header matched case-insensitively. */
export function fieldCI(fields: Record<string, string>, name: string): string | undefined {
	if (name in fields) return fields[name];
	for (const k of Object.keys(fields)) if (k.toLowerCase() === name) return fields[k];
	return undefined;
}

// ---- writing ------------------------------------------------------------------------------

export interface WriteOptions {
	/** project order: as in the election (default; keeps `file` tie-breaking meaningful) or natural order of project_id */
	projectOrder?: 'election' | 'natural';
}

/** Natural ("human") order of ids: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
	const re = /(\d+)|(\D+)/g;
	const ta = a.match(re) ?? [];
	const tb = b.match(re) ?? [];
	for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
		const x = ta[i];
		const y = tb[i];
		const dx = /^\d/.test(x);
		const dy = /^\d/.test(y);
		if (dx && dy) {
			const bx = BigInt(x);
			const by = BigInt(y);
			if (bx !== by) return bx < by ? -1 : 1;
		} else if (x !== y) return x < y ? -1 : 1;
	}
	if (ta.length !== tb.length) return ta.length - tb.length;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Serialises an election to `.pb` text. num_projects, num_votes, budget and vote_type are written from the data. */
export function writePb(e: Election, opts: WriteOptions = {}): string {
	const lines: string[] = ['META', 'key;value'];
	const meta: Record<string, string> = { ...e.meta };
	const budgetText = formatUnits(e.budget, e.scale);
	const keepBudget = meta['budget'] !== undefined && sameValue(meta['budget'], e.budget, e.scale);
	const forced: Record<string, string> = {
		num_projects: String(e.projects.length),
		num_votes: String(e.voters.length),
		budget: keepBudget ? meta['budget'] : budgetText,
		vote_type: e.voteType
	};
	for (const k of Object.keys(forced)) if (!(k in meta)) meta[k] = forced[k];
	for (const [k, v] of Object.entries(meta)) lines.push(csvLine([k, k in forced ? forced[k] : v]));

	lines.push('PROJECTS');
	const header = e.projectHeader;
	lines.push(csvLine(header));
	const lower = header.map((h) => h.toLowerCase());
	const order = e.projects.map((_, i) => i);
	if (opts.projectOrder === 'natural') order.sort((a, b) => naturalCompare(e.projects[a].id, e.projects[b].id));
	for (const i of order) {
		const p = e.projects[i];
		const row = header.map((h, c) => {
			if (lower[c] === 'project_id') return p.id;
			if (lower[c] === 'cost') return formatUnits(p.cost, e.scale);
			return p.fields[h] ?? '';
		});
		lines.push(csvLine(row));
	}

	lines.push('VOTES');
	lines.push(csvLine(e.voterHeader));
	const vl = e.voterHeader.map((h) => h.toLowerCase());
	const extraIndex = new Map<number, number>();
	let x = 0;
	for (let c = 0; c < vl.length; c++)
		if (vl[c] !== 'voter_id' && vl[c] !== 'vote' && vl[c] !== 'points') extraIndex.set(c, x++);
	for (const v of e.voters) {
		const row = vl.map((h, c) => {
			if (h === 'voter_id') return v.id;
			if (h === 'vote') return v.vote.map((p) => e.projects[p].id).join(',');
			if (h === 'points') return v.points ? v.points.map((pt) => formatUnits(BigInt(pt), e.pointScale)).join(',') : '';
			return v.extra[extraIndex.get(c)!] ?? '';
		});
		lines.push(csvLine(row));
	}
	return lines.join('\n') + '\n';
}

function sameValue(text: string, units: bigint, scale: number): boolean {
	const d = parseDecimal(text);
	if (!d || d.sawComma || d.scale > scale) return false;
	return toScale(d, scale) === units;
}

// ---- building in memory -------------------------------------------------------------------

export interface ElectionInput {
	/** extra META rows (description, country, unit, instance, subunit, currency, rule, date_begin, date_end, …) */
	meta?: Record<string, string>;
	/** default 'approval' */
	voteType?: VoteType;
	/** exact decimal text in the currency, e.g. "150000.50" (or a bigint of whole currency units) */
	budget: string | bigint;
	projects: {
		id: string;
		/** exact decimal text, e.g. "1200.50" (or a bigint of whole currency units) */
		cost: string | bigint;
		name?: string;
		/** criteria score (for greedy with scoreFrom=projects), exact decimal text */
		score?: string;
		/** any other PROJECTS columns */
		fields?: Record<string, string>;
	}[];
	ballots: {
		id: string;
		/** project ids: a set for approval, a ranking for ordinal, decreasing points for cumulative */
		vote: string[];
		/** cumulative/scoring (required) or ordinal (optional): one value per vote entry */
		points?: (number | string)[];
		/** any other VOTES columns */
		fields?: Record<string, string>;
	}[];
}

/**
 * Writes the `.pb` text for an in-memory election. The result parses back with parsePb into the
 * same election; `buildElection` does exactly that, so an in-memory count and a recount of the
 * exported file go through the same code.
 */
export function pbFromInput(input: ElectionInput): string {
	// a vote is a comma-separated list of ids, so an id with a comma cannot be written
	for (const p of input.projects) if (p.id.includes(',')) throw new PbError(`project id "${p.id}" contains a comma`);
	const voteType = input.voteType ?? 'approval';
	const num = (x: string | bigint) => (typeof x === 'bigint' ? x.toString() : x.trim());
	const meta: Record<string, string> = { ...(input.meta ?? {}) };
	meta['num_projects'] = String(input.projects.length);
	meta['num_votes'] = String(input.ballots.length);
	meta['budget'] = num(input.budget);
	meta['vote_type'] = voteType;
	const lines: string[] = ['META', 'key;value'];
	for (const [k, v] of Object.entries(meta)) lines.push(csvLine([k, v]));

	const extraP: string[] = [];
	const hasName = input.projects.some((p) => p.name !== undefined);
	const hasScore = input.projects.some((p) => p.score !== undefined);
	for (const p of input.projects) for (const k of Object.keys(p.fields ?? {})) if (!extraP.includes(k)) extraP.push(k);
	const pHeader = [
		'project_id',
		'cost',
		...(hasName ? ['name'] : []),
		...(hasScore ? ['score'] : []),
		...extraP.filter((k) => k !== 'name' && k !== 'score')
	];
	lines.push('PROJECTS', csvLine(pHeader));
	for (const p of input.projects) {
		const row = pHeader.map((h) => {
			if (h === 'project_id') return p.id;
			if (h === 'cost') return num(p.cost);
			if (h === 'name' && p.name !== undefined) return p.name;
			if (h === 'score' && p.score !== undefined) return p.score;
			return p.fields?.[h] ?? '';
		});
		lines.push(csvLine(row));
	}

	const hasPoints = input.ballots.some((b) => b.points !== undefined);
	const extraV: string[] = [];
	for (const b of input.ballots) for (const k of Object.keys(b.fields ?? {})) if (!extraV.includes(k)) extraV.push(k);
	const vHeader = ['voter_id', 'vote', ...(hasPoints ? ['points'] : []), ...extraV];
	lines.push('VOTES', csvLine(vHeader));
	for (const b of input.ballots) {
		const row = vHeader.map((h) => {
			if (h === 'voter_id') return b.id;
			if (h === 'vote') return b.vote.join(',');
			if (h === 'points') return (b.points ?? []).map(String).join(',');
			return b.fields?.[h] ?? '';
		});
		lines.push(csvLine(row));
	}
	return lines.join('\n') + '\n';
}

/** Builds (and validates) an election from in-memory data; see pbFromInput. */
export function buildElection(input: ElectionInput): Election {
	return parsePb(pbFromInput(input));
}
