/**
 * Reader and writer for the pabulib `.pb` format (see ../shared/specs/tally-rules.md §1).
 * Pure TypeScript: no Node APIs, so it also runs in a browser.
 */
import { CsvError, csvLine, forEachCsvRecord, type CsvRecord } from './csv';
import { countVotes } from './count';
import { formatUnits, parseDecimal, toScale, type Decimal } from './decimal';
import { PbError, VOTE_TYPES, type Election, type Project, type VoteType, type Voter } from './types';

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;
type Section = (typeof SECTIONS)[number];

function isMissing(v: string | undefined): boolean {
	return v === undefined || v === '' || (v.length === 4 && v.toLowerCase() === 'none');
}

/** A section title: the first field is META/PROJECTS/VOTES and any other field is empty (as pabutools reads it). */
function sectionTitle(fields: string[]): Section | null {
	const t = fields[0].toUpperCase();
	if (t !== 'META' && t !== 'PROJECTS' && t !== 'VOTES') return null;
	for (let i = 1; i < fields.length; i++) if (fields[i] !== '') return null;
	return t;
}

const INT_RE = /^-?\d+$/;

/**
 * Parses a `.pb` text. Throws PbError (with the line number) on malformed input.
 * Warnings (count mismatches, decimal commas, …) are collected in `election.warnings`.
 * VOTES rows are processed while they are read (large files: nothing per row outlives the row
 * except the voter itself).
 */
export function parsePb(text: string): Election {
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
	try {
		forEachCsvRecord(text, (fields, line) => {
			lastLine = line;
			if (fields.length === 1 || fields[fields.length - 1] === '') {
				if (fields.length === 1 && fields[0] === '') {
					blankLines++;
					return;
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
					return;
				}
			}
			if (current === null) throw new PbError('the file must start with a META section title', line);
			if (current === 'VOTES') {
				if (votes === null) votes = new VotesReader(head!, fields, line, warn);
				else votes.row(fields, line);
			} else bodies[current].push({ fields, line });
		});
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
	const voters = v.voters;
	if (v.dupVoters > 0) warn(`${v.dupVoters} repeated voter_id value(s)`);

	let pointScale = 0;
	if (v.decimalPoints) {
		for (const pts of v.rawPoints)
			if (pts) for (const x of pts) pointScale = Math.max(pointScale, parseDecimal(x)!.scale);
	}
	if (voteType === 'scoring' && !isMissing(meta['default_score'])) {
		const d = parseDecimal(meta['default_score']);
		if (!d) throw new PbError(`default_score "${meta['default_score']}" is not a number`, h.metaLine('default_score'));
		pointScale = Math.max(pointScale, d.scale);
	}
	if (v.hasPoints) {
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
		hasPoints: v.hasPoints,
		voters,
		warnings
	};

	// ---- consistency checks (warnings only) -------------------------------------------------
	const np = meta['num_projects'];
	if (!isMissing(np) && Number(np) !== projects.length)
		warn(`META num_projects is ${np} but PROJECTS has ${projects.length} rows`);
	const nv = meta['num_votes'];
	if (!isMissing(nv) && Number(nv) !== voters.length)
		warn(`META num_votes is ${nv} but VOTES has ${voters.length} rows`);
	const counts = countVotes(election);
	for (let p = 0; p < projects.length; p++) {
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
	if (v.complete)
		distinctVoteMemo.set(election, { distinct: v.distinct, voteIdx: v.voteIdx.subarray(0, voters.length) });
	return election;
}

const distinctVoteMemo = new WeakMap<Election, DistinctVotes>();

/** Voters of a parsed election grouped by identical vote text (voters[i].vote === distinct[voteIdx[i]]). */
export interface DistinctVotes {
	distinct: (readonly number[])[];
	voteIdx: Int32Array;
}

/**
 * The grouping made while parsing, if this election came from parsePb and its voters still hold the
 * parsed vote arrays (checked); otherwise null.
 */
export function distinctVotes(e: Election): DistinctVotes | null {
	const info = distinctVoteMemo.get(e);
	if (!info || info.voteIdx.length !== e.voters.length) return null;
	const { distinct, voteIdx } = info;
	for (let i = 0; i < e.voters.length; i++) if (e.voters[i].vote !== distinct[voteIdx[i]]) return null;
	return info;
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
	const metaHeader = metaRows[0];
	if (
		metaHeader.fields.length !== 2 ||
		metaHeader.fields[0].toLowerCase() !== 'key' ||
		metaHeader.fields[1].toLowerCase() !== 'value'
	) {
		throw new PbError('META header must be "key;value"', metaHeader.line);
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

/** The value of a canonical non-negative integer string ("0", "17", not "017" or "1e3"), or -1. */
function canonicalInt(s: string): number {
	const n = s.length;
	if (n === 0 || n > 15 || (n > 1 && s.charCodeAt(0) === 48)) return -1;
	let v = 0;
	for (let i = 0; i < n; i++) {
		const c = s.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		v = v * 10 + c;
	}
	return v;
}

const EMPTY_VOTE: readonly number[] = Object.freeze([]) as readonly number[];
const NO_EXTRA: readonly string[] = Object.freeze([]) as readonly string[];

/** VOTES rows, one at a time. */
class VotesReader {
	readonly header: string[];
	readonly voterColumns: string[];
	readonly hasPoints: boolean;
	readonly voters: Voter[] = [];
	readonly rawPoints: (string[] | null)[] = [];
	dupVoters = 0;
	decimalPoints = false;
	private vidCol: number;
	private voteCol: number;
	private ptsCol: number;
	private extraCols: number[];
	private nCols: number;
	private seenVoter = new Set<string>();
	private increasing = true;
	private lastId = -1;
	// identical vote strings are parsed once and share one (read-only) index array
	private voteCache = new Map<string, number>();
	/** distinct vote arrays, and for each voter the index of its array (see distinctVotes) */
	readonly distinct: (readonly number[])[] = [];
	voteIdx = new Int32Array(1024);
	complete = true;
	private seenStamp: Int32Array;
	private stamp = 0;

	constructor(
		private head: Head,
		headerFields: string[],
		headerLine: number,
		private warn: (m: string) => void
	) {
		this.header = headerOf(headerFields, headerLine, warn);
		checkHeader(this.header, headerLine);
		const lowerV = this.header.map((h) => h.toLowerCase());
		this.vidCol = lowerV.indexOf('voter_id');
		this.voteCol = lowerV.indexOf('vote');
		this.ptsCol = lowerV.indexOf('points');
		if (this.vidCol < 0) throw new PbError('VOTES header has no voter_id column', headerLine);
		if (this.voteCol < 0) throw new PbError('VOTES header has no vote column', headerLine);
		this.extraCols = [];
		for (let c = 0; c < this.header.length; c++)
			if (c !== this.vidCol && c !== this.voteCol && c !== this.ptsCol) this.extraCols.push(c);
		this.voterColumns = this.extraCols.map((c) => this.header[c]);
		if (lowerV.includes('vote_strength')) warn('VOTES column vote_strength is not used: every ballot counts once');
		this.hasPoints = this.ptsCol >= 0;
		const vt = head.voteType;
		if ((vt === 'cumulative' || vt === 'scoring') && !this.hasPoints)
			throw new PbError(`${vt} ballots need a points column`, headerLine);
		this.nCols = this.header.length;
		this.seenStamp = new Int32Array(head.projects.length);
	}

	row(fields: string[], line: number): void {
		const f =
			fields.length === this.nCols
				? fields
				: rowFields(fields, line, this.nCols, Math.max(this.vidCol, this.voteCol, this.ptsCol), 'VOTES', this.warn);
		const id = f[this.vidCol];
		if (id === '') throw new PbError('empty voter_id', line);
		this.checkVoterId(id);
		const voteText = f[this.voteCol];
		let d = this.voteCache.get(voteText);
		let vote: readonly number[];
		if (d === undefined) {
			vote = this.parseVote(voteText, line);
			if (this.voteCache.size < 1_000_000) {
				d = this.distinct.length;
				this.distinct.push(vote);
				this.voteCache.set(voteText, d);
			} else {
				d = -1;
				this.complete = false;
			}
		} else vote = this.distinct[d];
		const nv = this.voters.length;
		if (nv === this.voteIdx.length) {
			const bigger = new Int32Array(nv * 2);
			bigger.set(this.voteIdx);
			this.voteIdx = bigger;
		}
		this.voteIdx[nv] = d;
		let pts: string[] | null = null;
		if (this.hasPoints) {
			const ptsText = f[this.ptsCol];
			pts = isMissing(ptsText) ? [] : ptsText.split(',').map((x) => x.trim());
			if (pts.length !== vote.length) {
				throw new PbError(`vote lists ${vote.length} project(s) but points has ${pts.length} value(s)`, line);
			}
			for (const x of pts) {
				if (!INT_RE.test(x)) {
					if (!parseDecimal(x) || x.includes(',')) throw new PbError(`points value "${x}" is not a number`, line);
					this.decimalPoints = true;
				}
			}
		}
		if (this.hasPoints) this.rawPoints.push(pts);
		const extra = this.extraCols.length ? this.extraCols.map((c) => f[c]) : NO_EXTRA;
		this.voters.push({ id, vote, points: null, extra, line });
	}

	/**
	 * Repeated voter_id detection. Fast path while ids are increasing canonical integers (the usual case:
	 * no hashing at all); the first id out of order switches to a Set of every id seen.
	 */
	private checkVoterId(id: string): void {
		if (this.increasing) {
			const n = canonicalInt(id);
			if (n > this.lastId) {
				this.lastId = n;
				return;
			}
			this.increasing = false;
			for (const v of this.voters) this.seenVoter.add(v.id);
		}
		const seen = this.seenVoter;
		if (seen.size === seen.add(id).size) this.dupVoters++;
	}

	private parseVote(voteText: string, line: number): readonly number[] {
		if (isMissing(voteText)) return EMPTY_VOTE;
		const vote: number[] = [];
		const ids = voteText.split(',');
		const st = ++this.stamp;
		for (let k = 0; k < ids.length; k++) {
			let pid = ids[k];
			if (pid.length > 0 && (pid.charCodeAt(0) <= 32 || pid.charCodeAt(pid.length - 1) <= 32)) pid = pid.trim();
			if (pid === '') {
				if (ids.length === 1) break;
				throw new PbError(`empty project id in vote "${voteText}"`, line);
			}
			const idx = this.head.projIndex.get(pid);
			if (idx === undefined) throw new PbError(`vote names unknown project "${pid}"`, line);
			if (this.seenStamp[idx] === st) throw new PbError(`vote names a project twice: "${voteText}"`, line);
			this.seenStamp[idx] = st;
			vote.push(idx);
		}
		return vote;
	}
}

function fieldCI(fields: Record<string, string>, name: string): string | undefined {
	if (name in fields) return fields[name];
	for (const k of Object.keys(fields)) if (k.toLowerCase() === name) return fields[k];
	return undefined;
}

/** Header fields with trailing empty names dropped (a trailing ";"), with a warning. */
function headerOf(fields: string[], line: number, warn: (m: string) => void): string[] {
	let n = fields.length;
	while (n > 1 && fields[n - 1] === '') n--;
	if (n < fields.length) warn(`line ${line}: trailing empty column name(s) ignored`);
	return fields.slice(0, n);
}

function checkHeader(header: string[], line: number) {
	const seen = new Set<string>();
	for (const h of header) {
		if (h === '') throw new PbError('empty column name in header', line);
		if (seen.has(h.toLowerCase())) throw new PbError(`column "${h}" appears twice in the header`, line);
		seen.add(h.toLowerCase());
	}
}

/**
 * The row's fields, exactly as many as the header has. Trailing empty fields are dropped; a short row
 * is padded with empty fields when it still holds every required column (`need` = highest required
 * column index); anything else is an error naming the line.
 */
function rowFields(
	f: string[],
	line: number,
	n: number,
	need: number,
	section: string,
	warn: (m: string) => void
): string[] {
	if (f.length === n) return f;
	if (f.length > n) {
		if (f.slice(n).every((x) => x === '')) {
			warn(`line ${line}: trailing empty field(s) ignored`);
			return f.slice(0, n);
		}
		throw new PbError(`${section} row has ${f.length} fields but the header has ${n} (unquoted ";"?)`, line);
	}
	if (f.length > need) {
		warn(`line ${line}: ${section} row has ${f.length} fields but the header has ${n}; the missing ones are empty`);
		return [...f, ...Array<string>(n - f.length).fill('')];
	}
	throw new PbError(`${section} row has ${f.length} fields but the header has ${n}`, line);
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
