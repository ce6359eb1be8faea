/**
 * Demo data for issue 3: one round in the voting phase with zone budgets, a registered agent register, ~14
 * proposals (most in Spanish, three in Quechua) of which most are evaluated feasible and on the ballot.
 * Writes straight through the feature modules' tables in one transaction; audit events are appended as for real acts.
 */
import { and, eq } from 'drizzle-orm';
import { writeTx, type Db } from '../db/client';
import {
	participantAgents,
	persons,
	users,
	proposals,
	roundBudgets,
	roundPhases,
	rounds,
	scoringCriteria,
	zones,
	criterionScores
} from '../db/schema/index';
import { DEFAULT_RULES, type Phase } from '../../domain/round-rules';
import { canonicalJson, sha256Hex } from '../../domain/audit-chain';
import { defaultMatrix } from '../../domain/scoring';
import { appendAudit } from '../platform/audit';
import { dniHmac } from '../platform/secret';
import { sealAgentDni } from '../platform/sealed';

export interface SeedRoundsDemoResult {
	roundId: number;
	proposalIds: number[];
	agentIds: number[];
}

type DemoProposal = [
	title: string,
	description: string,
	locale: 'es' | 'qu',
	category: (typeof proposals.$inferInsert)['category'],
	zoneIndex: number | null,
	soles: number,
	beneficiaries: number,
	status: 'feasible' | 'not_feasible' | 'submitted'
];

const PROPOSALS: DemoProposal[] = [
	[
		'Mejoramiento del sistema de agua potable del sector alto',
		'Reemplazo de 2,4 km de tubería y construcción de un reservorio de 40 m³ para que las familias del sector alto tengan agua todo el día.',
		'es',
		'water_sanitation',
		0,
		180_000,
		620,
		'feasible'
	],
	[
		'Pavimentación del jirón principal hacia la plaza',
		'Pavimento rígido y veredas en 320 m del jirón principal, con rampas para personas con discapacidad.',
		'es',
		'roads_transport',
		1,
		150_000,
		1_400,
		'feasible'
	],
	[
		'Techado y equipamiento del comedor de la I.E. N.º 50123',
		'Techo de calamina termoacústica, mesas y cocina mejorada para el comedor escolar que atiende a 280 estudiantes.',
		'es',
		'education',
		0,
		85_000,
		280,
		'feasible'
	],
	[
		'Ampliación de la posta de salud con sala de partos',
		'Construcción de una sala de partos con enfoque intercultural (parto vertical) y casa de espera materna.',
		'es',
		'health',
		null,
		240_000,
		3_200,
		'feasible'
	],
	[
		"Yaku qarpana ñan Ch'aki Pampapaq",
		"Ch'aki Pampa chakrakunapaq 1,8 km yaku qarpana ñanta ruway, cemento canalwan, allpa mikhuykunata aswan puquchinapaq.",
		'qu',
		'productive',
		1,
		120_000,
		350,
		'feasible'
	],
	[
		'Wawakunapaq pukllana pampa',
		'Yachay wasi qayllapi wawakunapaq pukllana pampa, mallkikunawan, tiyanakunawan.',
		'qu',
		'culture_sport',
		0,
		45_000,
		500,
		'feasible'
	],
	[
		'Alumbrado público en el camino al mercado',
		'Instalación de 35 postes con luminarias LED en el camino peatonal al mercado, hoy oscuro y peligroso de noche.',
		'es',
		'security',
		1,
		60_000,
		900,
		'feasible'
	],
	[
		'Segregación de residuos y compostaje comunal',
		'Puntos de acopio diferenciado, una planta pequeña de compostaje y capacitación a 12 juntas vecinales.',
		'es',
		'environment',
		null,
		95_000,
		5_000,
		'feasible'
	],
	[
		'Losa deportiva multiuso con graderías',
		'Losa de concreto con arcos, tableros y graderías en el barrio sur, para campeonatos juveniles.',
		'es',
		'culture_sport',
		1,
		110_000,
		750,
		'feasible'
	],
	[
		'Construcción de un estadio municipal',
		'Estadio con capacidad para 5 000 personas y pista atlética.',
		'es',
		'culture_sport',
		null,
		2_500_000,
		10_000,
		'not_feasible'
	],
	[
		'Mantenimiento de la carretera departamental',
		'Mantenimiento de la vía departamental que cruza el distrito.',
		'es',
		'roads_transport',
		null,
		300_000,
		8_000,
		'not_feasible'
	],
	[
		'Biohuerto familiar y crianza de cuyes',
		'Módulos de biohuerto y galpones de cuyes para 40 familias de madres de la organización del Vaso de Leche.',
		'es',
		'productive',
		0,
		70_000,
		160,
		'feasible'
	],
	[
		'Hampina wasipaq ambulancia',
		'Hampina wasipaq huk ambulanciata rantiy, karu ayllukunamanta unquqkunata apanapaq.',
		'qu',
		'health',
		null,
		200_000,
		4_000,
		'submitted'
	],
	[
		'Señalización y semáforo peatonal frente al colegio',
		'Cruceros peatonales, señales y un semáforo peatonal frente a la institución educativa secundaria.',
		'es',
		'security',
		0,
		40_000,
		600,
		'feasible'
	]
];

/**
 * Seeds one demo round (fiscal year next year, in the voting phase) for the municipality. Needs at least one zone;
 * uses the first two (creating two sectors if the municipality has none). Idempotent per municipality and fiscal
 * year: returns the existing demo round when called again.
 */
export function seedRoundsDemo(
	db: Db,
	municipalityId: number,
	opts: { phase?: Extract<Phase, 'propuestas' | 'votacion'>; fiscalYear?: number } = {}
): SeedRoundsDemoResult {
	const fiscalYear = opts.fiscalYear ?? new Date().getFullYear() + 1;
	const phase = opts.phase ?? 'votacion';
	return writeTx(db, (tx) => {
		const existing = tx
			.select()
			.from(rounds)
			.where(and(eq(rounds.municipalityId, municipalityId), eq(rounds.fiscalYear, fiscalYear)))
			.get();
		if (existing)
			return {
				roundId: existing.id,
				proposalIds: tx
					.select({ id: proposals.id })
					.from(proposals)
					.where(eq(proposals.roundId, existing.id))
					.all()
					.map((p) => p.id),
				agentIds: tx
					.select({ id: participantAgents.id })
					.from(participantAgents)
					.where(eq(participantAgents.roundId, existing.id))
					.all()
					.map((a) => a.id)
			};
		const now = Date.now();
		let zs = tx.select().from(zones).where(eq(zones.municipalityId, municipalityId)).all();
		if (zs.length === 0)
			zs = [
				['S1', 'Sector Alto'],
				['S2', 'Sector Bajo']
			].map(([code, name]) =>
				tx.insert(zones).values({ municipalityId, code, name, createdAt: now }).returning().get()
			);
		const used = zs.slice(0, 2);
		const y = fiscalYear - 1;
		const wide = 400_000_00;
		const perZone = 300_000_00;
		const round = tx
			.insert(rounds)
			.values({
				municipalityId,
				fiscalYear,
				titleEs: `Presupuesto Participativo ${fiscalYear}`,
				titleQu: `Presupuesto Participativo ${fiscalYear} (llaqtawan qullqi rakinakuy)`,
				descriptionEs:
					'Proceso del presupuesto participativo basado en resultados. Los vecinos verificados proponen proyectos y votan por los de su zona y los de todo el distrito.',
				descriptionQu:
					'Llaqtawan qullqi rakinakuy. Chiqaqchasqa vecinokuna proyectokunata yuyaychanku, suyunkupaq llapan distritopaqpas akllanku.',
				ordinanceNumber: `004-${y}-MD`,
				ordinanceDate: `${y}-02-14`,
				budgetCents: wide + perZone * used.length,
				phase,
				phaseChangedAt: now,
				rules: DEFAULT_RULES,
				rulesFrozenAt: phase === 'votacion' ? now : null,
				rulesFrozenSha256: phase === 'votacion' ? sha256Hex(canonicalJson(DEFAULT_RULES)) : null,
				createdAt: now,
				updatedAt: now
			})
			.returning()
			.get();
		tx.insert(roundBudgets).values({ roundId: round.id, zoneId: null, amountCents: wide }).run();
		for (const z of used)
			tx.insert(roundBudgets).values({ roundId: round.id, zoneId: z.id, amountCents: perZone }).run();
		const timetable: [Phase, string, string][] = [
			['preparacion', `${y}-02-15`, `${y}-03-15`],
			['propuestas', `${y}-03-16`, `${y}-04-30`],
			['evaluacion', `${y}-05-01`, `${y}-05-31`],
			['votacion', `${y}-06-01`, `${y}-12-31`],
			['resultados', `${fiscalYear}-01-01`, `${fiscalYear}-01-15`],
			['formalizacion', `${fiscalYear}-01-16`, `${fiscalYear}-01-31`],
			['seguimiento', `${fiscalYear}-02-01`, `${fiscalYear}-12-31`]
		];
		for (const [p, startsOn, endsOn] of timetable)
			tx.insert(roundPhases).values({ roundId: round.id, phase: p, startsOn, endsOn }).run();
		const criteria = defaultMatrix().map((c, position) =>
			tx
				.insert(scoringCriteria)
				.values({ roundId: round.id, ...c, position })
				.returning()
				.get()
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: null,
			type: 'round.created',
			payload: { roundId: round.id, fiscalYear, demo: true }
		});

		const agentsData: [string, string, boolean, 'f' | 'm', 'es' | 'qu'][] = [
			['Rosa Huamán Quispe', 'Vaso de Leche Sector Alto', true, 'f', 'qu'],
			['Julián Mamani Condori', 'Junta Vecinal Sector Bajo', true, 'm', 'es'],
			['Nélida Ccahuana Puma', "Comunidad Campesina de Ch'aki Pampa", true, 'f', 'qu'],
			['Ing. Carla Zegarra Ríos', 'Equipo técnico municipal', false, 'f', 'es']
		];
		const agentIds = agentsData.map(([fullName, organisation, hasVote, gender, language], i) => {
			const dni = String(40_000_000 + municipalityId * 100 + i);
			// The same agents take part in several years' rounds: reuse the person the municipality already records.
			const person =
				tx
					.select()
					.from(persons)
					.where(and(eq(persons.municipalityId, municipalityId), eq(persons.dniHmac, dniHmac(dni))))
					.get() ??
				tx
					.insert(persons)
					.values({ municipalityId, fullName, dniHmac: dniHmac(dni), gender, language, createdAt: now })
					.returning()
					.get();
			const a = tx
				.insert(participantAgents)
				.values({
					municipalityId,
					roundId: round.id,
					personId: person.id,
					organisation,
					...sealAgentDni(dni),
					hasVote,
					gender,
					language,
					registeredAt: now
				})
				.returning()
				.get();
			appendAudit(tx, {
				municipalityId,
				actorUserId: null,
				type: 'agent.registered',
				personal: true,
				payload: { roundId: round.id, agentId: a.id, fullName, organisation, hasVote, demo: true }
			});
			return a.id;
		});

		// Scores need the official who keyed them in: the municipality's first account, if any.
		const scorerUser = tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.municipalityId, municipalityId))
			.limit(1)
			.get();
		const author = tx
			.insert(persons)
			.values({ municipalityId, fullName: 'Vecina de demostración', createdAt: now })
			.returning()
			.get();
		const proposalIds = PROPOSALS.map(
			([title, description, originalLocale, category, zi, soles, beneficiaries, status], i) => {
				const feasible = status === 'feasible';
				const finalStatus =
					feasible && phase === 'votacion' ? 'on_ballot' : phase === 'propuestas' ? 'submitted' : status;
				const p = tx
					.insert(proposals)
					.values({
						municipalityId,
						roundId: round.id,
						seq: i + 1,
						zoneId: zi === null ? null : used[zi % used.length].id,
						authorPersonId: author.id,
						originalLocale,
						title,
						description,
						...(originalLocale === 'qu' && i === 4
							? {
									translatedTitle: "Canal de riego para Ch'aki Pampa",
									translatedDescription:
										"Construcción de 1,8 km de canal de riego revestido de concreto para las chacras de Ch'aki Pampa, para mejorar la producción de alimentos.",
									translatedAt: now
								}
							: {}),
						category,
						estimatedCostCents: soles * 100,
						adjustedCostCents: feasible && i % 3 === 0 ? Math.round(soles * 1.08) * 100 : null,
						beneficiaries,
						status: finalStatus,
						notFeasibleReason:
							status === 'not_feasible' ? (i === 9 ? 'cost_above_ceiling' : 'outside_competence') : null,
						notFeasibleText:
							status === 'not_feasible'
								? i === 9
									? 'El costo supera el presupuesto del distrito.'
									: 'Es competencia del Gobierno Regional.'
								: null,
						investmentCui: feasible && i % 4 === 0 ? String(2_500_000 + i) : null,
						evaluatedAt: status === 'submitted' ? null : now,
						createdAt: now + i,
						updatedAt: now + i
					})
					.returning()
					.get();
				if (feasible && phase === 'votacion' && scorerUser) {
					// The prioritisation workshop's agreed scores.
					for (const c of criteria) {
						const value = c.kind === 'gate' ? 1 : c.bands[(i + c.position) % c.bands.length].points;
						tx.insert(criterionScores)
							.values({
								roundId: round.id,
								proposalId: p.id,
								criterionId: c.id,
								scorerKind: 'workshop',
								scorerKey: 'workshop',
								advisory: false,
								value,
								enteredByUserId: scorerUser.id,
								updatedAt: now
							})
							.run();
					}
				}
				return p.id;
			}
		);
		appendAudit(tx, {
			municipalityId,
			actorUserId: null,
			type: 'round.phaseChanged',
			payload: { roundId: round.id, from: 'preparacion', to: phase, demo: true }
		});
		return { roundId: round.id, proposalIds, agentIds };
	});
}
