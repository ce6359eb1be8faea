import { eq } from 'drizzle-orm';
import { test, expect, expectAccessible, logIn, seedMunicipality, testDb } from './fixtures';
import { seedVotedRound, closeVoting } from '../support/results-seed';
import { computeResults, publishResults } from '../../src/lib/server/results';
import { actorFor } from '../../src/lib/server/accounts';
import { changeStatus, roundExecution, startTracking } from '../../src/lib/server/execution';
import { users } from '../../src/lib/server/db/schema/index';

test('a finished project corrected by the official shows the old status, the date and the reason on the public page', async ({
	page
}) => {
	const m = await seedMunicipality({ ubigeo: '080112', name: 'Poroy' });
	const db = testDb();
	const { round } = seedVotedRound(db, {
		municipalityId: m.id,
		zoneId: m.zones[0].id,
		authorPersonId: m.people.resident0.personId
	});
	closeVoting(db, round.id);
	const official = actorFor(db, db.select().from(users).where(eq(users.id, m.people.official.userId)).get()!);
	publishResults(db, official, m.id, round.id, computeResults(db, official, m.id, round.id).version);
	startTracking(db, official, m.id, round.id);
	const project = roundExecution(db, m.id, round.id).projects[0];
	for (const to of ['en_pia', 'en_ejecucion', 'culminado'])
		changeStatus(db, official, m.id, round.id, project.executionId, { to, reason: '', onDate: '' });

	await logIn(page, m.slug, m.people.official);
	await page.goto(`/${m.slug}/admin/rounds/${round.id}/execution/${project.executionId}`);
	// A finished project offers no ordinary status change, only the correction.
	await expect(page.getByLabel('Nuevo estado')).toHaveCount(0);
	await page.getByLabel('Estado correcto').selectOption('en_ejecucion');
	await page.locator('#correctReason').fill('La obra no tiene acta de recepción.');
	await page.getByRole('button', { name: 'Registrar la corrección' }).first().click();
	await expect(page.getByRole('status')).toHaveText(
		'Corrección registrada. El valor anterior y el motivo quedan publicados.'
	);

	await page.goto(`/${m.slug}/rounds/${round.id}/execution`);
	const note = page.getByRole('list', { name: 'Correcciones' }).first();
	await expect(note).toContainText('Corregido el');
	await expect(note).toContainText(
		'el estado era Culminado, ahora es En ejecución — La obra no tiene acta de recepción.'
	);
	await expectAccessible(page);
});
