import { eq } from 'drizzle-orm';
import { test, expect, seedMunicipality, logIn, testDb } from './fixtures';
import { seedVotingRound } from '../support/voting-fixture';
import { actorFor } from '../../src/lib/server/accounts';
import { addCommitteeMember } from '../../src/lib/server/committee';
import { createBatch, createStation, enterBatch, markForPaper } from '../../src/lib/server/voting';
import { participantAgents, users } from '../../src/lib/server/db/schema/index';
import { limaToday } from '../../src/lib/domain/clock';
import { addDays } from '../../src/lib/domain/council';

// Issue 13 point 2, few staff: a Comité de Vigilancia member who is no staff (a resident's account) finds the batch
// waiting from the round page and resolves its differences, without JavaScript; the public list names them.
test.use({ javaScriptEnabled: false });

test('a committee member resolves a paper batch without JavaScript, publicly', async ({ page }) => {
	const m = await seedMunicipality({
		ubigeo: '080199',
		name: 'Comite Lotes',
		roles: ['admin', 'official'],
		residents: 3
	});
	const db = testDb();
	const actor = (key: string) => actorFor(db, db.select().from(users).where(eq(users.id, m.people[key].userId)).get()!);
	const [admin, official] = [actor('admin'), actor('official')];
	const { roundId } = seedVotingRound(db, {
		municipalityId: m.id,
		authorPersonId: m.people.official.personId,
		ballot: { type: 'approval', maxChoices: 3 },
		budgets: [[null, 100_000_00]],
		proposals: [
			[null, 'Agua potable', null, 10_000_00],
			[null, 'Veredas', null, 10_000_00]
		]
	});
	const member = m.people.resident0;
	const agent = db
		.insert(participantAgents)
		.values({
			municipalityId: m.id,
			roundId,
			personId: member.personId,
			organisation: 'Junta vecinal',
			hasVote: true,
			registeredAt: Date.now()
		})
		.returning()
		.get();
	addCommitteeMember(db, admin, m.id, roundId, {
		agentId: agent.id,
		termStart: addDays(limaToday(), -1),
		termEnd: addDays(limaToday(), 30)
	});
	const station = createStation(db, official, m.id, roundId, 'Mesa 1');
	for (const r of ['resident1', 'resident2'])
		markForPaper(db, official, m.id, roundId, station.id, m.people[r].dni, '1985-05-05');
	const batch = createBatch(db, official, m.id, roundId, {
		stationId: String(station.id),
		zoneId: '',
		label: 'Sobre 7',
		declaredCount: '2'
	});
	enterBatch(db, official, m.id, roundId, batch.id, '1\n2');
	enterBatch(db, admin, m.id, roundId, batch.id, '1\n1 2');

	await logIn(page, m.slug, member);
	await page.goto(`/${m.slug}/rounds/${roundId}`);
	await page.getByRole('link', { name: /Lotes que esperan: 1/ }).click();
	await page.getByRole('link', { name: 'Resolver las diferencias (Comité de Vigilancia)' }).click();
	await expect(page.getByRole('group', { name: 'Cédula 2' })).toBeVisible();
	// "write what the paper says" with nothing written: refused with a translated message, nothing counted
	await page.getByRole('radio', { name: /Ninguna: escribo/ }).check();
	await page.getByRole('button', { name: 'Resolver y contar el lote' }).click();
	await expect(page.getByRole('alert')).toContainText('Elija qué dice la cédula 2');
	await page.getByLabel(/Segunda digitación/).check();
	await page.getByRole('button', { name: 'Resolver y contar el lote' }).click();
	await expect(page.getByRole('status')).toContainText('2 votos válidos, 0 nulos');

	await page.goto(`/${m.slug}/rounds/${roundId}/paper`);
	await expect(page.getByRole('listitem').filter({ hasText: 'Sobre 7' })).toContainText(
		`Diferencias resueltas por: ${member.fullName} (Comité de Vigilancia)`
	);
});
