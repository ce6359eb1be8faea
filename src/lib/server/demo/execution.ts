import { and, asc, eq, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../db/client';
import { participantAgents, roleGrants, users } from '../db/schema/index';
import type { Role } from '../db/schema/people';
import { actorFor } from '../accounts';
import { addMilestone, changeStatus, fundReserve, roundExecution, startTracking, updateFigures } from '../execution';
import { addCommitteeMember, answerObservation, fileObservation } from '../execution';
import { preparePhoto } from '../platform/uploads';
import { addDays } from '../../domain/council';
import { limaToday } from '../../domain/clock';

function actorWith(db: Db, municipalityId: number, roles: Role[]) {
	for (const role of roles) {
		const row = db
			.select({ user: users })
			.from(roleGrants)
			.innerJoin(users, eq(roleGrants.userId, users.id))
			.where(
				and(eq(roleGrants.municipalityId, municipalityId), eq(roleGrants.role, role), isNull(roleGrants.revokedAt))
			)
			.get();
		if (row) return actorFor(db, row.user);
	}
	return null;
}

async function demoPhoto(colour: string, label: string) {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="420"><rect width="640" height="420" fill="${colour}"/><text x="30" y="220" font-size="34" fill="#fff" font-family="sans-serif">${label}</text></svg>`;
	const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 70 }).toBuffer();
	return preparePhoto(new File([new Uint8Array(jpeg)], 'obra.jpg', { type: 'image/jpeg' }));
}

/**
 * Follow-up demo for a published round: statuses, amounts and milestones (with photos) for its selected projects,
 * one reserve project funded instead of a dropped one with the reason, a Comité de Vigilancia, and two observations
 * (one answered, one overdue). Every act goes through the feature commands, so it is audited like real use.
 */
export async function seedExecutionDemo(db: Db, municipalityId: number, roundId: number): Promise<void> {
	const official = actorWith(db, municipalityId, ['official', 'admin']);
	if (!official) return;
	const today = limaToday();
	const d = (n: number) => addDays(today, n);
	startTracking(db, official, municipalityId, roundId, d(-200));
	const x = roundExecution(db, municipalityId, roundId);
	const projects = x.projects.filter((p) => p.origin === 'result');
	if (!projects.length) return;

	const [first, second, third, ...rest] = projects;
	// 1. In execution, on track: PIA, technical file, works started; one milestone reached with photos, one ahead.
	changeStatus(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{ to: 'en_pia', reason: '', onDate: d(-170) },
		today
	);
	changeStatus(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{ to: 'expediente', reason: '', onDate: d(-110) },
		today
	);
	changeStatus(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{ to: 'en_ejecucion', reason: '', onDate: d(-45) },
		today
	);
	updateFigures(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{
			investmentCui: '2487315',
			budgeted: String(((first.prioritisedCents ?? 0) * 1.05) / 100),
			executed: String(((first.prioritisedCents ?? 0) * 0.38) / 100),
			progress: '42',
			onDate: d(-5)
		},
		today
	);
	addMilestone(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{
			title: 'Inicio de obra y entrega de terreno',
			dueOn: d(-50),
			doneOn: d(-45),
			note: 'Acta de entrega de terreno firmada con la junta vecinal.'
		},
		[await demoPhoto('#2f6f4f', 'Entrega de terreno')],
		today
	);
	addMilestone(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{ title: 'Estructuras al 50 %', dueOn: d(-6), doneOn: d(-8), note: '' },
		[await demoPhoto('#6b4f2f', 'Avance 50 %')],
		today
	);
	addMilestone(
		db,
		official,
		municipalityId,
		roundId,
		first.executionId,
		{ title: 'Obra culminada y liquidada', dueOn: d(75), doneOn: '', note: '' },
		[],
		today
	);

	// 2. In the PIA with a technical-file milestone past its date: late.
	if (second) {
		changeStatus(
			db,
			official,
			municipalityId,
			roundId,
			second.executionId,
			{ to: 'en_pia', reason: '', onDate: d(-150) },
			today
		);
		updateFigures(
			db,
			official,
			municipalityId,
			roundId,
			second.executionId,
			{
				investmentCui: '2491022',
				budgeted: String((second.prioritisedCents ?? 0) / 100),
				executed: '',
				progress: '',
				onDate: d(-150)
			},
			today
		);
		addMilestone(
			db,
			official,
			municipalityId,
			roundId,
			second.executionId,
			{ title: 'Expediente técnico aprobado', dueOn: d(-30), doneOn: '', note: '' },
			[],
			today
		);
	}

	// 3. The last selected project cannot be done: a reserve project is funded instead, with the reason.
	const reserve = x.reserve[0];
	const dropped = rest.length ? rest[rest.length - 1] : third;
	if (reserve && dropped) {
		fundReserve(
			db,
			official,
			municipalityId,
			roundId,
			{
				reserveProposalId: String(reserve.proposalId),
				replacesProposalId: String(dropped.proposalId),
				reason:
					'El terreno propuesto no tiene saneamiento físico-legal; el CCL acordó financiar el siguiente proyecto de la lista de reserva.'
			},
			d(-90)
		);
	}
	// Anything else stays as prioritised (and will show as stale once the configured months pass).

	// Comité de Vigilancia: the first two agents of the round.
	const agents = db
		.select()
		.from(participantAgents)
		.where(and(eq(participantAgents.roundId, roundId), isNull(participantAgents.withdrawnAt)))
		.orderBy(asc(participantAgents.id))
		.limit(2)
		.all();
	for (const a of agents)
		addCommitteeMember(db, official, municipalityId, roundId, {
			agentId: String(a.id),
			termStart: d(-190),
			termEnd: d(540)
		});

	// Two observations by the auditor: one answered, one past its deadline.
	const auditor = actorWith(db, municipalityId, ['auditor']);
	if (auditor) {
		const answered = fileObservation(
			db,
			auditor,
			municipalityId,
			roundId,
			{
				executionId: String(first.executionId),
				text: 'El cartel de obra no indica el CUI ni el monto de inversión, como exige la norma.'
			},
			null,
			d(-40)
		);
		answerObservation(db, official, municipalityId, roundId, answered.id, {
			answer: 'Se reemplazó el cartel de obra el lunes: ahora muestra el CUI, el monto y el plazo de ejecución.'
		});
		fileObservation(
			db,
			auditor,
			municipalityId,
			roundId,
			{
				executionId: second ? String(second.executionId) : '',
				text: 'Pedimos copia del cronograma del expediente técnico: el plazo de aprobación ya pasó.'
			},
			null,
			d(-25)
		);
	}
}
