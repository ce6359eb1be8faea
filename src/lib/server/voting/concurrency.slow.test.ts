/**
 * Two real processes casting for one voter on one SQLite file at the same instant: exactly one counted ballot.
 * Kept in `npm run test:slow` (spawns two tsx processes and waits for a shared start instant).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/client';
import { ballots, persons } from '../db/schema/index';
import { ballotTag, roundKey } from './keys';
import { seedVotingRound } from '../../../../tests/support/voting-fixture';
import { seedPerson, seedTown } from '../../../../tests/support/voting-people';

process.env.MINKA_SECRET = 'test';

let dir: string;
let db: Db;
let town: ReturnType<typeof seedTown>;
let roundId: number;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'minka-'));
	db = openDatabase(join(dir, 't.db'));
	town = seedTown(db, '080101');
	const official = seedPerson(db, town.municipalityId, { roles: ['official'], zoneId: town.zones[0] });
	roundId = seedVotingRound(db, {
		municipalityId: town.municipalityId,
		authorPersonId: official.personId,
		ballot: { type: 'knapsack' },
		budgets: [
			[town.zones[1], 50_000_00],
			[null, 80_000_00]
		],
		proposals: [
			[town.zones[1], 'Posta', null, 30_000_00],
			[null, 'Puente', 'Chaka', 80_000_00]
		]
	}).roundId;
});

describe('concurrency', () => {
	it('two processes casting for the same voter at the same time leave exactly one counted ballot', async () => {
		const v = seedPerson(db, town.municipalityId, { zoneId: town.zones[1] });
		const file = join(dir, 't.db');
		// Far enough ahead that both children have loaded tsx and opened the file before either casts.
		const startAt = String(Date.now() + 3000);
		const run = () =>
			new Promise<number>((resolve, reject) => {
				const child = spawn(
					process.execPath,
					[
						'--import',
						'tsx',
						'tests/support/cast-worker.ts',
						file,
						JSON.stringify({ ...v.actor, roles: [] }),
						String(roundId),
						'40',
						startAt
					],
					{
						env: { ...process.env, MINKA_SECRET: 'test' },
						stdio: ['ignore', 'pipe', 'inherit']
					}
				);
				let out = '';
				child.stdout.on('data', (d) => (out += d));
				child.on('exit', (c) => (c === 0 ? resolve(Number(out.trim())) : reject(new Error(`worker exit ${c}`))));
			});
		const [a, b] = await Promise.all([run(), run()]);
		expect(a + b).toBe(80);
		// The voter's ballots, found as a replacement finds them: by the tag of her DNI under the round key.
		const dni = db.select().from(persons).where(eq(persons.id, v.personId)).get()!.dniHmac!;
		const tag = ballotTag(roundKey(db, roundId, false)!, dni);
		const mine = db
			.select()
			.from(ballots)
			.where(and(eq(ballots.tag, tag), eq(ballots.roundId, roundId)))
			.all();
		expect(mine).toHaveLength(80);
		expect(mine.filter((x) => x.status === 'counted')).toHaveLength(1);
	}, 60_000);
});
