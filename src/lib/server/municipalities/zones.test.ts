import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities } from '../db/schema/index';
import { auditEventsOfType } from '../platform/audit';
import { parseCensus } from '../residents';
import { createZone, listActiveZones, listZones, setZoneRetired, zonesOffered } from './index';
import type { Actor } from '../platform/policy';

let db: Db;
let admin: Actor;
let mId: number;

beforeAll(() => {
	process.env.MINKA_SECRET = 'test';
	const dir = mkdtempSync(join(tmpdir(), 'minka-zones-'));
	db = openDatabase(join(dir, 't.db'));
	mId = writeTx(db, (tx) =>
		tx
			.insert(municipalities)
			.values({
				slug: 'z',
				ubigeo: '080198',
				name: 'Z',
				kind: 'distrital',
				department: 'Cusco',
				province: 'Cusco',
				createdAt: 0
			})
			.returning()
			.get()
	).id;
	admin = { userId: 1, personId: 1, municipalityId: mId, roles: new Set(['admin']), verified: true };
});

describe('zone retirement', () => {
	it('keeps a retired zone in history but no longer offers it; it can be offered again', () => {
		const a = createZone(db, admin, mId, { code: 'A', name: 'Alto' });
		const b = createZone(db, admin, mId, { code: 'B', name: 'Bajo' });
		setZoneRetired(db, admin, mId, b.id, true);
		expect(listZones(db, mId).map((z) => z.code)).toEqual(['A', 'B']); // history keeps it
		expect(listActiveZones(db, mId).map((z) => z.code)).toEqual(['A']);
		// A form for a record that already uses it still shows it; a new one does not.
		expect(zonesOffered(db, mId, [b.id]).map((z) => z.code)).toEqual(['A', 'B']);
		expect(zonesOffered(db, mId, [null]).map((z) => z.code)).toEqual(['A']);
		// A census row naming it is refused like an unknown zone.
		const rows = parseCensus(db, mId, 'dni,fecha_nacimiento,zona\n40123456,1980-01-01,B\n40123457,1980-01-01,A\n');
		expect(rows.map((r) => r.error)).toEqual(['census.unknownZone', null]);
		expect(auditEventsOfType(db, mId, 'zone.retired')).toHaveLength(1);
		setZoneRetired(db, admin, mId, b.id, false);
		expect(listActiveZones(db, mId).map((z) => z.code)).toEqual(['A', 'B']);
		expect(a.retiredAt).toBeNull();
	});
	it('refuses another municipality, a bad id and a non-admin', () => {
		expect(() => setZoneRetired(db, admin, mId, 99999, true)).toThrow('notFound');
		expect(() => setZoneRetired(db, admin, mId, NaN, true)).toThrow('notFound');
		expect(() => setZoneRetired(db, { ...admin, roles: new Set(['official']) }, mId, 1, true)).toThrow('forbidden');
	});
});
