/**
 * Issue 17 point 5: the turnout page kept rendered per session until the data changes. Through the real hook
 * (session check, actor, page cache) and the real loads of the page and its layouts on a real database: what is kept
 * is served again, and each write a reader must see at once (a cast, a role taken away, a logout, a write by another
 * connection) makes the next request render again.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHttpError, isRedirect, type Handle, type RequestEvent } from '@sveltejs/kit';
import { openDatabase, useDatabase, type Db } from '../db/client';
import { ballots, roleGrants, rounds } from '../db/schema/index';
import { eq } from 'drizzle-orm';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	sessionIdFromToken,
	SESSION_COOKIE
} from '../auth/session';
import { revokeRole } from '../roles';
import { castWebBallot } from '../voting';
import { handle } from '../../../hooks.server';
import { load as rootLoad } from '../../../routes/+layout.server';
import { load as adminLoad } from '../../../routes/[municipality]/admin/+layout.server';
import { load as turnoutLoad } from '../../../routes/[municipality]/admin/rounds/[roundId=id]/voting/+page.server';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown, type Person } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

const ROUTE = '/[municipality]/admin/rounds/[roundId=id]/voting';
let db: Db;
let town: ReturnType<typeof seedTown>;
let official: Person;
let admin: Person;
let roundId: number;
let ids: number[];
let renders = 0;

/** The page's loads run as SvelteKit runs them; their data is the "page" (a redirect or error its status). */
const resolve = (async (event: RequestEvent) => {
	renders++;
	try {
		const e = event as never;
		const data = { ...(rootLoad(e) as object), ...(adminLoad(e) as object), ...(turnoutLoad(e) as object) };
		return new Response(JSON.stringify(data), { headers: { 'content-type': 'text/html' } });
	} catch (err) {
		if (isRedirect(err)) return new Response(null, { status: err.status, headers: { location: err.location } });
		if (isHttpError(err)) return new Response(err.body.message, { status: err.status });
		throw err;
	}
}) as Parameters<Handle>[0]['resolve'];

function request(path: string, cookies: Record<string, string>, opts: { dataRequest?: boolean } = {}) {
	const url = new URL(`http://localhost${path}`);
	const jar = new Map(Object.entries(cookies));
	const [, municipality, , , round] = path.split('/');
	const event = {
		url,
		request: new Request(url, { headers: { 'accept-encoding': 'gzip' } }),
		params: { municipality, roundId: round },
		route: { id: ROUTE },
		isDataRequest: opts.dataRequest ?? false,
		locals: {},
		cookies: {
			get: (n: string) => jar.get(n),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (n: string, v: string) => jar.set(n, v),
			delete: (n: string) => jar.delete(n)
		}
	} as unknown as RequestEvent;
	return handle({ event, resolve });
}

async function page(token: string, extra: Record<string, string> = {}, opts: { dataRequest?: boolean } = {}) {
	const before = renders;
	const r = await request(`/${town.slug}/admin/rounds/${roundId}/voting`, { [SESSION_COOKIE]: token, ...extra }, opts);
	const body = r.status === 200 ? await r.text() : '';
	return { status: r.status, rendered: renders > before, body, location: r.headers.get('location') };
}

const total = (body: string) => (JSON.parse(body) as { turnout: { totals: { total: number } } }).turnout.totals.total;

function signIn(p: Person) {
	const token = generateSessionToken();
	createSession(db, token, p.userId);
	return token;
}

beforeAll(() => {
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-session-cache-')), 't.db'));
	useDatabase(db);
	town = seedTown(db, '080101');
	official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	admin = seedPerson(db, town.municipalityId, { roles: ['admin'], zoneId: town.zones[0] });
	for (const [p, role] of [
		[official, 'official'],
		[admin, 'admin']
	] as const)
		db.insert(roleGrants)
			.values({ municipalityId: town.municipalityId, userId: p.userId, role, grantedAt: Date.now() })
			.run();
	const r = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'approval', maxChoices: 2 },
		budgets: [[null, 100_000_00]],
		proposals: [
			[null, 'Agua potable', null, 60_000_00],
			[null, 'Veredas', null, 40_000_00]
		]
	});
	roundId = r.roundId;
	ids = r.proposalIds;
});

const cast = (p: Person) =>
	castWebBallot(db, p.actor, town.municipalityId, roundId, { form: (n) => (n === 's0' ? [String(ids[0])] : []) });
const setPhase = (phase: 'votacion' | 'resultados') =>
	db.update(rounds).set({ phase }).where(eq(rounds.id, roundId)).run();

describe('the turnout page kept per session', () => {
	it('while voting is open it is rendered on every request, so a cast shows at once', async () => {
		const token = signIn(official);
		const first = await page(token);
		expect(first.status).toBe(200);
		const again = await page(token);
		expect(again.rendered).toBe(true);
		cast(seedPerson(db, town.municipalityId, { zoneId: town.zones[0] }));
		const after = await page(token);
		expect(after.rendered).toBe(true);
		expect(total(after.body)).toBe(total(first.body) + 1);
	});

	it('after voting it is rendered once and served again until the data changes', async () => {
		setPhase('resultados');
		const token = signIn(official);
		// the first reload after voting seals the round (a write): that render is not kept
		expect((await page(token)).rendered).toBe(true);
		const first = await page(token);
		expect(first.rendered).toBe(true);
		const again = await page(token);
		expect(again.rendered).toBe(false);
		expect(again.body).toBe(first.body);
		// a counted ballot written by another connection (a worker, a CLI) moves the data version too
		const other = openDatabase(db.$client.name);
		other.update(ballots).set({ status: 'voided' }).where(eq(ballots.roundId, roundId)).run();
		other.$client.close();
		const after = await page(token);
		expect(after.rendered).toBe(true);
		expect(total(after.body)).toBe(total(first.body) - 1);
		expect((await page(token)).rendered).toBe(false);
	});

	it('is kept for one session only: another official, or the same one elsewhere, gets a render of their own', async () => {
		const mine = signIn(official);
		await page(mine);
		expect((await page(mine)).rendered).toBe(false);
		expect((await page(signIn(official))).rendered).toBe(true);
		expect((await page(signIn(admin))).rendered).toBe(true);
	});

	it('a role taken away refuses the next request instead of serving the kept page', async () => {
		const token = signIn(official);
		await page(token);
		expect((await page(token)).rendered).toBe(false);
		revokeRole(db, admin.actor, town.municipalityId, official.userId, 'official');
		const after = await page(token);
		expect(after.rendered).toBe(true);
		expect(after.status).toBe(403);
	});

	it('after a logout the same cookie is sent to the login page', async () => {
		const token = signIn(admin);
		await page(token);
		expect((await page(token)).rendered).toBe(false);
		invalidateSession(db, sessionIdFromToken(token));
		const after = await page(token);
		expect(after.status).toBe(303);
		expect(after.location).toMatch(/\/login\?next=/);
	});

	it('keeps nothing for a client-side navigation (__data.json) or a request with another cookie', async () => {
		const token = signIn(admin);
		await page(token);
		expect((await page(token, {}, { dataRequest: true })).rendered).toBe(true);
		expect((await page(token, { other: '1' })).rendered).toBe(true);
		expect((await page(token, { other: '1' })).rendered).toBe(true);
	});
});
