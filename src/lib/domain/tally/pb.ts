/**
 * Reader and writer for the pabulib `.pb` format (see ../shared/specs/tally-rules.md §1).
 * Pure TypeScript: no Node APIs, so it also runs in a browser.
 */
import { CsvError, csvLine, parseCsv, type CsvRecord } from './csv';
import { countVotes } from './count';
import { formatUnits, parseDecimal, toScale, type Decimal } from './decimal';
import { PbError, VOTE_TYPES, type Election, type Project, type VoteType, type Voter } from './types';

const SECTIONS = ['META', 'PROJECTS', 'VOTES'] as const;
type Section = (typeof SECTIONS)[number];

function isMissing(v: string | undefined): boolean {
	return v === undefined || v === '' || v.toLowerCase() === 'none';
}

function sectionTitle(r: CsvRecord): Section | null {
	if (r.fields.length !== 1) return null;
	const t = r.fields[0].toUpperCase();
	return (SECTIONS as readonly string[]).includes(t) ? (t as Section) : null;
}

function isBlank(r: CsvRecord): boolean {
	return r.fields.length === 1 && r.fields[0] === '';
}

const INT_RE = /^-?\d+$/;

/**
 * Parses a `.pb` text. Throws PbError (with the line number) on malformed input.
 * Warnings (count mismatches, decimal commas, …) are collected in `election.warnings`.
 */
export function parsePb(text: string): Election {
	let records: CsvRecord[];
	try {
		records = parseCsv(text);
	} catch (err) {
		if (err instanceof CsvError) throw new PbError(err.message, err.line);
		throw err;
	}
	const warnings: string[] = [];
	const warn = (msg: string) => {
		if (warnings.length < 200) warnings.push(msg);
		else if (warnings.length === 200) warnings.push('… further warnings omitted');
	};

	// ---- split into sections ----------------------------------------------------------------
	const bodies: Record<Section, CsvRecord[]> = { META: [], PROJECTS: [], VOTES: [] };
	const titleLine: Partial<Record<Section, number>> = {};
	let current: Section | null = null;
	let blankLines = 0;
	for (const r of records) {
		if (isBlank(r)) {
			blankLines++;
			continue;
		}
		const title = sectionTitle(r);
		if (title) {
			const expected = current === null ? 'META' : current === 'META' ? 'PROJECTS' : current === 'PROJECTS' ? 'VOTES' : null;
			if (title !== expected) {
				throw new PbError(
					expected ? `expected section ${expected}, found ${title}` : `unexpected section ${title} after VOTES`,
					r.line
				);
			}
			current = title;
			titleLine[title] = r.line;
			continue;
		}
		if (current === null) throw new PbError('the file must start with a META section title', r.line);
		bodies[current].push(r);
	}
	if (blankLines > 0) warn(`${blankLines} empty line(s) ignored`);
	for (const s of SECTIONS) {
		if (titleLine[s] === undefined) throw new PbError(`missing ${s} section`, records.length ? records[records.length - 1].line : 1);
		if (bodies[s].length === 0) throw new PbError(`${s} section has no header line`, titleLine[s]!);
	}

	// ---- META -------------------------------------------------------------------------------
	const metaRows = bodies.META;
	const metaHeader = metaRows[0];
	if (metaHeader.fields.length !== 2 || metaHeader.fields[0].toLowerCase() !== 'key' || metaHeader.fields[1].toLowerCase() !== 'value') {
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
		if (Object.prototype.hasOwnProperty.call(meta, key)) warn(`line ${r.line}: META key "${key}" repeated; the last value is used`);
		meta[key] = value;
	}
	const metaLine = (key: string): number => {
		const r = metaRows.find((row) => row.fields[0] === key);
		return r ? r.line : titleLine.META!;
	};

	let voteType: VoteType;
	const vtRaw = (meta['vote_type'] ?? '').trim().toLowerCase();
	if (vtRaw === '') {
		warn('META vote_type missing; assuming approval');
		voteType = 'approval';
	} else if ((VOTE_TYPES as readonly string[]).includes(vtRaw)) {
		voteType = vtRaw as VoteType;
	} else {
		throw new PbError(`unknown vote_type "${meta['vote_type']}" (expected one of ${VOTE_TYPES.join(', ')})`, metaLine('vote_type'));
	}

	if (isMissing(meta['budget'])) throw new PbError('META budget is missing', titleLine.META!);
	const budgetDec = parseDecimal(meta['budget']);
	if (!budgetDec) throw new PbError(`budget "${meta['budget']}" is not a number`, metaLine('budget'));
	if (budgetDec.int < 0n) throw new PbError('budget is negative', metaLine('budget'));
	if (budgetDec.sawComma) warn(`line ${metaLine('budget')}: decimal comma in budget`);

	// ---- PROJECTS ---------------------------------------------------------------------------
	const projRows = bodies.PROJECTS;
	const projectHeader = projRows[0].fields.map((f) => f);
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
		const f = rowFields(r, projectHeader.length, 'PROJECTS', warn);
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

	// ---- VOTES ------------------------------------------------------------------------------
	const voteRows = bodies.VOTES;
	const voterHeader = voteRows[0].fields.map((f) => f);
	checkHeader(voterHeader, voteRows[0].line);
	const lowerV = voterHeader.map((h) => h.toLowerCase());
	const vidCol = lowerV.indexOf('voter_id');
	const voteCol = lowerV.indexOf('vote');
	const ptsCol = lowerV.indexOf('points');
	if (vidCol < 0) throw new PbError('VOTES header has no voter_id column', voteRows[0].line);
	if (voteCol < 0) throw new PbError('VOTES header has no vote column', voteRows[0].line);
	const extraCols: number[] = [];
	for (let c = 0; c < voterHeader.length; c++) if (c !== vidCol && c !== voteCol && c !== ptsCol) extraCols.push(c);
	const voterColumns = extraCols.map((c) => voterHeader[c]);
	if (lowerV.includes('vote_strength')) warn('VOTES column vote_strength is not used: every ballot counts once');
	const hasPoints = ptsCol >= 0;
	if ((voteType === 'cumulative' || voteType === 'scoring') && !hasPoints) {
		throw new PbError(`${voteType} ballots need a points column`, voteRows[0].line);
	}

	const voters: Voter[] = [];
	const seenVoter = new Set<string>();
	let dupVoters = 0;
	let decimalPoints = false;
	const rawPoints: (string[] | null)[] = [];
	const nCols = voterHeader.length;
	for (let ri = 1; ri < voteRows.length; ri++) {
		const r = voteRows[ri];
		const f = r.fields.length === nCols ? r.fields : rowFields(r, nCols, 'VOTES', warn);
		const id = f[vidCol];
		if (id === '') throw new PbError('empty voter_id', r.line);
		if (seenVoter.has(id)) dupVoters++;
		else seenVoter.add(id);
		const voteText = f[voteCol];
		const vote: number[] = [];
		if (!isMissing(voteText)) {
			const ids = voteText.split(',');
			for (let k = 0; k < ids.length; k++) {
				const pid = ids[k].trim();
				if (pid === '') {
					if (ids.length === 1) break;
					throw new PbError(`empty project id in vote "${voteText}"`, r.line);
				}
				const idx = projIndex.get(pid);
				if (idx === undefined) throw new PbError(`vote names unknown project "${pid}"`, r.line);
				vote.push(idx);
			}
			if (vote.length > 1 && new Set(vote).size !== vote.length) {
				throw new PbError(`vote names a project twice: "${voteText}"`, r.line);
			}
		}
		let pts: string[] | null = null;
		if (hasPoints) {
			const ptsText = f[ptsCol];
			pts = isMissing(ptsText) ? [] : ptsText.split(',').map((s) => s.trim());
			if (pts.length !== vote.length) {
				throw new PbError(`vote lists ${vote.length} project(s) but points has ${pts.length} value(s)`, r.line);
			}
			for (const s of pts) {
				if (!INT_RE.test(s)) {
					if (!parseDecimal(s) || s.includes(',')) throw new PbError(`points value "${s}" is not a number`, r.line);
					decimalPoints = true;
				}
			}
		}
		rawPoints.push(pts);
		const extra = extraCols.length ? extraCols.map((c) => f[c]) : [];
		voters.push({ id, vote, points: null, extra, line: r.line });
	}
	if (dupVoters > 0) warn(`${dupVoters} repeated voter_id value(s)`);

	let pointScale = 0;
	if (decimalPoints) {
		for (const pts of rawPoints) if (pts) for (const s of pts) pointScale = Math.max(pointScale, parseDecimal(s)!.scale);
	}
	if (voteType === 'scoring' && !isMissing(meta['default_score'])) {
		const d = parseDecimal(meta['default_score']);
		if (!d) throw new PbError(`default_score "${meta['default_score']}" is not a number`, metaLine('default_score'));
		pointScale = Math.max(pointScale, d.scale);
	}
	if (hasPoints) {
		for (let i = 0; i < voters.length; i++) {
			const pts = rawPoints[i]!;
			const out = new Array<number>(pts.length);
			for (let k = 0; k < pts.length; k++) {
				const v = pointScale === 0 ? Number(pts[k]) : Number(toScale(parseDecimal(pts[k])!, pointScale));
				if (!Number.isSafeInteger(v)) throw new PbError(`points value "${pts[k]}" is too large`, voters[i].line);
				out[k] = v;
			}
			voters[i].points = out;
		}
	}
	if (voteType === 'approval' || voteType === 'choose-1') {
		if (hasPoints) warn('approval ballots: the points column is ignored');
	}

	const election: Election = {
		meta,
		voteType,
		budget,
		scale,
		pointScale,
		projectHeader,
		projects,
		voterHeader,
		voterColumns,
		hasPoints,
		voters,
		warnings
	};

	// ---- consistency checks (warnings only) -------------------------------------------------
	const np = meta['num_projects'];
	if (!isMissing(np) && Number(np) !== projects.length) warn(`META num_projects is ${np} but PROJECTS has ${projects.length} rows`);
	const nv = meta['num_votes'];
	if (!isMissing(nv) && Number(nv) !== voters.length) warn(`META num_votes is ${nv} but VOTES has ${voters.length} rows`);
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
	return election;
}

function fieldCI(fields: Record<string, string>, name: string): string | undefined {
	if (name in fields) return fields[name];
	for (const k of Object.keys(fields)) if (k.toLowerCase() === name) return fields[k];
	return undefined;
}

function checkHeader(header: string[], line: number) {
	const seen = new Set<string>();
	for (const h of header) {
		if (h === '') throw new PbError('empty column name in header', line);
		if (seen.has(h.toLowerCase())) throw new PbError(`column "${h}" appears twice in the header`, line);
		seen.add(h.toLowerCase());
	}
}

function rowFields(r: CsvRecord, n: number, section: string, warn: (m: string) => void): string[] {
	const f = r.fields;
	if (f.length === n) return f;
	if (f.length > n) {
		if (f.slice(n).every((x) => x === '')) {
			warn(`line ${r.line}: trailing empty field(s) ignored`);
			return f.slice(0, n);
		}
		throw new PbError(`${section} row has ${f.length} fields but the header has ${n} (unquoted ";"?)`, r.line);
	}
	throw new PbError(`${section} row has ${f.length} fields but the header has ${n}`, r.line);
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
	for (let c = 0; c < vl.length; c++) if (vl[c] !== 'voter_id' && vl[c] !== 'vote' && vl[c] !== 'points') extraIndex.set(c, x++);
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
	const pHeader = ['project_id', 'cost', ...(hasName ? ['name'] : []), ...(hasScore ? ['score'] : []), ...extraP.filter((k) => k !== 'name' && k !== 'score')];
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
	for (const p of input.projects) if (p.id.includes(',')) throw new PbError(`project id "${p.id}" contains a comma`);
	return parsePb(pbFromInput(input));
}
