/**
 * The decided terms of ../shared/glossary.md ("Decided terms and spellings"), enforced on messages/*.json.
 * Two lists: words banned everywhere in Quechua (misspellings, Spanish left in, one concept's losing variants) and
 * sense-bound terms, correct only where the key's Spanish source carries that sense. Plus the numeral rules.
 * When this fails on a key someone just added, fix the Quechua, not the list.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';

type Tree = { [k: string]: string | Tree };
const leaves = (o: Tree, p = ''): [string, string][] =>
	Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? leaves(v, `${p}${k}.`) : [[`${p}${k}`, v]]));
const read = (l: string) => leaves(JSON.parse(readFileSync(`messages/${l}.json`, 'utf8')) as Tree);
const qu = read('qu');
const es = new Map(read('es'));
/** Spanish source of a Quechua key (qu pins plurals to `_other`; es may only have `_one` for some). */
const source = (key: string) => es.get(key) ?? es.get(key.replace(/_other$/, '_one')) ?? '';

/** Banned in every Quechua string: [pattern, what to write instead]. */
export const BANNED: [RegExp, string][] = [
	[/\btikr/iu, "t'ikray"],
	[/\bchiqap/iu, 'chiqaq'],
	[/\bwichq(?!')/iu, "wichq'ay"],
	[/\bwisq'/iu, "wichq'ay (one spelling for close)"],
	[/\bsiqi/iu, "siq'i"],
	[/\bqari/iu, 'qhari'],
	[/\bqipa/iu, 'qhipa-'],
	[/\braphi/iu, 'rapi'],
	[/hayk'appas/iu, "hayk'aqpas"],
	[/\bnisyu/iu, 'ancha'],
	[/\bkayhina/iu, 'kay hina'],
	[/\bmuyu/iu, 'proceso (not muyu, the calque of "round")'],
	[/\bfase/iu, 'pacha'],
	[/\bvecin[oa]/iu, 'llaqtamasi'],
	[/(?<!\()\bcédula/iu, "akllana p'anqa, with (cédula) in brackets"],
	[/qullqiyuq/iu, 'qullqichasqa'],
	[/\btukuy\b/iu, 'Llapan (total)'],
	[/agentes\s+participant/iu, 'agente participantekuna'],
	[/(?<!\()\bfuncionario/iu, "llamk'aq"],
	[/\bapachi/iu, 'kachay (presentar = send)'],
	[/traspaso/iu, "kamachiyta hap'ichiy (transferencia de gestión)"],
	[/waqaychasqa\s+lista/iu, 'suyachkaq (en reserva): waqaychay is "save"'],
	[/\breserva\b(?!\))/iu, 'suyachkaq, (reserva) only in brackets'],
	[/\bpuntaje/iu, 'puntokuna'],
	[/^participación$/iu, 'a Quechua phrase'],
	[/necesit|vendenchu|entiendek|liyik|pasarqan|\bazar|desempate|tiempollan|participay/iu, 'a Quechua verb'],
	[/method of equal shares/iu, 'no English'],
	[/chiriya/iu, 'takyasqa (fixed), not "made cold"'],
	[/llasachisqa/iu, 'a plain wording (ordenanzap nisqanman hina)'],
	[/Yupasqakunata yupay/iu, 'Akllaykunata yupay ("count the counted")'],
	[/akllasqanmi akllarqan/iu, 'akllasqanmi tukuchirqan ("the choice chose")'],
	[/¿/u, 'Quechua writes only the closing ?']
];

/** Sense-bound: the Quechua word is right only where the Spanish source says this. */
export const SENSE_BOUND: { word: RegExp; sense: RegExp; meaning: string }[] = [
	{ word: /kicha/iu, sense: /\babr|abiert|apertura|recarg/iu, meaning: 'kichay = open (create is kamay)' },
	{ word: /kutichi/iu, sense: /respond|respuest/iu, meaning: 'kutichiy = answer (reset is musuqmanta churay)' },
	{
		word: /kamachiq/iu,
		sense: /administr|autoridad|Consejo de Coordinación Local/iu,
		meaning: 'kamachiq = administrator (or the authorities of the CCL gloss) only'
	},
	{ word: /takyachi/iu, sense: /confirm/iu, meaning: 'takyachiy = confirm' }
];
/** The other direction: where the Spanish says this, the Quechua must use the decided word. */
export const REQUIRED: { sense: RegExp; word: RegExp; meaning: string }[] = [
	{ sense: /\bpublic(ar|ad[oa]s?|a|an|ó|aci[oó]n)\b/iu, word: /rikuchi/iu, meaning: 'publicar = rikuchiy' },
	{ sense: /prioriza/iu, word: /ñawpaqman chura/iu, meaning: 'priorizado = ñawpaqman churasqa' },
	{ sense: /descripci[oó]n/iu, word: /sut'incha/iu, meaning: "descripción = sut'inchay" },
	{ sense: /historial/iu, word: /ñawpaq ruwasqakuna/iu, meaning: 'historial = ñawpaq ruwasqakuna' },
	{ sense: /\bfinanciad/iu, word: /qullqichasqa|qullqichakun/iu, meaning: 'financiado = qullqichasqa' },
	{ sense: /\bp[aá]gina\b(?! del PDF)/iu, word: /\brapi/iu, meaning: "página web = rapi (p'anqa is paper)" }
];

/** Words that collide with another decided term where the Spanish says this. */
export const WRONG_SENSE: { word: RegExp; sense: RegExp; meaning: string }[] = [
	{ word: /chiqaqcha/iu, sense: /confirm/iu, meaning: 'confirmar = takyachiy (chiqaqchay = verify)' },
	{
		word: /willa/iu,
		sense: /descripci[oó]n|historial/iu,
		meaning: "descripción = sut'inchay, historial = ñawpaq ruwasqakuna"
	},
	{ word: /^maypi$/iu, sense: /^(puesto|posición)$/iu, meaning: 'Ñiqin (rank), not Maypi ("where?")' },
	{ word: /\bakllasqa/iu, sense: /prioriza/iu, meaning: 'priorizado = ñawpaqman churasqa (akllasqa = what was chosen)' }
];

/** Placeholders that carry words, not a number; every other placeholder is taken as a number. */
const TEXTUAL =
	'name|date|time|code|phase|year|project|line|field|zone|hash|lang|kind|sha|title|start|end|municipality|label|criterion|ubigeo|token|termStart|termEnd|status|station|source|role|revoked|granted|place|milestone|message|link|id|file|detail|channel|actor|by|for|previous|round|section|number|lines|parts|errors|expected|found|imported|updated';
/** A number (digits, or a numeric placeholder), then optionally one adjective, then a word in -kuna. */
const NUMERAL_PLURAL = new RegExp(
	`(?:(?<![\\d.])\\d+(?:[.,]\\d+)*|\\{\\{(?!(?:${TEXTUAL})\\}\\})\\w+\\}\\})\\s+(?:(?:allin|akllasqa|chiqaqchasqa|qillqasqa|qullqichasqa|musuq|hatun|huch'uy|huk)\\s+)?(?:agente\\s+)?[^\\s,.;:()«»]*kuna`,
	'iu'
);
/** A suffix glued to a placeholder, a digit or an acronym: DNIyki, {{max}}kama, 3manta (write DNI-yki…). */
const GLUED_SUFFIX = /\}\}[a-zñ]|\d[a-zñ]|\b[A-ZÑ]{2,}[a-zñ]/u;

const failures = (check: (key: string, value: string) => string | null, entries = qu) =>
	entries.flatMap(([k, v]) => {
		const why = check(k, v);
		return why ? [`${k}: ${why} «${v.slice(0, 90)}»`] : [];
	});

describe('decided Quechua terms (glossary)', () => {
	it('no banned word or spelling', () => {
		expect(
			failures((_, v) => BANNED.filter(([re]) => re.test(v)).map(([re, use]) => `${re} → ${use}`)[0] ?? null)
		).toEqual([]);
	});
	it('sense-bound words only in their own sense', () => {
		expect(
			failures((k, v) => {
				const bad = SENSE_BOUND.find((s) => s.word.test(v) && !s.sense.test(source(k)));
				return bad ? bad.meaning : null;
			})
		).toEqual([]);
	});
	it('no word where it collides with another decided term', () => {
		expect(
			failures((k, v) => {
				const bad = WRONG_SENSE.find((s) => s.word.test(v) && s.sense.test(source(k)));
				return bad ? bad.meaning : null;
			})
		).toEqual([]);
	});
	it('the decided word where the Spanish says the concept', () => {
		expect(
			failures((k, v) => {
				const miss = REQUIRED.find((r) => r.sense.test(source(k)) && !r.word.test(v));
				return miss ? miss.meaning : null;
			})
		).toEqual([]);
	});
	it('no plural in -kuna after a numeral or a numeric placeholder', () => {
		expect(failures((_, v) => (NUMERAL_PLURAL.test(v) ? `"${v.match(NUMERAL_PLURAL)![0]}"` : null))).toEqual([]);
	});
	it('a hyphen before suffixes after digits, money, acronyms and placeholders', () => {
		expect(failures((_, v) => (GLUED_SUFFIX.test(v) ? `"${v.match(GLUED_SUFFIX)![0]}"` : null))).toEqual([]);
	});
});

describe('decided Spanish terms', () => {
	it('"proceso", never "ronda"; "transferencia de gestión", never "traspaso"', () => {
		const bad = [...es].filter(([, v]) => /\brondas?\b|traspas/iu.test(v)).map(([k, v]) => `${k}: ${v}`);
		expect(bad).toEqual([]);
	});
});

describe('the checks themselves notice', () => {
	it('numeral plural and glued suffix', () => {
		expect(NUMERAL_PLURAL.test('{{n}} llaqtamasikuna chiqaqchasqa')).toBe(true);
		expect(NUMERAL_PLURAL.test('8 sananpakuna')).toBe(true);
		expect(NUMERAL_PLURAL.test('{{accepted}} allin akllaykuna')).toBe(true);
		expect(NUMERAL_PLURAL.test('{{n}} llaqtamasi chiqaqchasqa')).toBe(false);
		expect(NUMERAL_PLURAL.test('2. Prometekuykuna')).toBe(false);
		expect(NUMERAL_PLURAL.test('{{name}} tallerkunapi')).toBe(false);
		expect(NUMERAL_PLURAL.test('{{others}} huk llaqtamasikunapas')).toBe(true);
		expect(NUMERAL_PLURAL.test('{{registered}} qillqasqa agente participantekunamanta')).toBe(true);
		expect(GLUED_SUFFIX.test('DNIyki')).toBe(true);
		expect(GLUED_SUFFIX.test('{{max}}kama')).toBe(true);
		expect(GLUED_SUFFIX.test('3manta')).toBe(true);
		expect(GLUED_SUFFIX.test('DNI-yki, {{max}}-kama, 3-manta, S/ 1,234.50-manta')).toBe(false);
	});
	it('a sense-bound word out of its sense', () => {
		const kichay = SENSE_BOUND[0];
		expect(kichay.word.test('Cuentata kichay') && !kichay.sense.test('Crear cuenta')).toBe(true);
		expect(kichay.sense.test('Votación abierta')).toBe(true);
	});
});
