import { eq } from 'drizzle-orm';
import { dniCheckCharacters } from '../../domain/dni';
import { writeTx, type Db } from '../db/client';
import { municipalities, persons, users, zones, type Role } from '../db/schema/index';
import { appendAudit } from '../platform/audit';
import { createAccount } from '../accounts';
import { putCensusEntry } from '../residents';
import { grantRoleInTx } from '../roles';
import { dniHmac } from '../platform/secret';
import { findPlace } from '../municipalities';
import { hashPassword } from '../auth/password';

export const DEMO_PASSWORD = 'minka-demo-2026';

export interface DemoAccount {
	label: string;
	fullName: string;
	dni: string;
	roles: Role[];
}

const ZONES: [string, string][] = [
	['LAR', 'Larapa'],
	['SRO', 'Santa Rosa'],
	['HUA', 'Centro Poblado Huaccoto'],
	['PIC', 'Picol Orccompucyo'],
	['SUR', 'Suriwaylla']
];

const STAFF: [string, string, Role[]][] = [
	['Administradora', 'Rosa Quispe Huamán', ['admin']],
	['Funcionario de planeamiento', 'Edwin Ccorimanya Loayza', ['official']],
	['Equipo técnico', 'Ing. Milagros Alvarez Puma', ['technical']],
	['Secretaría del CCL', 'Julia Huallpa Condori', ['council_secretary']],
	['Comité de vigilancia', 'Néstor Mamani Choque', ['auditor']]
];

const RESIDENT_NAMES = [
	'Juan Mamani Ccori',
	'Lucía Quispe Tito',
	'Wilber Huamán Ccahuana',
	'Yeni Condori Apaza',
	'Teófilo Cusi Huaman',
	'María Ccallo Sutta',
	'Percy Layme Quispe',
	'Nilda Puma Choquehuanca',
	'Hilario Ttito Mamani',
	'Rocío Alanoca Vargas',
	'Fortunata Huarca Ccana',
	'Alipio Chura Yupanqui',
	'Marleni Saico Huillca',
	'Saturnino Kjuro Auccapuma',
	'Elena Chambi Pari',
	'Rubén Ccama Huisa',
	'Sonia Huayhua Quispe',
	'Feliciano Achahui Tupa',
	'Gladys Taco Mayta',
	'Dionicio Anco Larico'
];

/** DNIs for the demo: 8 digits from a fixed base, with their real check digit, so people can log in. */
function demoDni(i: number): { digits: string; full: string } {
	const digits = String(70_000_100 + i * 37);
	return { digits, full: `${digits}-${dniCheckCharacters(digits)[0]}` };
}

/**
 * The demo municipality: San Jerónimo (Cusco, ubigeo 080104), its sectors, officials with each role, a census and
 * verified residents. Later capabilities add rounds, proposals, ballots and council records on top.
 */
export async function seedFoundationDemo(db: Db) {
	const place = findPlace('080104')!;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const accounts: DemoAccount[] = [];
	const municipality = writeTx(db, (tx) => {
		const m = tx
			.insert(municipalities)
			.values({
				slug: 'san-jeronimo',
				ubigeo: place.ubigeo,
				name: place.suggestedName,
				kind: 'distrital',
				department: place.department,
				province: place.province,
				defaultLocale: 'es',
				createdAt: Date.now()
			})
			.returning()
			.get();
		appendAudit(tx, {
			municipalityId: m.id,
			actorUserId: null,
			type: 'municipality.created',
			payload: { ubigeo: m.ubigeo, name: m.name, kind: m.kind, demo: true }
		});
		const zoneRows = ZONES.map(([code, name]) => {
			const z = tx.insert(zones).values({ municipalityId: m.id, code, name, createdAt: Date.now() }).returning().get();
			appendAudit(tx, {
				municipalityId: m.id,
				actorUserId: null,
				type: 'zone.created',
				payload: { zoneId: z.id, code, name }
			});
			return z;
		});
		let i = 0;
		for (const [label, fullName, roles] of STAFF) {
			const dni = demoDni(i++);
			const { person, user } = createAccount(tx, m.id, {
				fullName,
				dni: dni.digits,
				birthDate: '1982-04-12',
				email: null,
				passwordHash,
				locale: 'es'
			});
			tx.update(persons)
				.set({ verifiedAt: Date.now(), verifiedMethod: 'in_person', zoneId: zoneRows[0].id })
				.where(eq(persons.id, person.id))
				.run();
			for (const role of roles) grantRoleInTx(tx, null, m.id, user.id, role);
			// The demo's admin is also the installation's (as the first-run admin would be): they may add municipalities.
			if (roles.includes('admin'))
				tx.update(users).set({ installationAdminAt: Date.now() }).where(eq(users.id, user.id)).run();
			accounts.push({ label, fullName, dni: dni.full, roles });
		}
		RESIDENT_NAMES.forEach((fullName, k) => {
			const dni = demoDni(100 + k);
			const zone = zoneRows[k % zoneRows.length];
			const birthDate = `${1950 + ((k * 7) % 55)}-0${1 + (k % 9)}-1${k % 9}`;
			putCensusEntry(tx, m.id, { dniHmac: dniHmac(dni.digits), birthDate, zoneId: zone.id, importedAt: Date.now() });
			const quechua = k % 3 === 0;
			const { person } = createAccount(tx, m.id, {
				fullName,
				dni: dni.digits,
				birthDate,
				email: null,
				passwordHash,
				locale: quechua ? 'qu' : 'es'
			});
			tx.update(persons)
				.set({
					verifiedAt: Date.now(),
					verifiedMethod: 'census',
					zoneId: zone.id,
					gender: k % 2 ? 'm' : 'f',
					language: quechua ? 'qu' : 'es'
				})
				.where(eq(persons.id, person.id))
				.run();
			if (k < 3) accounts.push({ label: `Vecino/a verificado/a (${zone.name})`, fullName, dni: dni.full, roles: [] });
		});
		// Census rows for people who have not signed up yet: sign up with one of these to be verified at once.
		for (let k = 0; k < 5; k++) {
			const dni = demoDni(500 + k);
			putCensusEntry(tx, m.id, {
				dniHmac: dniHmac(dni.digits),
				birthDate: `1995-06-2${k}`,
				zoneId: zoneRows[k % zoneRows.length].id,
				importedAt: Date.now()
			});
			if (k === 0)
				accounts.push({
					label: 'En el padrón, sin cuenta (nacido/a 1995-06-20)',
					fullName: '—',
					dni: dni.full,
					roles: []
				});
		}
		appendAudit(tx, {
			municipalityId: m.id,
			actorUserId: null,
			type: 'census.imported',
			payload: {
				rows: RESIDENT_NAMES.length + 5,
				imported: RESIDENT_NAMES.length + 5,
				updated: 0,
				verified: RESIDENT_NAMES.length,
				rejectedLines: [],
				demo: true
			}
		});
		return m;
	});
	return { municipality, accounts };
}
