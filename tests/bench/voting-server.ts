/**
 * Shared by bench:vote and bench:weight: a temporary database seeded directly (municipality, zones, verified voters
 * with sessions, a round in its voting phase), and the production server started on it.
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { openDatabase, writeTx, type Db } from '../../src/lib/server/db/client';
import { municipalities, persons, users, zones } from '../../src/lib/server/db/schema/index';
import { createSession, generateSessionToken } from '../../src/lib/server/auth/session';
import { PRIVACY_NOTICE_VERSION } from '../../src/lib/server/accounts';
import { seedVotingRound } from '../support/voting-fixture';

export const SECRET = 'bench-secret';

export async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const s = createServer();
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

export function ensureBuild() {
	if (process.argv.includes('--no-build')) return;
	execSync('node src/cli/ensure-build.js', { stdio: 'inherit' });
}

export interface Seeded {
	db: Db;
	dbPath: string;
	slug: string;
	roundId: number;
	/** Session token per voter, in order. */
	tokens: string[];
	/** Project ids per ballot section (zone section first, then the municipality-wide share). */
	sections: number[][];
}

export function seed(opts: {
	voters: number;
	proposalsPerSection: number;
	ballot?: Parameters<typeof seedVotingRound>[1]['ballot'];
}): Seeded {
	process.env.MINKA_SECRET = SECRET;
	const dbPath = join(mkdtempSync(join(tmpdir(), 'minka-bench-')), 'minka.db');
	const db = openDatabase(dbPath);
	const now = Date.now();
	const { slug, municipalityId, zoneId, authorId, tokens } = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'bench',
				ubigeo: '080101',
				name: 'Cusco (bench)',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				defaultLocale: 'es',
				createdAt: now
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Sector Norte', createdAt: now })
			.returning()
			.get();
		const tokens: string[] = [];
		let authorId = 0;
		for (let i = 0; i < opts.voters; i++) {
			const p = tx
				.insert(persons)
				.values({
					municipalityId: m.id,
					fullName: `Votante ${i}`,
					// The round's roll is keyed by the DNI HMAC: a voter needs one (an opaque unique value is enough here).
					dniHmac: `bench-dni-${i}`,
					birthDate: '1980-01-01',
					zoneId: z.id,
					verifiedAt: now,
					verifiedMethod: 'census',
					createdAt: now
				})
				.returning({ id: persons.id })
				.get();
			authorId ||= p.id;
			const u = tx
				.insert(users)
				.values({
					municipalityId: m.id,
					personId: p.id,
					passwordHash: 'x',
					locale: 'es',
					privacyConsentAt: now,
					privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
					createdAt: now
				})
				.returning({ id: users.id })
				.get();
			const token = generateSessionToken();
			createSession(tx, token, u.id);
			tokens.push(token);
		}
		return { slug: m.slug, municipalityId: m.id, zoneId: z.id, authorId, tokens };
	});
	const n = opts.proposalsPerSection;
	const proposals: [number | null, string, string | null, number][] = [];
	for (let i = 0; i < n; i++)
		proposals.push([
			zoneId,
			`Proyecto de la zona ${i + 1}: mejoramiento del servicio de agua potable y alcantarillado del sector`,
			`Suyupaq ${i + 1} proyecto: yaku allichay`,
			10_000_00 + i * 1_000_00
		]);
	for (let i = 0; i < n; i++)
		proposals.push([
			null,
			`Proyecto distrital ${i + 1}: construcción de pistas y veredas en el jirón principal`,
			null,
			20_000_00 + i * 1_000_00
		]);
	const r = seedVotingRound(db, {
		municipalityId,
		authorPersonId: authorId,
		ballot: opts.ballot ?? { type: 'knapsack' },
		budgets: [
			[zoneId, 100_000_00],
			[null, 200_000_00]
		],
		proposals
	});
	return {
		db,
		dbPath,
		slug,
		roundId: r.roundId,
		tokens,
		sections: [r.proposalIds.slice(0, n), r.proposalIds.slice(n)]
	};
}

export async function startServer(
	dbPath: string,
	env: Record<string, string> = {}
): Promise<{ port: number; origin: string; child: ChildProcess; stop: () => Promise<void> }> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	// BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the server (read it in Chrome DevTools) to find where time goes.
	const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
	// BENCH_SERVER_MONITOR=1: the server notes its own event-loop holds and GC pauses and prints them on SIGUSR2
	// (server-monitor.mjs; bench:scale signals it after each phase).
	const monitor = process.env.BENCH_SERVER_MONITOR
		? ['--import', new URL('./server-monitor.mjs', import.meta.url).href]
		: [];
	// BENCH_NODE_ARGS: more flags for the server's node (e.g. --trace-gc).
	const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
	// BENCH_SERVER_CWD=<checkout>: run that checkout's build instead (a "before" figure from main on the same data).
	const child = spawn(process.execPath, [...profile, ...monitor, ...extra, 'src/cli/start.js'], {
		cwd: process.env.BENCH_SERVER_CWD || undefined,
		env: {
			...process.env,
			PORT: String(port),
			DATABASE_URL: dbPath,
			MINKA_SECRET: SECRET,
			ORIGIN: origin,
			NODE_ENV: 'production',
			...env
		},
		stdio: ['ignore', process.env.BENCH_NODE_ARGS ? 'inherit' : 'ignore', 'inherit']
	});
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			const r = await fetch(`http://127.0.0.1:${port}/setup`);
			await r.arrayBuffer();
			break;
		} catch {
			if (Date.now() > deadline) throw new Error('server did not start');
			await new Promise((r) => setTimeout(r, 200));
		}
	}
	return {
		port,
		origin,
		child,
		stop: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
