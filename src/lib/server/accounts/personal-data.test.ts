import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { ballots, municipalities, persons, rollEntries, users, zones } from '../db/schema/index';
import { createAccount, logIn } from './accounts';
import { hashPassword } from '../auth/password';
import { deleteMyAccount, myData } from './personal-data';
import { seedVotedRound } from '../../../../tests/support/results-seed';
import type { Actor } from '../platform/policy';

let db: Db;
let actor: Actor;
let municipalityId: number;
let roundId: number;

beforeAll(async () => {
	process.env.MINKA_SECRET = 'test';
	db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-pd-')), 't.db'));
	const passwordHash = await hashPassword('clave-segura-1');
	const base = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'p',
				ubigeo: '080104',
				name: 'P',
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
			fullName: 'Lucía Quispe Tito',
			dni: '70003837',
			birthDate: '1990-02-03',
			email: 'lucia@example.pe',
			passwordHash,
			locale: 'qu'
		});
		tx.update(persons)
			.set({ phone: '987654321', zoneId: z.id, verifiedAt: 1 })
			.where(eq(persons.id, acc.person.id))
			.run();
		return { m, z, acc };
	});
	municipalityId = base.m.id;
	actor = { userId: base.acc.user.id, personId: base.acc.person.id, municipalityId, roles: new Set(), verified: true };
	const { round } = seedVotedRound(db, { municipalityId, zoneId: base.z.id, authorPersonId: base.acc.person.id });
	roundId = round.id;
	// She is on the round's roll as having voted (the roll names a DNI HMAC, never a ballot).
	const dni = db.select().from(persons).where(eq(persons.id, base.acc.person.id)).get()!.dniHmac!;
	db.insert(rollEntries).values({ roundId, dniHmac: dni, channel: 'web', day: '2027-05-02' }).run();
});

describe('personal data (Ley 29733)', () => {
	it('lists what is kept, including that she voted, never what she voted', () => {
		const data = myData(db, actor);
		expect(data.person).toMatchObject({ fullName: 'Lucía Quispe Tito', phone: '987654321', zone: 'Larapa' });
		expect(data.votedIn).toEqual([{ roundId, fiscalYear: 2027, title: 'Presupuesto participativo 2027' }]);
		expect(JSON.stringify(data)).not.toMatch(/approve|choices|70003837/);
	});

	it('refuses deletion with a wrong password and changes nothing', async () => {
		await expect(deleteMyAccount(db, actor, 'nope')).rejects.toThrowError('password.wrongCurrent');
		expect(db.select().from(persons).where(eq(persons.id, actor.personId)).get()!.fullName).toBe('Lucía Quispe Tito');
	});

	it('erases personal data, keeps the counted ballot anonymous, and the login stops working', async () => {
		const counted = () =>
			db
				.select()
				.from(ballots)
				.where(and(eq(ballots.roundId, roundId), eq(ballots.status, 'counted')))
				.all().length;
		const before = counted();
		const rollBefore = db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all();
		await deleteMyAccount(db, actor, 'clave-segura-1');
		const p = db.select().from(persons).where(eq(persons.id, actor.personId)).get()!;
		expect(p).toMatchObject({
			fullName: '—',
			dniHmac: null,
			phone: null,
			email: null,
			birthDate: null,
			verifiedAt: null
		});
		expect(db.select().from(users).where(eq(users.id, actor.userId)).get()!.disabledAt).not.toBeNull();
		// Her ballot still counts; the roll keeps the DNI HMAC, so signing up again cannot add a second one.
		expect(counted()).toBe(before);
		expect(db.select().from(rollEntries).where(eq(rollEntries.roundId, roundId)).all()).toEqual(rollBefore);
		await expect(logIn(db, municipalityId, '70003837', 'clave-segura-1', '127.0.0.1')).rejects.toThrowError(
			'login.invalid'
		);
	});
});
