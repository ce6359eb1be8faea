/**
 * The VOTES section of a `.pb` file, one row at a time (see pb.ts). A large election is mostly this
 * section, so rows are read without per-row garbage where the text allows: `scanVotes` reads plain
 * rows straight from the file text (field ranges, no split, no field strings but the voter id), identical
 * vote texts are found by a hash of their characters (no string keys) and parsed once, project ids are
 * looked up the same way. Anything unusual goes through the general CSV path with the same result.
 */
import { splitPlainLine } from './csv';
import { parseDecimal } from './decimal';
import { checkHeader, headerOf, isMissing, rowFields } from './pb-fields';
import { PbError, type Project, type VoteType, type Voter } from './types';

const INT_RE = /^-?\d+$/;
const EMPTY_VOTE: readonly number[] = Object.freeze([]) as readonly number[];
const NO_EXTRA: readonly string[] = Object.freeze([]) as readonly string[];
/** distinct vote texts remembered by default (beyond that, votes are parsed per row and not grouped) */
const MAX_DISTINCT = 1_000_000;

export interface VotesHead {
	voteType: VoteType;
	projects: Project[];
	projIndex: Map<string, number>;
}

/** FNV-1a over the UTF-16 code units of s[a, b). */
function hashRange(s: string, a: number, b: number): number {
	let h = 0x811c9dc5;
	for (let i = a; i < b; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return h | 0;
}

function sameRange(s: string, a: number, t: string, b: number, len: number): boolean {
	for (let k = 0; k < len; k++) if (s.charCodeAt(a + k) !== t.charCodeAt(b + k)) return false;
	return true;
}

/** The value of the canonical non-negative integer s[a, b) ("0", "17", not "017" or "1e3"), or -1. */
function canonicalInt(s: string, a: number, b: number): number {
	const n = b - a;
	if (n === 0 || n > 15 || (n > 1 && s.charCodeAt(a) === 48)) return -1;
	let v = 0;
	for (let i = a; i < b; i++) {
		const c = s.charCodeAt(i) - 48;
		if (c < 0 || c > 9) return -1;
		v = v * 10 + c;
	}
	return v;
}

/** VOTES rows, one at a time. */
export class VotesReader {
	readonly header: string[];
	readonly voterColumns: string[];
	readonly hasPoints: boolean;
	/** rows read so far */
	count = 0;
	readonly rawPoints: (string[] | null)[] = [];
	readonly nCols: number;
	readonly vidCol: number;
	dupVoters = 0;
	decimalPoints = false;
	/** cumulative/scoring rows whose vote was read as empty because they have no points (as pabutools reads them) */
	emptied = 0;
	/** ordinal rows with a vote but no points */
	ordinalGaps = 0;
	private needsPoints: boolean;
	private voteCol: number;
	private ptsCol: number;
	private extraCols: number[];
	private seenVoter = new Set<string>();
	private increasing = true;
	private lastId = -1;
	/**
	 * Distinct votes, stored flat (no array per vote: a large election has tens of thousands of them, and as
	 * objects they cost the parse a third of its time in garbage collection): vote d names projects
	 * flat[start[d] .. start[d + 1]), in the order written. voteIdx gives each voter's d (see distinct.ts).
	 */
	distinctCount = 0;
	flat = new Int32Array(4096);
	flatLen = 0;
	start = new Int32Array(1025);
	voteIdx = new Int32Array(1024);
	complete = true;
	/** vote d as an array, made on first use and then always the same array (voters share it) */
	private arrays: (readonly number[] | undefined)[] = [];
	// identical vote texts: vote d was parsed from textSrc[d][textStart[d], textStart[d] + textLen[d])
	private textSrc: string[] = [];
	private textStart = new Int32Array(1024);
	private textLen = new Int32Array(1024);
	private textHash = new Int32Array(1024);
	/** open addressing, two entries per slot: [hash, d] (d = -1: empty), so a probe reads one place in memory */
	private textSlots = new Int32Array(2 * 2048).fill(-1);
	// project ids by the hash of their characters (open addressing, -1 = empty)
	private projSlots: Int32Array;
	private seenStamp: Int32Array;
	private stamp = 0;
	// rows read from the text are kept as where they are (see materialize), the others as Voter objects
	private text = '';
	private lineStart = new Int32Array(1024);
	private lineEnd = new Int32Array(1024);
	private lineNo = new Int32Array(1024);
	private built = new Map<number, Voter>();
	/** votes not grouped (past MAX_DISTINCT), by row */
	private ungrouped = new Map<number, readonly number[]>();
	/** the last vote read past MAX_DISTINCT */
	private lastUngrouped: readonly number[] = EMPTY_VOTE;

	constructor(
		private head: VotesHead,
		headerFields: string[],
		headerLine: number,
		private warn: (m: string) => void,
		/** distinct vote texts to group (tests set it small to read the ungrouped path) */
		private maxDistinct = MAX_DISTINCT
	) {
		this.header = headerOf(headerFields, headerLine, warn);
		checkHeader(this.header, headerLine);
		const lowerV = this.header.map((h) => h.toLowerCase());
		// pabutools needs no voter_id: without one, the first column (when it is not the vote) names the voter
		if (!lowerV.includes('voter_id') && lowerV[0] !== 'vote' && lowerV[0] !== 'points' && lowerV[0] !== '') {
			warn(
				`line ${headerLine}: VOTES has no voter_id column; its first column "${this.header[0]}" is read as the voter id`
			);
			this.header[0] = lowerV[0] = 'voter_id';
		}
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
		// cumulative/scoring ballots without points give no points to anyone: pabutools reads them as empty ballots
		this.needsPoints = vt === 'cumulative' || vt === 'scoring';
		this.nCols = this.header.length;
		const m = head.projects.length;
		this.seenStamp = new Int32Array(m);
		let size = 16;
		while (size < 2 * m) size *= 2;
		this.projSlots = new Int32Array(size).fill(-1);
		for (let p = 0; p < m; p++) {
			const id = head.projects[p].id;
			let i = hashRange(id, 0, id.length) & (size - 1);
			while (this.projSlots[i] !== -1) i = (i + 1) & (size - 1);
			this.projSlots[i] = p;
		}
	}

	/** Room for `rows` rows ahead of reading them (growing by doubling costs the large files a copy per step). */
	reserve(rows: number): void {
		if (rows <= this.voteIdx.length) return;
		const sized = (x: Int32Array) => {
			const y = new Int32Array(rows);
			y.set(x.subarray(0, this.count));
			return y;
		};
		this.voteIdx = sized(this.voteIdx);
		this.lineStart = sized(this.lineStart);
		this.lineEnd = sized(this.lineEnd);
		this.lineNo = sized(this.lineNo);
		// and the table of vote texts for as many distinct ones (at most half full, so never rebuilt)
		if (this.distinctCount === 0) {
			let slots = this.textSlots.length >> 1;
			while (slots < 2 * Math.min(rows, this.maxDistinct)) slots *= 2;
			if (2 * slots > this.textSlots.length) this.textSlots = new Int32Array(2 * slots).fill(-1);
		}
	}

	/** A row as split by the CSV reader. */
	row(fields: string[], line: number): void {
		const f =
			fields.length === this.nCols
				? fields
				: rowFields(fields, line, this.nCols, Math.max(this.vidCol, this.voteCol, this.ptsCol), 'VOTES', this.warn);
		const id = f[this.vidCol];
		if (id === '') throw new PbError('empty voter_id', line);
		this.checkVoterId(id);
		const voteText = f[this.voteCol];
		const blank = this.pointless(this.hasPoints ? f[this.ptsCol] : '', voteText);
		const vote = this.voteArray(this.voteOf(voteText, 0, blank ? 0 : voteText.length, line));
		if (this.hasPoints) this.points(f[this.ptsCol], vote.length, line);
		const extra = this.extraCols.length ? this.extraCols.map((c) => f[c]) : NO_EXTRA;
		this.built.set(this.count++, { id, vote, points: null, extra, line });
	}

	/**
	 * A plain row of the file text, text[lineStart, lineEnd): exactly nCols fields split on ";", field c is
	 * text[st[c], en[c]) with no white space at either end, the voter id not empty. Only its place is kept.
	 */
	rowAt(text: string, lineStart: number, lineEnd: number, st: Int32Array, en: Int32Array, line: number): void {
		const i = this.count;
		if (text !== this.text) {
			if (this.text !== '') throw new Error('VotesReader.rowAt: one text per reader');
			this.text = text;
		}
		this.checkVoterIdAt(text, st[this.vidCol], en[this.vidCol]);
		const a = st[this.voteCol];
		const blank =
			this.needsPoints &&
			this.pointless(
				this.hasPoints ? text.slice(st[this.ptsCol], en[this.ptsCol]) : '',
				text.slice(a, en[this.voteCol])
			);
		const d = this.voteOf(text, a, blank ? a : en[this.voteCol], line);
		if (d < 0) this.ungrouped.set(i, this.lastUngrouped);
		if (this.hasPoints)
			this.points(
				text.slice(st[this.ptsCol], en[this.ptsCol]),
				d < 0 ? this.lastUngrouped.length : this.voteLength(d),
				line
			);
		if (i === this.lineStart.length) {
			const grow = (x: Int32Array) => {
				const y = new Int32Array(i * 2);
				y.set(x);
				return y;
			};
			this.lineStart = grow(this.lineStart);
			this.lineEnd = grow(this.lineEnd);
			this.lineNo = grow(this.lineNo);
		}
		this.lineStart[i] = lineStart;
		this.lineEnd[i] = lineEnd;
		this.lineNo[i] = line;
		this.count = i + 1;
	}

	/** The voters, in file order (built here for the rows read by rowAt). */
	materialize(): Voter[] {
		const out = new Array<Voter>(this.count);
		for (let i = 0; i < this.count; i++) out[i] = this.built.get(i) ?? this.plainVoter(i);
		return out;
	}

	private plainVoter(i: number): Voter {
		const f = this.text.slice(this.lineStart[i], this.lineEnd[i]).split(';');
		const d = this.voteIdx[i];
		return {
			id: f[this.vidCol],
			vote: d >= 0 ? this.voteArray(d) : this.ungrouped.get(i)!,
			points: null,
			extra: this.extraCols.length ? this.extraCols.map((c) => f[c]) : NO_EXTRA,
			line: this.lineNo[i]
		};
	}

	private idOf(i: number): string {
		return this.built.get(i)?.id ?? this.text.slice(this.lineStart[i], this.lineEnd[i]).split(';')[this.vidCol];
	}

	/** A cumulative/scoring row without points: its vote is read as empty (counted in `emptied` when it named any). */
	private pointless(ptsText: string, voteText: string): boolean {
		if (!this.needsPoints || !isMissing(ptsText)) return false;
		if (!isMissing(voteText)) this.emptied++;
		return true;
	}

	private points(ptsText: string, voteLength: number, line: number): void {
		// ordinal points are optional (the positions give them): a row without them sets the column aside (see pb.ts)
		if (this.head.voteType === 'ordinal' && voteLength > 0 && isMissing(ptsText)) {
			this.ordinalGaps++;
			this.rawPoints.push(null);
			return;
		}
		const pts = isMissing(ptsText) ? [] : ptsText.split(',').map((x) => x.trim());
		if (pts.length !== voteLength) {
			throw new PbError(`vote lists ${voteLength} project(s) but points has ${pts.length} value(s)`, line);
		}
		for (const x of pts) {
			if (!INT_RE.test(x)) {
				if (!parseDecimal(x) || x.includes(',')) throw new PbError(`points value "${x}" is not a number`, line);
				this.decimalPoints = true;
			}
		}
		this.rawPoints.push(pts);
	}

	/** Vote d as an array (the same array every time). */
	voteArray(d: number): readonly number[] {
		if (d < 0) return this.lastUngrouped;
		let v = this.arrays[d];
		if (v === undefined) {
			v = Array.from(this.flat.subarray(this.start[d], this.start[d + 1]));
			this.arrays[d] = v;
		}
		return v;
	}

	voteLength(d: number): number {
		return this.start[d + 1] - this.start[d];
	}

	/**
	 * The vote in src[a, b), parsed once per distinct text; records the voter's group in voteIdx and returns it,
	 * or -1 past MAX_DISTINCT (the vote is then in lastUngrouped).
	 */
	private voteOf(src: string, a: number, b: number, line: number): number {
		const nv = this.count;
		if (nv === this.voteIdx.length) {
			const bigger = new Int32Array(nv * 2);
			bigger.set(this.voteIdx);
			this.voteIdx = bigger;
		}
		const len = b - a;
		const h = hashRange(src, a, b);
		const slots = this.textSlots;
		const mask = (slots.length >> 1) - 1;
		let i = h & mask;
		for (let d = slots[2 * i + 1]; d !== -1; d = slots[2 * (i = (i + 1) & mask) + 1]) {
			if (slots[2 * i] === h && this.textLen[d] === len && sameRange(src, a, this.textSrc[d], this.textStart[d], len)) {
				this.voteIdx[nv] = d;
				return d;
			}
		}
		const d = this.distinctCount;
		if (d >= this.maxDistinct) {
			const from = this.flatLen;
			this.parseVote(src, a, b, line);
			this.lastUngrouped = Array.from(this.flat.subarray(from, this.flatLen));
			this.flatLen = from;
			this.voteIdx[nv] = -1;
			this.complete = false;
			return -1;
		}
		this.parseVote(src, a, b, line);
		const grow = (x: Int32Array) => {
			const y = new Int32Array(x.length * 2);
			y.set(x);
			return y;
		};
		if (d + 2 > this.start.length) this.start = grow(this.start);
		if (d === this.textStart.length) {
			this.textStart = grow(this.textStart);
			this.textLen = grow(this.textLen);
			this.textHash = grow(this.textHash);
		}
		this.distinctCount = d + 1;
		this.start[d + 1] = this.flatLen;
		this.textSrc.push(src);
		this.textStart[d] = a;
		this.textLen[d] = len;
		this.textHash[d] = h;
		slots[2 * i] = h;
		slots[2 * i + 1] = d;
		if (4 * (d + 1) > slots.length) this.rehashTexts();
		this.voteIdx[nv] = d;
		return d;
	}

	private rehashTexts(): void {
		const slots = new Int32Array(this.textSlots.length * 2).fill(-1);
		const mask = (slots.length >> 1) - 1;
		for (let d = 0; d < this.distinctCount; d++) {
			const h = this.textHash[d];
			let i = h & mask;
			while (slots[2 * i + 1] !== -1) i = (i + 1) & mask;
			slots[2 * i] = h;
			slots[2 * i + 1] = d;
		}
		this.textSlots = slots;
	}

	/** Index of the project whose id is src[a, b), or -1. */
	private projectAt(src: string, a: number, b: number): number {
		const slots = this.projSlots;
		const mask = slots.length - 1;
		const len = b - a;
		const projects = this.head.projects;
		for (let i = hashRange(src, a, b) & mask; slots[i] !== -1; i = (i + 1) & mask) {
			const id = projects[slots[i]].id;
			if (id.length === len && sameRange(src, a, id, 0, len)) return slots[i];
		}
		return -1;
	}

	/**
	 * Repeated voter_id detection. Fast path while ids are increasing canonical integers (the usual case:
	 * no hashing at all); the first id out of order switches to a Set of every id seen.
	 */
	private checkVoterId(id: string): void {
		if (this.increasing) {
			const n = canonicalInt(id, 0, id.length);
			if (n > this.lastId) {
				this.lastId = n;
				return;
			}
			this.switchToSet();
		}
		const seen = this.seenVoter;
		if (seen.size === seen.add(id).size) this.dupVoters++;
	}

	/** checkVoterId for the id text[a, b), sliced only once ids stop increasing */
	private checkVoterIdAt(text: string, a: number, b: number): void {
		if (this.increasing) {
			const n = canonicalInt(text, a, b);
			if (n > this.lastId) {
				this.lastId = n;
				return;
			}
			this.switchToSet();
		}
		const seen = this.seenVoter;
		if (seen.size === seen.add(text.slice(a, b)).size) this.dupVoters++;
	}

	private switchToSet(): void {
		this.increasing = false;
		for (let i = 0; i < this.count; i++) this.seenVoter.add(this.idOf(i));
	}

	/**
	 * The comma-separated project ids in src[a, b) as project indices (ids trimmed), written to flat from
	 * flatLen on (flatLen moves past them; a malformed vote throws and leaves flatLen where it was).
	 */
	private parseVote(src: string, a: number, b: number, line: number): void {
		if (a === b || (b - a === 4 && isMissing(src.slice(a, b)))) return;
		// a vote names each project at most once, so it never needs more room than there are projects
		const m = this.head.projects.length;
		if (this.flatLen + m > this.flat.length) {
			const bigger = new Int32Array(Math.max(this.flat.length * 2, this.flatLen + m));
			bigger.set(this.flat.subarray(0, this.flatLen));
			this.flat = bigger;
		}
		const flat = this.flat;
		let n = this.flatLen;
		const st = ++this.stamp;
		for (let k = a; ;) {
			let e = k;
			while (e < b && src.charCodeAt(e) !== 44) e++;
			let idx: number;
			if (e > k && src.charCodeAt(k) > 32 && src.charCodeAt(e - 1) > 32) {
				idx = this.projectAt(src, k, e);
				if (idx < 0) throw new PbError(`vote names unknown project "${src.slice(k, e)}"`, line);
			} else {
				const pid = src.slice(k, e).trim();
				if (pid === '') {
					if (k === a && e === b) break;
					throw new PbError(`empty project id in vote "${src.slice(a, b)}"`, line);
				}
				const found = this.head.projIndex.get(pid);
				if (found === undefined) throw new PbError(`vote names unknown project "${pid}"`, line);
				idx = found;
			}
			if (this.seenStamp[idx] === st) throw new PbError(`vote names a project twice: "${src.slice(a, b)}"`, line);
			this.seenStamp[idx] = st;
			flat[n++] = idx;
			if (e >= b) break;
			k = e + 1;
		}
		this.flatLen = n;
	}
}

/**
 * Reads the VOTES rows of `text` from `pos` (at the start of line `line`) to the end. The rest of the text
 * must hold no quote character, so every physical line is one record. Plain rows go to reader.rowAt;
 * anything else (a blank line, a row to trim, with missing or extra fields, a section title) goes to
 * `other` with its fields exactly as the CSV reader splits them. Returns the number of the last line.
 */
export function scanVotes(
	text: string,
	pos: number,
	line: number,
	reader: VotesReader,
	other: (fields: string[], line: number) => void
): number {
	const n = reader.nCols;
	const vid = reader.vidCol;
	const st = new Int32Array(n);
	const en = new Int32Array(n);
	const len = text.length;
	let last = line - 1;
	while (pos < len) {
		let end = text.indexOf('\n', pos);
		if (end === -1) end = len;
		let e = end;
		if (e > pos && text.charCodeAt(e - 1) === 13) e--;
		let c = 0;
		let a = pos;
		for (let i = pos; ; i++) {
			if (i === e || text.charCodeAt(i) === 59) {
				if (c < n) {
					st[c] = a;
					en[c] = i;
				}
				c++;
				if (i === e) break;
				a = i + 1;
			}
		}
		let plain = c === n && en[n - 1] > st[n - 1] && en[vid] > st[vid];
		for (let k = 0; plain && k < n; k++) {
			if (en[k] > st[k] && (text.charCodeAt(st[k]) <= 32 || text.charCodeAt(en[k] - 1) <= 32)) plain = false;
		}
		if (plain) reader.rowAt(text, pos, e, st, en, line);
		else other(splitPlainLine(text, pos, end), line);
		last = line;
		pos = end + 1;
		line++;
	}
	return last;
}
