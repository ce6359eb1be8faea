import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, participantAgents, persons, zones } from '../db/schema/index';
import { createAccount } from '../accounts';
import { agentDnis } from '../acta';
import { dniHmac, resetSecretCacheForTests } from '../platform/secret';
import { openAgentDni, seal, sealAgentDni, unseal } from '../platform/sealed';
import type { Actor } from '../platform/policy';
import { seedVotedRound } from '../../../../tests/support/results-seed';
import { finishAgentDniSealing, registerAgent } from './agents';

// Security review L6: agents' DNIs are kept as an HMAC plus an AES-GCM ciphertext under a key derived from the server
// secret, opened only for the acta's signing copy; migration 0024's data step seals the ones recorded in clear.
const LEGACY = '41234567';
const FRESH = '42345678';

let db: Db;
let file: string;
let official: Actor;
let municipalityId: number;
let roundId: number;

/** The database as it lies on disk (main file and write-ahead log). */
function bytesOnDisk(): string {
	const parts = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
	return parts.join('\n');
}

beforeAll(() => {
	process.env.MINKA_SECRET = 'agent-dni-test';
	resetSecretCacheForTests();
	file = join(mkdtempSync(join(tmpdir(), 'minka-agent-dni-')), 't.db');
	db = openDatabase(file);
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'd',
				ubigeo: '080130',
				name: 'Distrito',
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
			email: null,
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
	roundId = seedVotedRound(db, { municipalityId, zoneId: base.z.id, authorPersonId: base.acc.person.id }).round.id;
});

describe("agents' DNIs (L6)", () => {
	it('a DNI recorded in clear before migration 0024 is sealed at start-up and its bytes leave the file', () => {
		const p = db.insert(persons).values({ municipalityId, fullName: 'Rosa Quispe', createdAt: 0 }).returning().get();
		// As an existing installation has it: the raw DNI in the old column (now legacyDni), nothing sealed.
		db.insert(participantAgents)
			.values({
				municipalityId,
				roundId,
				personId: p.id,
				organisation: 'Club de Madres',
				legacyDni: LEGACY,
				hasVote: true,
				registeredAt: 0
			})
			.run();
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		// The search below does find a clear DNI when there is one.
		expect(bytesOnDisk()).toContain(LEGACY);

		expect(finishAgentDniSealing(db)).toBe(1);
		const row = db.select().from(participantAgents).where(eq(participantAgents.personId, p.id)).get()!;
		expect(row.legacyDni).toBeNull();
		expect(row.dniHmac).toBe(dniHmac(LEGACY));
		expect(row.dniSealed).toMatch(/^v1\./);
		expect(openAgentDni(row.dniSealed!)).toBe(LEGACY);
		expect(bytesOnDisk()).not.toContain(LEGACY);
		// Once done, nothing more to do.
		expect(finishAgentDniSealing(db)).toBe(0);
	});

	it('a newly registered agent is stored with HMAC and ciphertext only; no clear DNI anywhere in the file', () => {
		registerAgent(
			db,
			official,
			municipalityId,
			roundId,
			{
				fullName: 'Juan Huamán',
				dni: FRESH,
				organisation: 'Junta Vecinal',
				hasVote: true,
				gender: null,
				language: null
			},
			null
		);
		const row = db
			.select()
			.from(participantAgents)
			.where(eq(participantAgents.dniHmac, dniHmac(FRESH)))
			.get()!;
		expect(row.legacyDni).toBeNull();
		expect(row.dniSealed).not.toContain(FRESH);
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const bytes = bytesOnDisk();
		for (const dni of [LEGACY, FRESH]) expect(bytes).not.toContain(dni);
	});

	it('the signing copy of the acta gets them back, and only with the right secret', () => {
		const dnis = [...agentDnis(db, official, municipalityId, roundId).values()].sort();
		expect(dnis).toEqual([LEGACY, FRESH]);
		const sealed = sealAgentDni(FRESH).dniSealed;
		// Random IV: the same DNI seals differently each time (the ciphertext says nothing about equality).
		expect(sealAgentDni(FRESH).dniSealed).not.toBe(sealed);
		// A value sealed for another purpose does not open as an agent's DNI.
		expect(() => openAgentDni(seal('other-purpose', FRESH))).toThrow();
		expect(unseal('other-purpose', seal('other-purpose', FRESH))).toBe(FRESH);
		process.env.MINKA_SECRET = 'another-secret';
		resetSecretCacheForTests();
		try {
			expect(() => openAgentDni(sealed)).toThrow();
		} finally {
			process.env.MINKA_SECRET = 'agent-dni-test';
			resetSecretCacheForTests();
		}
	});
});
