import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, proposals, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import {
	computeResults,
	proposalsCsv,
	proposalsJson,
	publishResults,
	publishedInput,
	publishedResult,
	resultsCsv
} from './results';
import { parsePb, runRule } from '../../domain/tally/index';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import type { Actor } from '../platform/policy';

let db: Db;
let official: Actor;
let seeded: ReturnType<typeof seedVotedRound>;
let municipalityId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-results-')), 't.db'));
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'r',
				ubigeo: '080104',
				name: 'R',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get();
		const z = tx
			.insert(zones)
			.values({ municipalityId: m.id, code: 'Z1', name: 'Larapa', createdAt: 0 })
			.returning()
			.get();
		const acc = createAccount(tx, m.id, {
			fullName: 'Edwin Ccorimanya',
			dni: '70000137',
			birthDate: '1980-01-01',
			email: 'edwin@example.pe',
			passwordHash: 'x',
			locale: 'es'
		});
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	official = {
		userId: base.acc.user.id,
		personId: base.acc.person.id,
		municipalityId,
		roles: new Set(['official']),
		verified: true
	};
	seeded = seedVotedRound(db, {
		municipalityId,
		zoneId: base.z.id,
		authorPersonId: base.acc.person.id,
		// five voters a budget: k = 1 so the files hold the ballots this test recounts
		rules: { privateBelow: 1 }
	});
});

describe('results', () => {
	it('refuses to compute while voting is open', () => {
		expect(() => computeResults(db, official, municipalityId, seeded.round.id)).toThrowError('results.votingNotClosed');
	});

	it('computes each budget from its own sections, greedy with lower-cost ties', () => {
		closeVoting(db, seeded.round.id);
		const s = computeResults(db, official, municipalityId, seeded.round.id);
		expect(s.version).toBe(1);
		const [wide, zone] = s.parsed.budgets;
		expect(wide.budgetZoneId).toBeNull();
		// Zone budget S/ 60 000: water (3 votes, 30k) then road & park tie at 2 votes → park first (cheaper, 20k); road no longer fits.
		expect(zone.rows.filter((r) => r.selected).map((r) => r.proposalId)).toEqual([seeded.ids.water, seeded.ids.park]);
		expect(zone.voters).toBe(5);
		expect(zone.unspentCents).toBe(10_000_00);
		// Wide budget S/ 40 000: school 3 votes (35k), health 3 votes (10k) → tie → health (cheaper) first, then school does not fit.
		expect(wide.rows.filter((r) => r.selected).map((r) => r.proposalId)).toEqual([seeded.ids.health]);
	});

	it('recomputing the same input returns the same snapshot; the .pb recounts to the published winners', () => {
		const again = computeResults(db, official, municipalityId, seeded.round.id);
		expect(again.version).toBe(1);
		publishResults(db, official, municipalityId, seeded.round.id, 1);
		const pub = publishedResult(db, municipalityId, seeded.round.id)!;
		for (const b of pub.snapshot.parsed.budgets) {
			const input = publishedInput(db, municipalityId, seeded.round.id, b.fileName)!;
			const recount = runRule(parsePb(input.pb), { rule: 'greedy', ties: 'cost' });
			expect(recount.selected).toEqual(b.rows.filter((r) => r.selected).map((r) => String(r.seq)));
		}
		expect(db.select().from(proposals).where(eq(proposals.id, seeded.ids.water)).get()!.status).toBe('selected');
		expect(db.select().from(proposals).where(eq(proposals.id, seeded.ids.road)).get()!.status).toBe('reserve');
	});

	it('a changed input makes a new, visible version instead of overwriting', () => {
		db.update(proposals).set({ adjustedCostCents: 19_000_00 }).where(eq(proposals.id, seeded.ids.road)).run();
		const v2 = computeResults(db, official, municipalityId, seeded.round.id);
		expect(v2.version).toBe(2);
		expect(publishedResult(db, municipalityId, seeded.round.id)!.snapshot.version).toBe(1);
	});

	it('proposals.json holds the same records as proposals.csv', () => {
		const csv = proposalsCsv(db, municipalityId, seeded.round.id).trim().split('\n');
		const json = JSON.parse(proposalsJson(db, { id: municipalityId, ubigeo: '080101', name: 'x' }, seeded.round.id));
		expect(json.licence).toBe('CC BY 4.0');
		expect(json.columns).toEqual(csv[0].split(','));
		expect(json.proposals).toHaveLength(csv.length - 1);
		expect(json.proposals.map((p: { proposal: number }) => String(p.proposal))).toEqual(
			csv.slice(1).map((l) => l.split(',')[0])
		);
		expect(Object.keys(json.proposals[0])).toEqual(json.columns);
	});

	it('exports carry no DNI, e-mail or phone number', () => {
		const pub = publishedResult(db, municipalityId, seeded.round.id)!;
		const texts = [
			resultsCsv(pub.snapshot),
			proposalsCsv(db, municipalityId, seeded.round.id),
			proposalsJson(db, { id: municipalityId, ubigeo: '080101', name: 'x' }, seeded.round.id),
			JSON.stringify(pub.snapshot.parsed),
			...pub.snapshot.parsed.budgets.map((b) => publishedInput(db, municipalityId, seeded.round.id, b.fileName)!.pb)
		];
		for (const text of texts) {
			expect(text).not.toMatch(/\b\d{8}\b/);
			expect(text).not.toMatch(/[^\s@]+@[^\s@]+\.[a-z]{2,}/i);
			expect(text).not.toMatch(/\b9\d{8}\b/);
			expect(text).not.toContain('Ccorimanya');
		}
	});
});
