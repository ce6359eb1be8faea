import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { test, expect, seedMunicipality, testDb, type SeededMunicipality } from './fixtures';
import { municipalityDigest } from '../support/db-digest';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { actorFor } from '../../src/lib/server/accounts';
import { seedAllFeatureDemos } from '../../src/lib/server/demo/features';
import { createStation, createBatch } from '../../src/lib/server/voting';
import { createWorkshop, agentCheckinCode } from '../../src/lib/server/workshops';
import {
	councilSessions,
	executionPhotos,
	observations,
	participantAgents,
	projectExecutions,
	proposalPhotos,
	proposals,
	rounds,
	users
} from '../../src/lib/server/db/schema/index';

/**
 * The permission sweep (security review, issue 15): every route and form action of the app × every persona →
 * the expected outcome, against the real production server. A new route or action without a row here fails the
 * first test, so a permission is decided (and written down) the day a route is added.
 *
 * Outcomes: `ok` = let through (a page, a redirect elsewhere, or the form re-shown with a validation refusal — the
 * empty form is always incomplete), `login` = 303 to this municipality's login page, `forbidden` = 403,
 * `notFound` = 404. A 500 is never expected. All refusals run first over the whole table, with a digest of the two
 * municipalities' rows before and after: a refused request changes nothing.
 */
test.describe.configure({ mode: 'serial' });

const PERSONAS = [
	'anonymous',
	'foreign',
	'installer',
	'unverified',
	'resident',
	'admin',
	'official',
	'technical',
	'council_secretary',
	'auditor'
] as const;
type Persona = (typeof PERSONAS)[number];
type Outcome = 'ok' | 'login' | 'forbidden' | 'notFound';

// Who may do what, written out here (not read from platform/policy.ts): a change of policy must change this table.
const ADMIN: Persona[] = ['admin'];
const STAFF: Persona[] = ['admin', 'official'];
const COUNCIL: Persona[] = ['admin', 'council_secretary'];
const TURNOUT: Persona[] = ['admin', 'official', 'auditor'];
const TRANSLATE: Persona[] = ['admin', 'official', 'technical'];
const TECHNICAL: Persona[] = ['technical'];
const OFFICE: Persona[] = ['admin', 'official', 'technical', 'council_secretary', 'auditor'];
const VERIFIED: Persona[] = ['resident', ...OFFICE];
const USERS: Persona[] = ['unverified', ...VERIFIED];
const ALL: Persona[] = [...PERSONAS];

interface Row {
	/** `GET /route/id`, `POST /route/id` (default action or endpoint) or `POST /route/id?/action`. */
	key: string;
	allow: Persona[];
	/** Outcomes that differ from the rule (allowed → ok; anonymous → login; others → forbidden). */
	except?: Partial<Record<Persona, Outcome>>;
	/** Which round the `[roundId]` of the path is: the current one (voting) or last year's (published, followed up). */
	round?: 'past';
	/** Each persona gets a fresh session for this row (the request ends it). */
	fresh?: boolean;
}

const A = '/[municipality]/admin';
const AR = `${A}/rounds/[roundId=id]`;
const R = '/[municipality]/rounds/[roundId=id]';
/** An empty form names no record (agent, milestone, DNI, workshop): the allowed staff get 404. */
const NAMES_NONE: Partial<Record<Persona, Outcome>> = { admin: 'notFound', official: 'notFound' };
/** Anonymous visitors of a logged-in-only page land on the login page; a visitor from another municipality gets 403. */
const loggedIn = (allow: Persona[], except?: Row['except']) => ({ allow, except });
/** Open to everyone. */
const open = { allow: ALL };
/** Open to everyone, and nothing to serve here (no such file seeded): the row checks the path never breaks. */
const absent: Partial<Record<Persona, Outcome>> = Object.fromEntries(PERSONAS.map((p) => [p, 'notFound']));

const TABLE: Row[] = [
	// Installation level.
	{ key: 'GET /', ...open },
	// Creating a municipality after the first run: the installation-level role only (an admin of another
	// municipality holds it here); other accounts get a 403, anonymous visitors the page saying so.
	{ key: 'GET /setup', ...loggedIn(['installer'], { anonymous: 'ok' }) },
	{ key: 'POST /setup', ...loggedIn(['installer'], { anonymous: 'forbidden' }) },
	{ key: 'POST /language', ...open },
	// Public pages of a municipality.
	{ key: 'GET /[municipality]', ...open },
	{ key: 'GET /[municipality]/privacy', ...open },
	{ key: 'GET /[municipality]/login', ...open },
	{ key: 'POST /[municipality]/login', ...open },
	{ key: 'GET /[municipality]/logout', ...open },
	{ key: 'POST /[municipality]/logout', ...open, fresh: true },
	{ key: 'GET /[municipality]/signup', ...open },
	{ key: 'POST /[municipality]/signup', ...open },
	{ key: 'GET /[municipality]/reset', ...open },
	{ key: 'POST /[municipality]/reset?/email', ...open },
	{ key: 'POST /[municipality]/reset?/code', ...open },
	{ key: 'GET /[municipality]/recount', ...open },
	{ key: 'GET /[municipality]/audit', ...open },
	{ key: 'GET /[municipality]/audit/anchors.json', ...open },
	{ key: 'GET /[municipality]/audit/export', ...open },
	{ key: 'GET /[municipality]/council', ...open },
	{ key: 'GET /[municipality]/council/export.csv', ...open },
	{ key: 'GET /[municipality]/council/export.json', ...open },
	{ key: 'GET /[municipality]/council/sessions/[id=id]/acta.pdf', ...open },
	{ key: 'GET /[municipality]/council/sessions/[id=id]/acta-firmada.pdf', ...open, except: absent },
	{ key: 'GET /[municipality]/photos/[photoId=id]', ...open },
	{ key: 'GET /[municipality]/rounds', ...open },
	{ key: `GET ${R}`, ...open },
	{ key: `GET ${R}/proposals`, ...open },
	{ key: `GET ${R}/proposals/[proposalId=id]`, ...open },
	{ key: `GET ${R}/propose`, ...loggedIn(VERIFIED) },
	{ key: `POST ${R}/propose`, ...loggedIn(VERIFIED) },
	// Only its author while proposals are received: nobody here (the round is voting, the author is not a persona).
	{ key: `GET ${R}/proposals/[proposalId=id]/edit`, ...loggedIn([]) },
	{ key: `POST ${R}/proposals/[proposalId=id]/edit`, ...loggedIn([]) },
	// The ballot page tells an unverified account why it cannot vote (200); reviewing and casting refuse it (403).
	{ key: `GET ${R}/vote`, ...loggedIn(USERS) },
	{ key: `POST ${R}/vote?/review`, ...loggedIn(VERIFIED) },
	{ key: `POST ${R}/vote?/edit`, ...loggedIn(USERS) },
	{ key: `POST ${R}/vote?/cast`, ...loggedIn(VERIFIED) },
	{ key: `GET ${R}/receipt`, ...open },
	{ key: `POST ${R}/receipt`, ...open },
	// The receipt file comes from the voter's 30-minute cookie, which no persona here holds.
	{ key: `GET ${R}/receipt/recibo.txt`, ...open, except: absent },
	{ key: `GET ${R}/paper`, ...open },
	// Resolving a batch's differences as the Comité de Vigilancia (few staff): a committee seat in term, which no
	// persona here holds (tested in voting/committee-resolves.test.ts).
	{ key: `GET ${R}/paper/[batchId=id]`, ...loggedIn([]) },
	{ key: `POST ${R}/paper/[batchId=id]?/resolve`, ...loggedIn([]) },
	{ key: `GET ${R}/workshops`, ...open },
	{ key: `GET ${R}/ordinance`, ...open, except: absent },
	// Recordings of the ballot (none seeded here).
	{ key: `GET ${R}/audio/[clipId=id]`, ...open, except: absent },
	{ key: `GET ${R}/results`, ...open, round: 'past' },
	{ key: `GET ${R}/results/files/[file]`, ...open, round: 'past' },
	// The per-voter files of budgets kept private: accredited auditors only (the demo keeps none private: 404).
	{ key: `GET ${R}/results/voters.zip`, ...loggedIn(['auditor'], { auditor: 'notFound' }), round: 'past' },
	{ key: `GET ${R}/open-data.zip`, ...open, round: 'past' },
	{ key: `GET ${R}/acta`, ...open, round: 'past' },
	// Issued acta only: the seeded one is a draft.
	{ key: `GET ${R}/acta.pdf`, ...open, round: 'past', except: absent },
	{ key: `GET ${R}/execution`, ...open, round: 'past' },
	{ key: `GET ${R}/execution/photos/[photoId=id]`, ...open, round: 'past' },
	{ key: `GET ${R}/observations`, ...open, round: 'past' },
	// Filing: the Comité de Vigilancia (auditor role or a committee seat). Refusals are the form's own 403.
	{ key: `POST ${R}/observations?/file`, ...loggedIn(['auditor'], { anonymous: 'forbidden' }), round: 'past' },
	// Closing one's own observation: the empty form names none (404 for anyone logged in here).
	{
		key: `POST ${R}/observations?/close`,
		...loggedIn([], { ...absent, anonymous: 'forbidden', foreign: 'forbidden', installer: 'forbidden' }),
		round: 'past'
	},
	{ key: `GET ${R}/observations/[observationId=id]/file`, ...open, round: 'past', except: absent },
	// One's own account.
	{ key: 'GET /[municipality]/account', ...loggedIn(USERS) },
	{ key: 'POST /[municipality]/account?/password', ...loggedIn(USERS) },
	{ key: 'POST /[municipality]/account?/deleteAccount', ...loggedIn(USERS) },
	// An endpoint, not a page: no login redirect.
	{ key: 'GET /[municipality]/account/my-data.json', ...loggedIn(USERS, { anonymous: 'forbidden' }) },
	// The office.
	{ key: `GET ${A}`, ...loggedIn(OFFICE) },
	{ key: `GET ${A}/settings`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/settings`, ...loggedIn(ADMIN) },
	{ key: `GET ${A}/roles`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/roles?/grant`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/roles?/revoke`, ...loggedIn(ADMIN) },
	{ key: `GET ${A}/handover`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/handover?/handover`, ...loggedIn(ADMIN) },
	{ key: `GET ${A}/zones`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/zones?/create`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/zones?/rename`, ...loggedIn(ADMIN) },
	{ key: `POST ${A}/zones?/retire`, ...loggedIn(ADMIN, { admin: 'notFound' }) },
	{ key: `GET ${A}/census`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/census?/preview`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/census?/import`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/residents`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/residents?/lookup`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/residents?/verify`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/residents?/move`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/residents?/merge`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/residents?/resetCode`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/council`, ...loggedIn(COUNCIL) },
	{ key: `POST ${A}/council?/add`, ...loggedIn(COUNCIL) },
	{ key: `POST ${A}/council?/correctMember`, ...loggedIn(COUNCIL) },
	{ key: `GET ${A}/council/settings`, ...loggedIn(COUNCIL) },
	{ key: `POST ${A}/council/settings`, ...loggedIn(COUNCIL) },
	{ key: `GET ${A}/council/sessions`, ...loggedIn(COUNCIL) },
	{ key: `POST ${A}/council/sessions?/create`, ...loggedIn(COUNCIL) },
	{ key: `GET ${A}/council/sessions/[id=id]`, ...loggedIn(COUNCIL) },
	...[
		'attendance',
		'agreement',
		'correctSession',
		'correctAttendance',
		'correctAgreement',
		'issueMinutes',
		'upload'
	].map((a): Row => ({ key: `POST ${A}/council/sessions/[id=id]?/${a}`, ...loggedIn(COUNCIL) })),
	{ key: `GET ${A}/workshops`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/workshops?/create`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/workshops/codes`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/workshops/[id=id]`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/workshops/[id=id]?/agent`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/workshops/[id=id]?/walkIn`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/workshops/[id=id]?/remove`, ...loggedIn(STAFF, NAMES_NONE) },
	{ key: `GET ${A}/workshops/[id=id]/sheet.pdf`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/workshops/checkin/[code]`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/workshops/checkin/[code]`, ...loggedIn(STAFF, NAMES_NONE) },
	{ key: `GET ${A}/rounds`, ...loggedIn(OFFICE) },
	{ key: `POST ${A}/rounds?/clone`, ...loggedIn(STAFF) },
	{ key: `GET ${A}/rounds/new`, ...loggedIn(STAFF) },
	{ key: `POST ${A}/rounds/new?/save`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}`, ...loggedIn(OFFICE) },
	{ key: `GET ${AR}/setup/[step]`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/setup/[step]?/save`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/audio`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/audio?/attach`, ...loggedIn(STAFF, NAMES_NONE) },
	{ key: `POST ${AR}/audio?/remove`, ...loggedIn(STAFF, NAMES_NONE) },
	{ key: `GET ${AR}/matrix`, ...loggedIn(OFFICE) },
	{ key: `POST ${AR}/matrix?/save`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/file`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/file`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/proposals`, ...loggedIn(OFFICE) },
	{ key: `GET ${AR}/proposals/[proposalId=id]`, ...loggedIn(OFFICE) },
	{ key: `POST ${AR}/proposals/[proposalId=id]?/evaluate`, ...loggedIn(TECHNICAL) },
	{ key: `POST ${AR}/proposals/[proposalId=id]?/translate`, ...loggedIn(TRANSLATE) },
	{ key: `POST ${AR}/proposals/[proposalId=id]?/score`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/agents`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/agents?/register`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/agents?/withdraw`, ...loggedIn(STAFF, NAMES_NONE) },
	{
		key: `GET ${AR}/agents/[agentId=id]/accreditation`,
		...loggedIn(STAFF, { admin: 'notFound', official: 'notFound' })
	},
	{ key: `GET ${AR}/voting`, ...loggedIn(TURNOUT) },
	{ key: `POST ${AR}/voting?/station`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/voting/reconciliation`, ...loggedIn(TURNOUT) },
	{ key: `GET ${AR}/voting/station`, ...loggedIn(STAFF) },
	...['lookup', 'register', 'mark', 'void', 'assisted'].map((a): Row => ({
		key: `POST ${AR}/voting/station?/${a}`,
		// Looking up, marking or assisting a DNI the empty form does not give: not found.
		...loggedIn(STAFF, ['lookup', 'mark', 'assisted'].includes(a) ? NAMES_NONE : {})
	})),
	{ key: `GET ${AR}/voting/batches`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/voting/batches?/create`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/voting/batches/[batchId=id]`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/voting/batches/[batchId=id]?/enter`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/voting/batches/[batchId=id]?/resolve`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/results`, ...loggedIn(STAFF), round: 'past' },
	{ key: `POST ${AR}/results?/compute`, ...loggedIn(STAFF), round: 'past' },
	// A compute's progress page (an unknown job shows none).
	{ key: `GET ${AR}/results/jobs/[job]`, ...loggedIn(STAFF), round: 'past' },
	{ key: `POST ${AR}/results?/unblock`, ...loggedIn(STAFF), round: 'past' },
	{ key: `POST ${AR}/results?/publish`, ...loggedIn(STAFF), round: 'past' },
	{ key: `GET ${AR}/acta`, ...loggedIn(STAFF), round: 'past' },
	...[
		'details',
		'cofinancing',
		'removeCofinancing',
		'commitment',
		'removeCommitment',
		'committee',
		'removeCommittee',
		'issue',
		'reopen',
		'upload'
	].map((a): Row => ({
		key: `POST ${AR}/acta?/${a}`,
		...loggedIn(STAFF, a.startsWith('remove') ? NAMES_NONE : {}),
		round: 'past'
	})),
	{ key: `GET ${AR}/acta/acta.pdf`, ...loggedIn(STAFF), round: 'past' },
	{
		key: `GET ${AR}/acta/firmada.pdf`,
		...loggedIn(TURNOUT, { admin: 'notFound', official: 'notFound', auditor: 'notFound' }),
		round: 'past'
	},
	{ key: `GET ${AR}/execution`, ...loggedIn(STAFF), round: 'past' },
	...['start', 'settings', 'reserve'].map((a): Row => ({
		key: `POST ${AR}/execution?/${a}`,
		...loggedIn(STAFF),
		round: 'past'
	})),
	{ key: `GET ${AR}/execution/[executionId=id]`, ...loggedIn(STAFF), round: 'past' },
	...['status', 'correctStatus', 'correctMilestone', 'figures', 'milestone', 'reached', 'part'].map((a): Row => ({
		key: `POST ${AR}/execution/[executionId=id]?/${a}`,
		...loggedIn(STAFF, a === 'reached' ? NAMES_NONE : {}),
		round: 'past'
	})),
	{ key: `GET ${AR}/observations`, ...loggedIn(STAFF), round: 'past' },
	...['addMember', 'removeMember', 'answer', 'deadline', 'close'].map((a): Row => ({
		key: `POST ${AR}/observations?/${a}`,
		...loggedIn(STAFF, a === 'removeMember' || a === 'close' ? NAMES_NONE : {}),
		round: 'past'
	})),
	// Last: these act on the current round with an empty form (the matrix back to its defaults, a phase change,
	// closing the vote early), so the rows above see the round as seeded.
	{ key: `POST ${AR}/matrix?/reset`, ...loggedIn(STAFF) },
	{ key: `GET ${AR}/phase/[to]`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}/phase/[to]`, ...loggedIn(STAFF) },
	{ key: `POST ${AR}?/closeVoting`, ...loggedIn(STAFF) }
];

/** What the table must cover: every page, endpoint method and form action found under src/routes. */
function routesOnDisk(): string[] {
	const root = join(process.cwd(), 'src', 'routes');
	const keys: string[] = [];
	const walk = (dir: string) => {
		const files = readdirSync(dir, { withFileTypes: true });
		const id = '/' + relative(root, dir).split(sep).join('/');
		const route = id === '/' ? '/' : id.replace(/\/$/, '');
		const has = (f: string) => files.some((e) => e.isFile() && e.name === f);
		if (has('+page.svelte') || has('+page.server.ts')) keys.push(`GET ${route}`);
		if (has('+page.server.ts')) {
			const src = readFileSync(join(dir, '+page.server.ts'), 'utf8');
			const block = /export const actions[^=]*=\s*{([\s\S]*?)\n};/.exec(src)?.[1] ?? '';
			for (const m of block.matchAll(/^\t(?:async\s+)?([A-Za-z_$][\w$]*)\s*[:(]/gm))
				keys.push(m[1] === 'default' ? `POST ${route}` : `POST ${route}?/${m[1]}`);
		}
		if (has('+server.ts')) {
			const src = readFileSync(join(dir, '+server.ts'), 'utf8');
			for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g))
				keys.push(`${m[1]} ${route}`);
		}
		for (const e of files) if (e.isDirectory()) walk(join(dir, e.name));
	};
	walk(root);
	return keys.sort();
}

test('every route and form action has a row in the sweep table', () => {
	const onDisk = routesOnDisk();
	const inTable = TABLE.map((r) => r.key);
	expect(new Set(inTable).size, 'a key twice in the table').toBe(inTable.length);
	expect(
		onDisk.filter((k) => !inTable.includes(k)),
		'routes without a row: decide who may use them'
	).toEqual([]);
	expect(
		inTable.filter((k) => !onDisk.includes(k)),
		'rows for routes that no longer exist'
	).toEqual([]);
	// The walk itself finds what it should (a parser that finds nothing would pass the check above vacuously).
	expect(onDisk.length).toBeGreaterThan(150);
	expect(onDisk).toContain(`POST ${AR}/acta?/removeCommittee`);
});

interface World {
	m: SeededMunicipality;
	other: SeededMunicipality;
	tokens: Record<Persona, string | null>;
	params: (round: 'past' | 'current') => Record<string, string>;
	rounds: { past: number; current: number };
	workshop: number;
	proposalPhoto: number;
}

let world: World;

function session(userId: number): string {
	const token = generateSessionToken();
	createSession(testDb(), token, userId);
	return token;
}

function personaUser(w: Pick<World, 'm' | 'other'>, p: Persona): number | null {
	if (p === 'anonymous') return null;
	if (p === 'foreign') return w.other.people.official.userId;
	if (p === 'installer') return w.other.people.admin.userId;
	if (p === 'resident') return w.m.people.resident0.userId;
	return w.m.people[p].userId;
}

test.beforeAll(async () => {
	test.setTimeout(120_000);
	// Photos seeded by the demo go where the server reads them.
	process.env.DATABASE_URL = process.env.E2E_DB;
	const db = testDb();
	const m = await seedMunicipality({ ubigeo: '080601', name: 'Barrido', residents: 6 });
	const other = await seedMunicipality({
		ubigeo: '080602',
		name: 'Vecina',
		roles: ['official', 'admin'],
		residents: 0
	});
	db.update(users).set({ installationAdminAt: Date.now() }).where(eq(users.id, other.people.admin.userId)).run();
	await seedAllFeatureDemos(db, m.id);
	const roundRows = db
		.select()
		.from(rounds)
		.where(eq(rounds.municipalityId, m.id))
		.orderBy(asc(rounds.fiscalYear))
		.all();
	const [pastRound, currentRound] = roundRows;
	const official = actorFor(db, db.select().from(users).where(eq(users.id, m.people.official.userId)).get()!);
	const station = createStation(db, official, m.id, currentRound.id, 'Mesa del barrido');
	const batch = createBatch(db, official, m.id, currentRound.id, {
		stationId: station.id,
		zoneId: '',
		label: 'Sobre 1',
		declaredCount: 3
	});
	const agent = db.select().from(participantAgents).where(eq(participantAgents.roundId, currentRound.id)).get()!;
	const workshop = createWorkshop(db, official, m.id, {
		roundId: currentRound.id,
		kind: 'training',
		title: 'Taller del barrido',
		date: '2030-01-10',
		startsAt: '10:00',
		place: 'Local comunal'
	});
	const first = <T extends { id: number }>(rows: T[]) => String(rows[0]?.id ?? 999_999);
	const proposalOf = (roundId: number) =>
		first(db.select({ id: proposals.id }).from(proposals).where(eq(proposals.roundId, roundId)).all());
	const execution = first(
		db
			.select({ id: projectExecutions.id })
			.from(projectExecutions)
			.where(eq(projectExecutions.roundId, pastRound.id))
			.all()
	);
	// A proposal photo: the same stored file as a follow-up photo of the demo.
	const ep = db.select().from(executionPhotos).where(eq(executionPhotos.municipalityId, m.id)).get()!;
	const { id: _id, municipalityId: _m, milestoneId: _ms, ...file } = ep;
	const proposalPhoto = db
		.insert(proposalPhotos)
		.values({ ...file, proposalId: Number(proposalOf(currentRound.id)), position: 0 })
		.returning()
		.get();
	const photo = first(
		db.select({ id: executionPhotos.id }).from(executionPhotos).where(eq(executionPhotos.municipalityId, m.id)).all()
	);
	const observation = first(
		db
			.select({ id: observations.id })
			.from(observations)
			.where(and(eq(observations.roundId, pastRound.id), isNull(observations.closedAt)))
			.all()
	);
	const councilSession = first(
		db.select({ id: councilSessions.id }).from(councilSessions).where(eq(councilSessions.municipalityId, m.id)).all()
	);
	const common = {
		'[municipality]': m.slug,
		'[id=id]': councilSession,
		'[photoId=id]': photo,
		'[observationId=id]': observation,
		'[agentId=id]': String(agent.id),
		'[batchId=id]': String(batch.id),
		'[executionId=id]': execution,
		'[code]': agentCheckinCode(agent.id),
		'[file]': 'results.csv',
		'[clipId=id]': '999999',
		'[job]': 'no-such-job',
		'[to]': 'resultados',
		'[step]': 'timetable'
	};
	const tokens = Object.fromEntries(
		PERSONAS.map((p) => {
			const u = personaUser({ m, other }, p);
			return [p, u === null ? null : session(u)];
		})
	) as Record<Persona, string | null>;
	world = {
		m,
		other,
		tokens,
		rounds: { past: pastRound.id, current: currentRound.id },
		params: (round) => ({
			...common,
			'[roundId=id]': String(round === 'past' ? pastRound.id : currentRound.id),
			'[proposalId=id]': proposalOf(round === 'past' ? pastRound.id : currentRound.id)
		}),
		workshop: workshop.id,
		proposalPhoto: proposalPhoto.id
	};
});

function urlFor(row: Row): string {
	const [, route] = row.key.split(' ');
	const params = world.params(row.round ?? 'current');
	let path = route;
	// Admin workshops share the `[id=id]` name with council sessions.
	if (route.startsWith(`${A}/workshops/[id=id]`)) path = path.replace('[id=id]', String(world.workshop));
	// Proposal photos and follow-up photos share `[photoId=id]`.
	if (route === '/[municipality]/photos/[photoId=id]') path = path.replace('[photoId=id]', String(world.proposalPhoto));
	for (const [k, v] of Object.entries(params)) path = path.split(k).join(v);
	return path;
}

function expected(row: Row, p: Persona): Outcome {
	if (row.except?.[p]) return row.except[p]!;
	if (row.allow.includes(p)) return 'ok';
	return p === 'anonymous' ? 'login' : 'forbidden';
}

async function send(baseURL: string, row: Row, p: Persona): Promise<{ outcome: Outcome | 'error'; detail: string }> {
	const [method] = row.key.split(' ');
	const token = row.fresh ? (p === 'anonymous' ? null : session(personaUser(world, p)!)) : world.tokens[p];
	// As a browser without JavaScript: HTML (a form action asked for JSON answers 200 with the outcome inside).
	const headers: Record<string, string> = { origin: baseURL, 'accept-language': 'es', accept: 'text/html' };
	if (token) headers.cookie = `minka_session=${token}`;
	let body: FormData | undefined;
	if (method === 'POST') body = new FormData();
	const res = await fetch(baseURL + urlFor(row), { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	const where = res.headers.get('location') ?? '';
	const detail = `${res.status}${where ? ' → ' + where : ''}`;
	if (res.status >= 500) return { outcome: 'error', detail: `${detail} ${text.slice(0, 200)}` };
	if (res.status === 403 || res.status === 401) return { outcome: 'forbidden', detail };
	if (res.status === 404) return { outcome: 'notFound', detail };
	if (res.status >= 300 && res.status < 400 && where.startsWith(`/${world.m.slug}/login`))
		return { outcome: 'login', detail };
	return { outcome: 'ok', detail };
}

test('every persona gets the expected answer on every route, and refusals change nothing', async ({ baseURL }) => {
	test.setTimeout(240_000);
	const mismatches: string[] = [];
	const actual: Record<string, Record<Persona, string>> = {};
	const check = async (row: Row, p: Persona) => {
		const got = await send(baseURL!, row, p);
		(actual[row.key] ??= {} as Record<Persona, string>)[p] = `${got.outcome} (${got.detail})`;
		const want = expected(row, p);
		if (got.outcome !== want)
			mismatches.push(`${row.key} as ${p}: expected ${want}, got ${got.outcome} (${got.detail})`);
	};
	const refused = (row: Row) => PERSONAS.filter((p) => expected(row, p) !== 'ok');
	const allowed = (row: Row) => PERSONAS.filter((p) => expected(row, p) === 'ok');

	// 1. Every refusal, four at a time: nothing in either municipality changes.
	const digest = () => municipalityDigest(testDb(), [world.m.id, world.other.id]);
	const before = digest();
	const queue = TABLE.flatMap((row) => refused(row).map((p) => [row, p] as const));
	await Promise.all(
		[0, 1, 2, 3].map(async () => {
			for (let job = queue.shift(); job; job = queue.shift()) await check(job[0], job[1]);
		})
	);
	expect(digest(), 'a refused request changed the database').toBe(before);

	// 2. Every allowed persona, in table order (the empty form is refused as incomplete, or does what it says).
	for (const row of TABLE) for (const p of allowed(row)) await check(row, p);

	if (process.env.SWEEP_PRINT) console.log(JSON.stringify(actual, null, 1));
	const total = TABLE.length * PERSONAS.length;
	console.log(`sweep: ${TABLE.length} routes and actions × ${PERSONAS.length} personas = ${total} requests`);
	expect(mismatches).toEqual([]);
});
