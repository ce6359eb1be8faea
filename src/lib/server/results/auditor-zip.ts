import { strToU8, zipSync, Zip, ZipDeflate } from 'fflate';
import type { Db } from '../db/client';
import { auditExportDocument, auditExportStream } from '../platform/audit';
import { toCsv } from '../platform/csv';
import { councilCsvRows, publicCouncil } from '../council';
import { EXECUTION_CSV_COLUMNS, executionHistoryRows, roundExecution } from '../execution';
import { listObservations, OBSERVATION_CSV_COLUMNS, observationCsvRows } from '../execution';
import { auditorFiles, proposalsCsv, proposalsJson, publishedInput, publishedResult, resultsCsv } from './results';
import { findRound } from '../rounds';
import { formatDateTime } from '../../i18n/format';
import { listWorkshops, workshopDetail } from '../workshops';

type T = (key: string, params?: Record<string, unknown>) => string;

export interface ZipMunicipality {
	id: number;
	slug: string;
	ubigeo: string;
	name: string;
}

export const COUNCIL_COLUMNS = [
	'session_id',
	'session_date',
	'session_kind',
	'place',
	'installed',
	'installed_at_call',
	'present_count',
	'legal_members',
	'member_name',
	'member_role',
	'attendance',
	'arrived_at'
];
export const WORKSHOP_COLUMNS = [
	'workshop_id',
	'kind',
	'title',
	'date',
	'starts_at',
	'place',
	'participants',
	'agents_present',
	'agents_registered',
	'agents_with_vote',
	'other_residents'
];

const csv = (rows: Record<string, unknown>[], columns: string[]) => toCsv(columns, rows, { bom: true });
const json = (value: unknown) => JSON.stringify(value, null, 1) + '\n';

/** Workshops of the round with participation figures (counts only: who came is not in the open data). */
function workshopRecords(db: Db, municipalityId: number, roundId: number) {
	return listWorkshops(db, municipalityId)
		.filter((w) => w.workshop.roundId === roundId)
		.reverse()
		.map(({ workshop: w }) => {
			const d = workshopDetail(db, municipalityId, w.id);
			return {
				workshop_id: w.id,
				kind: w.kind,
				title: w.title,
				date: w.date,
				starts_at: w.startsAt,
				place: w.place,
				participants: d.stats.total,
				agents_present: d.stats.agents,
				agents_registered: d.stats.agentTurnout?.registered ?? d.agents.length,
				agents_with_vote: d.stats.agentsWithVote,
				other_residents: d.stats.others,
				by_gender: d.stats.byGender,
				by_language: d.stats.byLanguage,
				by_zone: d.stats.byZone
			};
		});
}

export interface ZipFile {
	name: string;
	/** Message key (under execution.zip.files) describing the file. */
	describe: string;
	params?: Record<string, unknown>;
	body: string;
}

/**
 * Every open-data file of a round, as name → text. Nothing here holds a DNI, phone or e-mail: results and proposals
 * (numbers, titles, money), execution history, council records (members' names and roles, acting in office),
 * workshop figures, observations (filer's public name), and the audit chain (personal payloads reduced to hashes).
 */
export function roundOpenDataFiles(
	db: Db,
	m: ZipMunicipality,
	roundId: number,
	generatedAt = new Date(),
	/** false: audit.json is listed with an empty body (the streamed zip writes it page by page). */
	auditInline = true
): ZipFile[] {
	const round = findRound(db, m.id, roundId);
	const files: ZipFile[] = [];
	const pub = publishedResult(db, m.id, roundId);
	const meta = {
		licence: 'CC BY 4.0',
		municipality: { ubigeo: m.ubigeo, name: m.name },
		round: { id: round.id, fiscalYear: round.fiscalYear, title: round.titleEs },
		generatedAt: generatedAt.toISOString()
	};
	if (pub) {
		const s = pub.snapshot;
		for (const b of s.parsed.budgets) {
			const input = publishedInput(db, m.id, roundId, b.fileName);
			if (input)
				files.push({
					name: b.fileName,
					describe: 'pb',
					params: { budget: b.zoneName, rule: s.rule, ties: s.ties, file: b.fileName },
					body: input.pb
				});
		}
		files.push({ name: 'results.csv', describe: 'resultsCsv', body: resultsCsv(s) });
		files.push({
			name: 'results.json',
			describe: 'resultsJson',
			body: json({
				licence: 'CC BY 4.0',
				municipality: { ubigeo: m.ubigeo, name: m.name },
				version: s.version,
				engineVersion: s.engineVersion,
				inputHash: s.inputHash,
				publishedAt: new Date(s.publishedAt!).toISOString(),
				...s.parsed
			})
		});
	}
	files.push({ name: 'proposals.csv', describe: 'proposalsCsv', body: proposalsCsv(db, m.id, roundId) });
	files.push({ name: 'proposals.json', describe: 'proposalsJson', body: proposalsJson(db, m, roundId) });

	const history = executionHistoryRows(db, m.id, roundId);
	const exec = roundExecution(db, m.id, roundId);
	files.push({ name: 'execution.csv', describe: 'executionCsv', body: csv(history, EXECUTION_CSV_COLUMNS) });
	files.push({
		name: 'execution.json',
		describe: 'executionJson',
		body: json({
			...meta,
			staleMonths: exec.settings.staleMonths,
			totals: exec.totals,
			differences: exec.differences,
			projects: exec.projects.map((p) => ({
				...p,
				milestones: p.milestones.map((ms) => ({
					...ms,
					photos: ms.photos.map((ph) => ({ sha256: ph.sha256, width: ph.width, height: ph.height }))
				}))
			})),
			history
		})
	});

	const council = publicCouncil(db, m.id);
	files.push({ name: 'council.csv', describe: 'councilCsv', body: csv(councilCsvRows(council), COUNCIL_COLUMNS) });
	files.push({ name: 'council.json', describe: 'councilJson', body: json({ ...meta, ...council }) });

	const workshops = workshopRecords(db, m.id, roundId);
	files.push({ name: 'workshops.csv', describe: 'workshopsCsv', body: csv(workshops, WORKSHOP_COLUMNS) });
	files.push({ name: 'workshops.json', describe: 'workshopsJson', body: json({ ...meta, workshops }) });

	const obs = listObservations(db, m.id, roundId);
	files.push({
		name: 'observations.csv',
		describe: 'observationsCsv',
		body: csv(observationCsvRows(obs), OBSERVATION_CSV_COLUMNS)
	});
	files.push({
		name: 'observations.json',
		describe: 'observationsJson',
		body: json({ ...meta, observations: obs.map(({ filedByUserId: _u, ...o }) => o) })
	});

	files.push({
		name: 'audit.json',
		describe: 'auditJson',
		body: auditInline ? auditExportDocument(db, m, generatedAt) : ''
	});
	return files;
}

/** Column names of a CSV body (first line, without the BOM). */
export const csvColumns = (body: string) =>
	body
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/, 1)[0]
		.split(',');

/**
 * README in Spanish then Quechua: what each file is, a dictionary of every CSV column (the column names and codes stay
 * English so that programs reading them do not break; people read the dictionary), and how to recount and check the
 * chain (the commands are for auditors, left as they are).
 */
export function readme(
	files: ZipFile[],
	m: ZipMunicipality,
	roundTitle: { es: string; qu: string },
	tEs: T,
	tQu: T,
	generatedAt: Date
): string {
	const part = (t: T, title: string) => {
		const lines = [
			t('execution.zip.heading', { municipality: m.name, ubigeo: m.ubigeo, round: title }),
			t('execution.zip.generated', { date: formatDateTime(generatedAt) }),
			'',
			t('execution.zip.filesTitle')
		];
		for (const f of files) {
			const params = { ...f.params, budget: f.params?.budget ?? t('execution.zip.municipalWide') };
			lines.push(`- ${f.name}: ${t(`execution.zip.files.${f.describe}`, params)}`);
		}
		lines.push('', t('execution.zip.columnsTitle'));
		for (const f of files.filter((x) => x.name.endsWith('.csv'))) {
			lines.push(`- ${f.name}`);
			for (const c of csvColumns(f.body)) lines.push(`    ${c}: ${t(`execution.zip.columns.${c}`)}`);
		}
		lines.push('', t('execution.zip.recountTitle'));
		for (const f of files.filter((x) => x.describe === 'pb'))
			lines.push(`  npm run -s tally -- --rule ${f.params!.rule} --ties ${f.params!.ties} ${f.name}`);
		lines.push(
			t('execution.zip.recountCompare'),
			'',
			t('execution.zip.auditTitle'),
			'  npm run audit:verify -- audit.json',
			'',
			t('execution.zip.noPersonal'),
			t('execution.zip.csvFormulas'),
			t('execution.zip.licence')
		);
		return lines.join('\n');
	};
	return `${part(tEs, roundTitle.es)}\n\n----------------------------------------------------------------\n\n${part(tQu, roundTitle.qu)}\n`;
}

/** The auditor's zip: README.txt (es + qu) first, then every open-data file of the round. */
export function auditorZip(
	db: Db,
	m: ZipMunicipality,
	roundId: number,
	tEs: T,
	tQu: T,
	generatedAt = new Date()
): Uint8Array {
	const round = findRound(db, m.id, roundId);
	const files = roundOpenDataFiles(db, m, roundId, generatedAt);
	const entries: Record<string, Uint8Array> = {
		'README.txt': strToU8(
			readme(files, m, { es: round.titleEs, qu: round.titleQu || round.titleEs }, tEs, tQu, generatedAt)
		)
	};
	for (const f of files) entries[f.name] = strToU8(f.body);
	const mtime = generatedAt;
	return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { mtime }]])), { level: 6 });
}

/** Bytes compressed per step of the streamed zip: each step holds the event loop a few milliseconds. */
const SLICE = 64 * 1024;

/**
 * The auditor's zip as a stream: the same files as `auditorZip`, compressed slice by slice and audit.json written
 * page by page from the chain, yielding to other requests between steps (no single step holds the server long, and
 * the chain, the largest file, is never held whole in memory).
 */
export function auditorZipStream(
	db: Db,
	m: ZipMunicipality,
	roundId: number,
	tEs: T,
	tQu: T,
	generatedAt = new Date()
): ReadableStream<Uint8Array> {
	const out: Uint8Array[] = [];
	let failure: Error | null = null;
	const zip = new Zip((err, chunk) => {
		if (err) failure = err;
		else out.push(chunk);
	});
	const mtime = generatedAt;
	async function* steps(): AsyncGenerator<void> {
		const round = findRound(db, m.id, roundId);
		const files = roundOpenDataFiles(db, m, roundId, generatedAt, false);
		yield;
		const open = (name: string) => {
			const entry = new ZipDeflate(name, { level: 6 });
			entry.mtime = mtime;
			zip.add(entry);
			return entry;
		};
		const readme1 = readme(files, m, { es: round.titleEs, qu: round.titleQu || round.titleEs }, tEs, tQu, generatedAt);
		for (const f of [{ name: 'README.txt', body: readme1 }, ...files]) {
			const entry = open(f.name);
			if (f.name === 'audit.json') {
				const reader = auditExportStream(db, m, generatedAt).getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					entry.push(value);
					yield;
				}
				entry.push(new Uint8Array(), true);
				continue;
			}
			const bytes = strToU8(f.body);
			for (let i = 0; i < bytes.length || i === 0; i += SLICE) {
				entry.push(bytes.subarray(i, i + SLICE), i + SLICE >= bytes.length);
				yield;
			}
		}
		zip.end();
	}
	const it = steps();
	return new ReadableStream<Uint8Array>(
		{
			async pull(c) {
				for (;;) {
					if (failure) return c.error(failure);
					if (out.length) return c.enqueue(out.shift()!);
					const { done } = await it.next();
					if (done) {
						if (out.length) return c.enqueue(out.shift()!);
						return c.close();
					}
					await new Promise((ok) => setImmediate(ok));
				}
			}
		},
		{ highWaterMark: 1 }
	);
}

/**
 * The accredited auditors' zip of per-voter files (issue 12 point 6): one per budget kept private (fewer than k
 * voters) that MES counted, with LEEME.txt in Spanish and Quechua giving the command that recounts each one. Null
 * when the round has none. Only 'results.auditorFiles' may have it: the route authorises first.
 */
export function voterFilesZip(db: Db, m: ZipMunicipality, roundId: number, tEs: T, tQu: T): Uint8Array | null {
	const files = auditorFiles(db, m.id, roundId);
	if (!files.length) return null;
	const part = (t: T) =>
		[
			t('results.voterFiles.readmeIntro', {
				k: publishedResult(db, m.id, roundId)?.snapshot.parsed.privateBelow ?? 10
			}),
			...files.map((f) =>
				t('results.voterFiles.readmeLine', {
					file: f.fileName,
					budget: f.zoneName ?? t('results.municipalWide'),
					command: `minka-tally ${f.args.join(' ')} ${f.fileName}`,
					public: f.publicFile
				})
			)
		].join('\n\n');
	return zipSync({
		'LEEME.txt': strToU8(
			`${part(tEs)}\n\n----------------------------------------------------------------\n\n${part(tQu)}\n`
		),
		...Object.fromEntries(files.map((f) => [f.fileName, strToU8(f.pb)]))
	});
}
