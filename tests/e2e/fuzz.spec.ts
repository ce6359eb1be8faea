import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { test, expect, seedMunicipality, testDb, type SeededMunicipality } from './fixtures';
import { municipalityDigest } from '../support/db-digest';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { seedAllFeatureDemos } from '../../src/lib/server/demo/features';
import { seedRoundsDemo } from '../../src/lib/server/demo/rounds';
import { observations, projectExecutions, proposals, rounds } from '../../src/lib/server/db/schema/index';

/**
 * Fuzzing of every public form (issue 15): each form a visitor or resident can post gets hostile values — empty,
 * 100,000 characters, a field sent several times, NUL, lone surrogates, bidi overrides, huge and negative numbers,
 * another municipality's ids, files that are not what they claim — and broken multipart. Every answer is a 4xx with a
 * translated message (or what the form says on a harmless input: the language switch redirects, a receipt is looked
 * up), never a 500, and nothing of the municipality changes. At most 50 inputs per form, fixed seed.
 *
 * Requests come from 127.0.0.2: the login and reset throttles count per client address, so the failures sent here
 * do not slow the other specs' logins from 127.0.0.1.
 */
test.describe.configure({ mode: 'serial' });

const RUNS = 42;
const SEED = 15;

type Who = 'anonymous' | 'resident' | 'author' | 'auditor';
interface Form {
	name: string;
	path: () => string;
	who: Who;
	fields: string[];
	/** Fields that take a file. */
	files?: string[];
	/** Statuses other than a translated 4xx that are fine here (the form did nothing harmful). */
	also?: number[];
	multipart?: boolean;
	/** Which inputs count as hostile here (an input outside it may rightly be accepted). */
	hostile?: (input: Input) => boolean;
	/** Namespaces besides `errors` whose messages the page may answer with. */
	messages?: string[];
}

let m: SeededMunicipality;
let other: SeededMunicipality;
let ids: {
	voting: number;
	intake: number;
	past: number;
	ownProposal: number;
	ballotProposal: number;
	foreignRound: number;
	foreignProposal: number;
	execution: number;
	executions: string[];
	observations: string[];
	observation: number;
};
const tokens: Partial<Record<Who, string>> = {};

/**
 * The translated messages (es and qu) of some namespaces, each as a pattern whose placeholders match anything, with
 * its longest literal part to look for first (the pages are long: 100,000 characters come back in the form).
 */
function messages(namespaces: string[]): { longest: string; pattern: RegExp }[] {
	const out: { longest: string; pattern: RegExp }[] = [];
	const walk = (v: unknown) => {
		if (typeof v === 'string') {
			const parts = v
				.split(/\{\{[^}]*\}\}/)
				.map((x) => x.trim())
				.filter(Boolean);
			const longest = parts.reduce((a, b) => (b.length > a.length ? b : a), '');
			if (longest.length < 6) return;
			const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			out.push({ longest, pattern: new RegExp(parts.map(escape).join('[^<]{0,300}?')) });
		} else if (v && typeof v === 'object') Object.values(v).forEach(walk);
	};
	for (const l of ['es', 'qu']) {
		const all = JSON.parse(readFileSync(`messages/${l}.json`, 'utf8'));
		for (const n of namespaces) walk(all[n]);
	}
	return out;
}
const ERRORS = messages(['errors']);

const unescape = (html: string) =>
	html
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;|&apos;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');

const FORMS: Form[] = [
	{ name: 'login', path: () => `/${m.slug}/login`, who: 'anonymous', fields: ['identifier', 'password'] },
	{
		name: 'signup',
		path: () => `/${m.slug}/signup`,
		who: 'anonymous',
		fields: ['fullName', 'dni', 'birthDate', 'email', 'phone', 'password', 'passwordConfirm', 'consent']
	},
	{ name: 'reset e-mail', path: () => `/${m.slug}/reset?/email`, who: 'anonymous', fields: ['email'] },
	{
		name: 'reset code',
		path: () => `/${m.slug}/reset?/code`,
		who: 'anonymous',
		fields: ['code', 'password', 'passwordConfirm']
	},
	{
		name: 'setup',
		path: () => '/setup',
		who: 'anonymous',
		// After the first run the page itself says who may create a municipality.
		messages: ['setup'],
		fields: [
			'name',
			'ubigeo',
			'defaultLocale',
			'adminName',
			'adminDni',
			'adminBirthDate',
			'adminEmail',
			'adminPassword',
			'adminPasswordConfirm'
		]
	},
	{ name: 'language', path: () => '/language', who: 'anonymous', fields: ['locale', 'redirectTo'], also: [303] },
	{
		name: 'receipt',
		path: () => `/${m.slug}/rounds/${ids.voting}/receipt`,
		who: 'anonymous',
		fields: ['receipt'],
		also: [200]
	},
	{
		name: 'propose',
		path: () => `/${m.slug}/rounds/${ids.intake}/propose`,
		who: 'resident',
		multipart: true,
		fields: [
			'title',
			'description',
			'category',
			'zoneId',
			'estimatedCost',
			'beneficiaries',
			'originalLocale',
			'latitude',
			'longitude',
			'photos'
		],
		files: ['photos']
	},
	{
		name: 'edit proposal',
		path: () => `/${m.slug}/rounds/${ids.intake}/proposals/${ids.ownProposal}/edit`,
		who: 'author',
		multipart: true,
		fields: [
			'title',
			'description',
			'category',
			'zoneId',
			'estimatedCost',
			'beneficiaries',
			'originalLocale',
			'latitude',
			'longitude',
			'photos',
			'removePhoto'
		],
		files: ['photos']
	},
	...(['review', 'edit', 'cast'] as const).map((a): Form => ({
		name: `vote ${a}`,
		path: () => `/${m.slug}/rounds/${ids.voting}/vote?/${a}`,
		who: 'resident',
		// The ballot's fields are s<section> and s<section>_p<project> / _r<project>: real, foreign and made-up ids.
		fields: ['s0', 's1', 's2', 'ballotProposal', 'foreignProposal', 's0_p999999999999'],
		// "review" shows what would be cast (a blank section is a valid choice), "edit" re-shows the ballot with what
		// was sent: nothing is stored by either (the digest checks it).
		also: a === 'cast' ? [] : [200],
		// An empty section is a blank vote, and blank votes are cast: something unreadable in a section is hostile.
		hostile: (i) => ['s0', 's1'].some((f) => i.values[f]?.some((v) => String(v).trim() !== ''))
	})),
	{
		name: 'file observation',
		path: () => `/${m.slug}/rounds/${ids.past}/observations?/file`,
		who: 'auditor',
		multipart: true,
		fields: ['executionId', 'text', 'attachment'],
		files: ['attachment'],
		// A text, about the round or one of its projects, is a proper observation (whatever its characters: text
		// normalisation is checked elsewhere). Hostile here: no text, or a project that is not one of the round's.
		hostile: (i) =>
			!i.values.text?.some((v) => String(v).trim() !== '') ||
			![undefined, '', ...ids.executions].includes(i.values.executionId?.[0]?.toString().trim())
	},
	{
		name: 'close observation',
		path: () => `/${m.slug}/rounds/${ids.past}/observations?/close`,
		who: 'auditor',
		multipart: true,
		fields: ['observationId'],
		// Closing an observation of the round that one filed is what the form is for.
		hostile: (i) => !ids.observations.includes(String(i.values.observationId?.[0] ?? '').trim())
	},
	{
		name: 'change password',
		path: () => `/${m.slug}/account?/password`,
		who: 'resident',
		fields: ['current', 'password', 'passwordConfirm']
	},
	{
		name: 'delete account',
		path: () => `/${m.slug}/account?/deleteAccount`,
		who: 'resident',
		fields: ['confirm', 'password']
	}
];

test.beforeAll(async () => {
	test.setTimeout(120_000);
	process.env.DATABASE_URL = process.env.E2E_DB;
	const db = testDb();
	m = await seedMunicipality({ ubigeo: '080603', name: 'Fuzz', residents: 3 });
	other = await seedMunicipality({ ubigeo: '080604', name: 'Otra Fuzz', roles: ['official'], residents: 0 });
	await seedAllFeatureDemos(db, m.id);
	const intake = seedRoundsDemo(db, m.id, { phase: 'propuestas', fiscalYear: new Date().getFullYear() + 2 });
	const foreign = seedRoundsDemo(db, other.id, { phase: 'votacion' });
	const [past, voting] = db
		.select()
		.from(rounds)
		.where(eq(rounds.municipalityId, m.id))
		.orderBy(asc(rounds.fiscalYear))
		.all();
	const own = db
		.insert(proposals)
		.values({
			municipalityId: m.id,
			roundId: intake.roundId,
			seq: 900,
			zoneId: null,
			authorPersonId: m.people.resident1.personId,
			originalLocale: 'es',
			title: 'Propuesta propia para editar',
			description: 'Una propuesta que su autora puede editar mientras la recepción está abierta.',
			category: 'other',
			estimatedCostCents: 50_000_00,
			beneficiaries: 100,
			status: 'submitted',
			createdAt: Date.now(),
			updatedAt: Date.now()
		})
		.returning()
		.get();
	const ballotProposal = db.select().from(proposals).where(eq(proposals.roundId, voting.id)).get()!;
	ids = {
		voting: voting.id,
		intake: intake.roundId,
		past: past.id,
		ownProposal: own.id,
		ballotProposal: ballotProposal.id,
		foreignRound: foreign.roundId,
		foreignProposal: foreign.proposalIds[0],
		execution: db.select().from(projectExecutions).where(eq(projectExecutions.roundId, past.id)).get()?.id ?? 1,
		observations: db
			.select()
			.from(observations)
			.where(eq(observations.roundId, past.id))
			.all()
			.map((x) => String(x.id)),
		executions: db
			.select()
			.from(projectExecutions)
			.where(eq(projectExecutions.roundId, past.id))
			.all()
			.map((x) => String(x.id)),
		observation: db.select().from(observations).where(eq(observations.roundId, past.id)).get()?.id ?? 1
	};
	const session = (userId: number) => {
		const token = generateSessionToken();
		createSession(db, token, userId);
		return token;
	};
	tokens.resident = session(m.people.resident0.userId);
	tokens.author = session(m.people.resident1.userId);
	tokens.auditor = session(m.people.auditor.userId);
});

/** The hostile values: each field gets one, or several (a scalar sent as an array), or is left out. */
function hostileValues(): string[] {
	const foreignIds = [
		ids.foreignRound,
		ids.foreignProposal,
		other.id,
		other.zones[0].id,
		other.people.official.personId
	].map(String);
	return [
		'',
		' ',
		'a'.repeat(100_000),
		'\u0000',
		'Nombre\u0000oculto',
		'\u202Eolleh\u202C',
		'\u2066aislado\u2069',
		'\uD800',
		'\uDFFF\uD800',
		'-1',
		'0',
		'-99999999999999999999',
		'99999999999999999999999999',
		'1e308',
		'-1e308',
		'NaN',
		'Infinity',
		'1.5',
		'0x10',
		'٣',
		'<script>alert(1)</script>',
		"' OR 1=1 --",
		'../../etc/passwd',
		'%00%0a',
		'=HYPERLINK("http://example.org")',
		'🙂'.repeat(5_000),
		'javascript:alert(1)',
		'//example.org',
		'on',
		'es',
		'qu',
		'2025-02-30',
		'1900-01-01',
		'9999-12-31',
		'70000137',
		'12345678-9',
		'a@b',
		...foreignIds,
		String(ids.ballotProposal),
		String(ids.execution),
		String(ids.observation)
	];
}

/** Files that are not what they say: empty, an SVG named .jpg, NUL bytes, a truncated PDF, random bytes. */
const FILES: [string, string, Uint8Array][] = [
	['empty.jpg', 'image/jpeg', new Uint8Array(0)],
	['x.jpg', 'image/jpeg', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')],
	['nul.png', 'image/png', new Uint8Array(4096)],
	['a.pdf', 'application/pdf', new TextEncoder().encode('%PDF-1.7\n%%EOF')],
	['r.webp', 'image/webp', Uint8Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256)]
];

function fieldName(form: Form, field: string): string {
	if (field === 'ballotProposal') return `s0_p${ids.ballotProposal}`;
	if (field === 'foreignProposal') return `s1_r${ids.foreignProposal}`;
	return field;
}

interface Input {
	locale: 'es' | 'qu';
	values: Record<string, (string | number)[] | undefined>;
}

function inputArb(form: Form): fc.Arbitrary<Input> {
	const hostile = hostileValues();
	const value = fc.oneof(
		{ weight: 5, arbitrary: fc.constantFrom(...hostile) },
		{ weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
		{ weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String) },
		{ weight: 1, arbitrary: fc.double().map(String) }
	);
	const one = (field: string) =>
		form.files?.includes(field)
			? fc.oneof(value, fc.integer({ min: 0, max: FILES.length - 1 }))
			: (value as fc.Arbitrary<string | number>);
	return fc
		.record({
			locale: fc.constantFrom('es' as const, 'qu' as const),
			values: fc.record(
				Object.fromEntries(
					form.fields.map((f) => [f, fc.option(fc.array(one(f), { minLength: 1, maxLength: 3 }), { nil: undefined })])
				) as Record<string, fc.Arbitrary<(string | number)[] | undefined>>
			)
		})
		.filter((i) => !form.hostile || form.hostile(i));
}

/** The same hostile value in every field, for each value of the table (so each is tried at least once). */
function examples(form: Form): [Input][] {
	const table = hostileValues();
	const picked = [0, 2, 4, 5, 7, 9, 12, 14, 20, 37];
	return picked.map((i, k) => [
		{
			locale: k % 2 ? 'qu' : 'es',
			values: Object.fromEntries(form.fields.map((f) => [f, [table[(i + form.fields.indexOf(f)) % table.length]]]))
		}
	]);
}

function body(form: Form, input: Input): FormData | URLSearchParams {
	const fd = new FormData();
	for (const [field, vs] of Object.entries(input.values))
		for (const v of vs ?? []) {
			if (typeof v === 'number') {
				const [name, type, bytes] = FILES[v];
				fd.append(fieldName(form, field), new Blob([bytes as BlobPart], { type }), name);
			} else fd.append(fieldName(form, field), v);
		}
	if (form.multipart) return fd;
	const u = new URLSearchParams();
	for (const [k, v] of fd.entries()) u.append(k, typeof v === 'string' ? v : '');
	return u;
}

let origin = '';
let base = '';
const counts: Record<string, number> = {};

async function post(form: Form, payload: BodyInit, locale: string, contentType?: string) {
	// As a browser without JavaScript: HTML (a form action asked for JSON answers 200 with the outcome inside).
	const headers: Record<string, string> = { origin, 'accept-language': locale, accept: 'text/html' };
	const token = form.who === 'anonymous' ? undefined : tokens[form.who];
	if (token) headers.cookie = `minka_session=${token}`;
	// Serialised the way fetch would, then sent on a connection of its own (fetch's reused keep-alive connections
	// race the server closing them between slow requests: "other side closed").
	const req = new Request(base + form.path(), { method: 'POST', body: payload });
	const bytes = Buffer.from(await req.arrayBuffer());
	headers['content-type'] = contentType ?? req.headers.get('content-type') ?? 'application/octet-stream';
	headers['content-length'] = String(bytes.length);
	return new Promise<{ status: number; text: string; location: string | null }>((resolve, reject) => {
		const r = httpRequest(req.url, { method: 'POST', headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					text: Buffer.concat(chunks).toString('utf8'),
					location: (res.headers.location as string | undefined) ?? null
				})
			);
			res.on('error', reject);
		});
		r.on('error', reject);
		r.end(bytes);
	});
}

function judge(form: Form, r: { status: number; text: string; location: string | null }): string | null {
	if (r.status >= 500) return `500: ${r.text.slice(0, 300)}`;
	if (r.status >= 400 && r.status < 500) {
		const text = unescape(r.text);
		const known = form.messages ? messages(['errors', ...form.messages]) : ERRORS;
		if (!known.some((m) => text.includes(m.longest) && m.pattern.test(text)))
			return `${r.status} without a translated message`;
		if (/errors\.[a-zA-Z]+\.?[a-zA-Z]*/.test(text.replace(/<script[\s\S]*?<\/script>/g, '')))
			return `${r.status} shows a message key`;
		return null;
	}
	if (form.also?.includes(r.status)) {
		// A redirect never leaves the site.
		if (r.location && !/^\/(?![/\\])/.test(r.location)) return `redirect off the site: ${r.location}`;
		return null;
	}
	return `unexpected ${r.status}${r.location ? ' → ' + r.location : ''}`;
}

for (const form of FORMS)
	test(`fuzz: ${form.name}`, async ({ baseURL }) => {
		test.setTimeout(180_000);
		origin = baseURL!;
		base = baseURL!.replace('localhost', '127.0.0.2');
		const db = testDb();
		const digest = () => municipalityDigest(db, [m.id, other.id]);
		const before = digest();
		let tried = 0;
		await fc.assert(
			fc.asyncProperty(inputArb(form), async (input) => {
				tried++;
				const r = await post(form, body(form, input), input.locale);
				const bad = judge(form, r);
				expect(bad, `${form.name} ${JSON.stringify(input).slice(0, 300)}`).toBeNull();
				expect(digest(), `${form.name} changed the database`).toBe(before);
			}),
			{
				numRuns: RUNS,
				seed: SEED,
				examples: examples(form).filter(([i]) => !form.hostile || form.hostile(i)),
				endOnFailure: true
			}
		);
		// Broken multipart: a boundary that never closes, and one that does not match the header.
		for (const [type, payload] of [
			['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="title"\r\n\r\nsin fin'],
			['multipart/form-data; boundary=aa', '--bb\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--bb--\r\n']
		]) {
			tried++;
			const r = await post(form, payload, 'es', type);
			expect(judge(form, r), `${form.name}: broken multipart`).toBeNull();
		}
		expect(digest(), `${form.name} changed the database`).toBe(before);
		counts[form.name] = tried;
	});

test.afterAll(() => {
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	console.log(`fuzz: ${Object.keys(counts).length} forms, ${total} inputs`, counts);
});
