import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Peru's official list of provinces and districts (INEI ubigeo), shipped in ./data with its attribution
 * (jmcastagnetto/ubigeo-peru-aumentado, MIT). A provincial municipality takes its province's code (xxyy00).
 */
export interface UbigeoPlace {
	ubigeo: string;
	kind: 'provincial' | 'distrital';
	department: string;
	province: string;
	district: string | null;
	/** A readable default name, e.g. "Municipalidad Distrital de San Jerónimo". */
	suggestedName: string;
	povertyPct: number | null;
	latitude: number | null;
	longitude: number | null;
}

const DATA_DIR = resolve(process.env.MINKA_ROOT ?? process.cwd(), 'src/lib/server/municipalities/ubigeo/data');

const SMALL_WORDS = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'el']);
export function titleCase(upper: string): string {
	return upper
		.toLowerCase()
		.split(' ')
		.map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
		.join(' ');
}

function readCsv(name: string): Record<string, string>[] {
	const text = readFileSync(resolve(DATA_DIR, name), 'utf8');
	return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

function num(v: string | undefined): number | null {
	const n = Number(v);
	return v && Number.isFinite(n) ? n : null;
}

let places: UbigeoPlace[] | undefined;

export function allPlaces(): UbigeoPlace[] {
	if (places) return places;
	const provinces = readCsv('ubigeo_provincia.csv').map((r): UbigeoPlace => ({
		ubigeo: r.inei,
		kind: 'provincial',
		department: titleCase(r.departamento),
		province: titleCase(r.provincia),
		district: null,
		// The capital keeps its accents; the province usually carries the capital's name.
		suggestedName: `Municipalidad Provincial de ${titleCase(r.provincia)}`,
		povertyPct: num(r.pct_pobreza_total),
		latitude: num(r.latitude),
		longitude: num(r.longitude)
	}));
	const districts = readCsv('ubigeo_distrito.csv').map((r): UbigeoPlace => {
		const upper = r.distrito;
		const capital = (r.capital ?? '').replace(/\s+/g, ' ').trim();
		// Prefer the accented capital's spelling when it is the same name as the district.
		const plain = (s: string) =>
			s
				.normalize('NFD')
				.replace(/[\u0300-\u036f]/g, '')
				.toUpperCase();
		const name = capital && plain(capital) === upper ? capital : titleCase(upper);
		return {
			ubigeo: r.inei,
			kind: 'distrital',
			department: titleCase(r.departamento),
			province: titleCase(r.provincia),
			district: name,
			suggestedName: `Municipalidad Distrital de ${name}`,
			povertyPct: num(r.pct_pobreza_total),
			latitude: num(r.latitude),
			longitude: num(r.longitude)
		};
	});
	return (places = [...provinces, ...districts]);
}

export function findPlace(ubigeo: string): UbigeoPlace | undefined {
	return allPlaces().find((p) => p.ubigeo === ubigeo);
}

/** Case- and accent-insensitive search over district, province and department names, or a ubigeo prefix. */
export function searchPlaces(query: string, limit = 30): UbigeoPlace[] {
	const fold = (s: string) =>
		s
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase();
	const q = fold(query.trim());
	if (q.length < 2) return [];
	if (/^\d+$/.test(q))
		return allPlaces()
			.filter((p) => p.ubigeo.startsWith(q))
			.slice(0, limit);
	return allPlaces()
		.filter((p) => fold(`${p.district ?? ''} ${p.province} ${p.department}`).includes(q))
		.sort(
			(a, b) =>
				Number(!fold(a.district ?? a.province).startsWith(q)) - Number(!fold(b.district ?? b.province).startsWith(q))
		)
		.slice(0, limit);
}
