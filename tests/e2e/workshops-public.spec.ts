import { test, expect, seedMunicipality, expectAccessible, testDb, type SeededMunicipality, logIn } from './fixtures';
import { participantAgents, persons, rounds } from '../../src/lib/server/db/schema/index';
import { DEFAULT_RULES } from '../../src/lib/domain/round-rules';
import { checkInAgent, checkInWalkIn, createWorkshop } from '../../src/lib/server/workshops';
import type { Actor } from '../../src/lib/server/platform/policy';
import { sealAgentDni } from '../../src/lib/server/platform/sealed';

test.describe.configure({ mode: 'serial' });

let m: SeededMunicipality;
let roundId: number;
const YEAR = new Date().getFullYear();

test.beforeAll(async () => {
	m = await seedMunicipality({ ubigeo: '080102', name: 'Ccorca' });
	const db = testDb();
	const now = Date.now();
	const o = m.people.official;
	const official: Actor = {
		userId: o.userId,
		personId: o.personId,
		municipalityId: m.id,
		roles: new Set(['official']),
		verified: true
	};
	roundId = db
		.insert(rounds)
		.values({
			municipalityId: m.id,
			fiscalYear: YEAR + 1,
			titleEs: `Presupuesto participativo ${YEAR + 1}`,
			titleQu: `${YEAR + 1} watapaq presupuesto participativo`,
			budgetCents: 80_000_000,
			rules: DEFAULT_RULES,
			createdAt: now,
			updatedAt: now
		})
		.returning()
		.get().id;
	const agents: number[] = [];
	for (const [fullName, gender, language, hasVote, org] of [
		['Celestina Huaman Ccoa', 'f', 'qu', true, 'Comunidad campesina de Ccorca Ayllu'],
		['Wilber Quispe Tito', 'm', 'es', true, 'Asociación de productores de papa nativa'],
		['Ing. Raúl Salas', 'm', 'es', false, 'Equipo técnico municipal']
	] as const) {
		const p = db
			.insert(persons)
			.values({ municipalityId: m.id, fullName, zoneId: m.zones[0].id, phone: '987654321', createdAt: now })
			.returning()
			.get();
		agents.push(
			db
				.insert(participantAgents)
				.values({
					municipalityId: m.id,
					roundId,
					personId: p.id,
					organisation: org,
					...sealAgentDni('45678912'),
					hasVote,
					gender,
					language,
					registeredAt: now
				})
				.returning()
				.get().id
		);
	}
	const training = createWorkshop(db, official, m.id, {
		roundId: String(roundId),
		kind: 'training',
		title: 'Capacitación de agentes participantes',
		date: `${YEAR}-04-12`,
		startsAt: '09:30',
		place: 'Local comunal de Ccorca'
	});
	createWorkshop(db, official, m.id, {
		roundId: String(roundId),
		kind: 'prioritisation',
		title: 'Taller de priorización',
		date: `${YEAR}-05-20`,
		startsAt: '10:00',
		place: 'Plaza de Armas de Ccorca'
	});
	checkInAgent(db, official, m.id, training.id, agents[0]);
	checkInAgent(db, official, m.id, training.id, agents[2]);
	checkInWalkIn(db, official, m.id, training.id, {
		fullName: 'Domitila Ccahuana Puma',
		gender: 'f',
		language: 'qu',
		zoneId: String(m.zones[1].id)
	});
});

test('the public sees the round’s workshops with figures in Spanish and Quechua; agents by name and organisation, other residents only counted', async ({
	page
}) => {
	await page.goto(`/${m.slug}/rounds/${roundId}`);
	await page.getByRole('link', { name: 'Talleres y participación' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Talleres y participación');
	await expect(page.getByText('Talleres: 2 · Asistencias: 3')).toBeVisible();
	// Date order: training first.
	await expect(page.getByRole('heading', { level: 2 })).toHaveText([
		'Capacitación de agentes participantes',
		'Taller de priorización'
	]);
	const training = page.getByRole('region', { name: 'Capacitación de agentes participantes' });
	await expect(training).toContainText('Capacitación');
	await expect(training).toContainText('Local comunal de Ccorca');
	await expect(training).toContainText('09:30');
	await expect(training).toContainText('3 asistentes: 2 agentes participantes (1 con voto) y 1 vecinos más.');
	await expect(training).toContainText('2 de 3 agentes participantes registrados asistieron.');
	await expect(training.getByRole('table', { name: 'Por sexo' }).getByRole('row', { name: 'Mujer' })).toContainText(
		'2'
	);
	await expect(training.getByRole('table', { name: 'Por idioma' }).getByRole('row', { name: 'Quechua' })).toContainText(
		'2'
	);
	await expect(
		training.getByRole('table', { name: 'Por zona' }).getByRole('row', { name: m.zones[1].name })
	).toContainText('1');
	await expect(training).toContainText('Celestina Huaman Ccoa — Comunidad campesina de Ccorca Ayllu');
	await expect(training).toContainText('Ing. Raúl Salas — Equipo técnico municipal (con voz, sin voto)');
	const body = page.locator('body');
	await expect(body).not.toContainText('Domitila Ccahuana Puma');
	await expect(body).not.toContainText('Wilber Quispe Tito'); // registered, did not come
	await expect(body).not.toContainText('45678912');
	await expect(body).not.toContainText('987654321');
	const prioritisation = page.getByRole('region', { name: 'Taller de priorización' });
	await expect(prioritisation).toContainText('Ningún agente participante registró su asistencia.');
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Runasimi' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'qu');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tallerkuna, pikuna hamurqanku');
	const trainingQu = page.getByRole('region', { name: 'Capacitación de agentes participantes' });
	await expect(trainingQu).toContainText('Yachachiy (capacitación)');
	await expect(trainingQu).toContainText('3 hamuq: 2 agente participante (1 akllayniyuq), 1 huk llaqtamasipas.');
	await expect(trainingQu).toContainText('3 qillqasqa agente participantemanta 2 hamurqan.');
	await expect(
		trainingQu.getByRole('table', { name: 'Simikunaman hina' }).getByRole('row', { name: 'Runasimi' })
	).toContainText('2');
	await expect(page.locator('body')).not.toContainText('Domitila Ccahuana Puma');
	await expectAccessible(page);
});

test('a check-in by an official shows up in the public figures', async ({ page, browser }) => {
	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/workshops`);
	await page
		.getByRole('link', { name: /Taller de priorización/ })
		.first()
		.click();
	await page.getByRole('button', { name: 'Registrar la llegada de Wilber Quispe Tito' }).click();
	await expect(page.getByText('Llegada de Wilber Quispe Tito registrada.')).toBeVisible();

	// Without JavaScript, as on a cheap phone: the public page is plain HTML.
	const ctx = await browser.newContext({ javaScriptEnabled: false, baseURL: new URL(page.url()).origin });
	const anon = await ctx.newPage();
	await anon.goto(`/${m.slug}/rounds/${roundId}/workshops`);
	await expect(anon.getByText('Talleres: 2 · Asistencias: 4')).toBeVisible();
	const prioritisation = anon.getByRole('region', { name: 'Taller de priorización' });
	await expect(prioritisation).toContainText('1 asistentes: 1 agentes participantes (1 con voto) y 0 vecinos más.');
	await expect(prioritisation).toContainText('Wilber Quispe Tito — Asociación de productores de papa nativa');
	await ctx.close();
});

test('an unknown round is a clear 404', async ({ page }) => {
	const r = await page.goto(`/${m.slug}/rounds/999999/workshops`);
	expect(r?.status()).toBe(404);
});
