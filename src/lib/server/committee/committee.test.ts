/**
 * Issue 10, point 2: one Comité de Vigilancia. A database whose two old lists (the acta's roles, the observations'
 * terms) disagree migrates to their union, each difference recorded in one audit event with the chain intact; and
 * afterwards the acta and the observations read and write the same members.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { openDatabase, writeTx, type Db } from '../db/client';
import { auditEvents, committeeMembers, municipalities, participantAgents, persons, zones } from '../db/schema/index';
import { auditEventsOfType, verifyStoredChain } from '../platform/audit';
import { createAccount } from '../accounts';
import { computeResults, publishResults } from '../results';
import { actaDocument, actaForOfficials, seatInActa, unseatFromActa } from '../acta';
import { fileObservation } from '../execution';
import { seedVotedRound, closeVoting } from '../../../../tests/support/results-seed';
import type { Actor } from '../platform/policy';
import {
	addCommitteeMember,
	canFileObservation,
	committeeCandidates,
	finishCommitteeMerge,
	listCommittee,
	removeCommitteeMember
} from './index';

const FIXTURE = 'tests/fixtures/legacy-5c0ca36.db';

describe('migration 0015: the acta’s list and the observations’ list become one', () => {
	it('takes the union (roles from the acta, terms from the observations), audits each difference once', () => {
		process.env.MINKA_SECRET = 'legacy-fixture-secret';
		const dir = mkdtempSync(join(tmpdir(), 'minka-committee-'));
		const file = join(dir, 'minka.db');
		copyFileSync(FIXTURE, file);
		// Before: the observations' list seats agents 1 and 2 of round 1 (terms 2026-05-25..2028-05-24). Make the acta
		// disagree: 1 president (in both), 3 secretary (acta only), 4 member (acta, but removed from the observations'
		// list); and 5 of round 2 removed from the observations' list and not in the acta (stays removed).
		const raw = new Database(file);
		raw.exec(`
			INSERT INTO acta_committee_member (round_id, agent_id, role, created_by_user_id, created_at) VALUES
				(1, 1, 'president', 2, 1000), (1, 3, 'secretary', 2, 1001), (1, 4, 'member', 2, 1002);
			INSERT INTO oversight_member (municipality_id, round_id, agent_id, person_id, term_start, term_end, added_at,
				added_by_user_id, removed_at) VALUES
				(1, 1, 4, 29, '2026-01-01', '2026-12-31', 900, 2, 950),
				(1, 2, 5, 26, '2026-01-01', '2026-12-31', 900, 2, 960);
		`);
		const eventsBefore = (raw.prepare('SELECT count(*) AS n FROM audit_event').get() as { n: number }).n;
		raw.close();

		const db = openDatabase(file);
		finishCommitteeMerge(db);
		const rows = db
			.select()
			.from(committeeMembers)
			.orderBy(asc(committeeMembers.roundId), asc(committeeMembers.agentId))
			.all();
		expect(rows.map((r) => [r.roundId, r.agentId, r.role, r.termStart, r.termEnd, r.removedAt === null])).toEqual([
			[1, 1, 'president', '2026-05-25', '2028-05-24', true],
			[1, 2, 'member', '2026-05-25', '2028-05-24', true],
			[1, 3, 'secretary', null, null, true],
			[1, 4, 'member', null, null, true],
			[2, 5, 'member', '2026-01-01', '2026-12-31', false]
		]);
		expect(rows.find((r) => r.agentId === 3)!.personId).toBe(28);
		expect(rows.find((r) => r.agentId === 3)!.municipalityId).toBe(1);

		const merged = auditEventsOfType(db, 1, 'committee.merged');
		expect(merged).toHaveLength(1);
		expect(merged[0].personal).toBe(true);
		expect(JSON.parse(merged[0].payload).differences).toEqual([
			{
				roundId: 1,
				agentId: 2,
				kind: 'onlyInObservations',
				role: 'member',
				termStart: '2026-05-25',
				termEnd: '2028-05-24'
			},
			{ roundId: 1, agentId: 3, kind: 'onlyInActa', role: 'secretary', termStart: null, termEnd: null },
			{ roundId: 1, agentId: 4, kind: 'removedInObservations', role: 'member', termStart: null, termEnd: null }
		]);
		// The only new events: the merge's (and the salting marker migration 0014 (audit salt) has the first personal event add).
		const added = db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.municipalityId, 1))
			.orderBy(asc(auditEvents.seq))
			.all()
			.slice(eventsBefore)
			.map((e) => e.type);
		expect(added.filter((t) => t !== 'audit.saltingFrom')).toEqual(['committee.merged']);
		expect(verifyStoredChain(db, 1)).toMatchObject({ ok: true });

		// Once: the pending table is gone, a second start-up records nothing more.
		finishCommitteeMerge(db);
		expect(auditEventsOfType(db, 1, 'committee.merged')).toHaveLength(1);
		// Who may file follows the merged terms: the member without a term may not, the one in term may.
		const actorOf = (personId: number): Actor => ({
			userId: 0,
			personId,
			municipalityId: 1,
			roles: new Set(),
			verified: true
		});
		expect(canFileObservation(db, actorOf(26), 1, 1, '2027-01-01')).toBe(true);
		expect(canFileObservation(db, actorOf(28), 1, 1, '2027-01-01')).toBe(false);
		expect(canFileObservation(db, actorOf(29), 1, 1, '2026-06-01')).toBe(false);
	});

	it('a new database has no pending differences and records nothing', () => {
		const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-committee-')), 't.db'));
		finishCommitteeMerge(db);
		expect(db.select().from(auditEvents).all()).toHaveLength(0);
	});
});

describe('the acta and the observations use the same members', () => {
	let db: Db;
	let official: Actor;
	let municipalityId: number;
	let roundId: number;
	const agents: Record<string, number> = {};
	const people: Record<string, number> = {};
	const as = (key: string): Actor => ({
		userId: official.userId,
		personId: people[key],
		municipalityId,
		roles: new Set(),
		verified: true
	});

	beforeAll(() => {
		process.env.MINKA_SECRET = 'test';
		db = openDatabase(join(mkdtempSync(join(tmpdir(), 'minka-committee-')), 't.db'));
		const base = writeTx(db, (tx) => {
			const m = tx
				.insert(municipalities)
				.values({
					slug: 'c',
					ubigeo: '080108',
					name: 'C',
					kind: 'distrital',
					department: 'Cusco',
					province: 'Cusco',
					createdAt: 0
				})
				.returning()
				.get();
			const z = tx
				.insert(zones)
				.values({ municipalityId: m.id, code: 'Z1', name: 'Z', createdAt: 0 })
				.returning()
				.get();
			const acc = createAccount(tx, m.id, {
				fullName: 'Oficial',
				dni: '70000137',
				birthDate: '1980-01-01',
				email: 'o@example.pe',
				passwordHash: 'x',
				locale: 'es'
			});
			return { m, z, acc };
		});
		municipalityId = base.m.id;
		official = {
			userId: base.acc.user.id,
			personId: base.acc.person.id,
			municipalityId,
			roles: new Set(['official']),
			verified: true
		};
		const seeded = seedVotedRound(db, { municipalityId, zoneId: base.z.id, authorPersonId: base.acc.person.id });
		roundId = seeded.round.id;
		writeTx(db, (tx) => {
			for (const [key, name] of [
				['rosa', 'Rosa Quispe'],
				['juan', 'Juan Huamán'],
				['ana', 'Ana Ccori']
			]) {
				people[key] = tx.insert(persons).values({ municipalityId, fullName: name, createdAt: 0 }).returning().get().id;
				agents[key] = tx
					.insert(participantAgents)
					.values({
						municipalityId,
						roundId,
						personId: people[key],
						organisation: 'Org',
						hasVote: true,
						registeredAt: 0
					})
					.returning()
					.get().id;
			}
		});
		closeVoting(db, roundId);
		computeResults(db, official, municipalityId, roundId);
		publishResults(db, official, municipalityId, roundId, 1);
	});

	it('named by the acta, given a term for observations, removed once: the same row everywhere', () => {
		seatInActa(db, official, municipalityId, roundId, { agentId: agents.rosa, role: 'president' });
		addCommitteeMember(db, official, municipalityId, roundId, {
			agentId: agents.juan,
			termStart: '2027-01-01',
			termEnd: '2028-12-31'
		});
		const agentsOf = (list: { agentId: number }[]) => list.map((c) => c.agentId).sort();
		// The acta prints both, the observations page lists both, with the acta's role for each.
		const acta = actaDocument(db, municipalityId, roundId).content.committee;
		expect(agentsOf(acta)).toEqual([agents.rosa, agents.juan].sort());
		expect(acta.map((c) => c.role)).toEqual(['president', 'member']);
		const listed = listCommittee(db, municipalityId, roundId, '2027-06-01');
		expect(agentsOf(listed)).toEqual(agentsOf(acta));
		expect(listed.find((c) => c.agentId === agents.rosa)).toMatchObject({
			role: 'president',
			termStart: null,
			inTerm: false
		});
		// A member seated by the acta is already on the committee: the acta refuses a second seat.
		expect(() =>
			seatInActa(db, official, municipalityId, roundId, { agentId: agents.juan, role: 'secretary' })
		).toThrowError('acta.alreadyInCommittee');
		expect(actaForOfficials(db, official, municipalityId, roundId).candidates.map((a) => a.id)).toEqual([agents.ana]);

		// Rosa (no term yet) may not file; the observations page offers her a term, and then she may.
		expect(canFileObservation(db, as('rosa'), municipalityId, roundId, '2027-06-01')).toBe(false);
		expect(() =>
			fileObservation(
				db,
				as('rosa'),
				municipalityId,
				roundId,
				{ executionId: '', text: 'Sin cartel de obra.' },
				null,
				'2027-06-01'
			)
		).toThrowError('forbidden');
		expect(committeeCandidates(db, municipalityId, roundId).find((a) => a.agentId === agents.rosa)).toMatchObject({
			seated: true,
			role: 'president'
		});
		addCommitteeMember(db, official, municipalityId, roundId, {
			agentId: agents.rosa,
			termStart: '2027-01-01',
			termEnd: '2028-12-31'
		});
		expect(committeeCandidates(db, municipalityId, roundId).map((a) => a.agentId)).toEqual([agents.ana]);
		expect(auditEventsOfType(db, municipalityId, 'committee.termSet')).toHaveLength(1);
		const seated = db.select().from(committeeMembers).where(eq(committeeMembers.agentId, agents.rosa)).all();
		expect(seated).toHaveLength(1);
		expect(seated[0]).toMatchObject({ role: 'president', termStart: '2027-01-01' });
		expect(canFileObservation(db, as('rosa'), municipalityId, roundId, '2027-06-01')).toBe(true);
		expect(
			fileObservation(
				db,
				as('rosa'),
				municipalityId,
				roundId,
				{ executionId: '', text: 'Sin cartel de obra.' },
				null,
				'2027-06-01'
			).filedAs
		).toBe('committee');
		expect(() =>
			addCommitteeMember(db, official, municipalityId, roundId, {
				agentId: agents.rosa,
				termStart: '2027-01-01',
				termEnd: '2027-02-01'
			})
		).toThrowError('observations.alreadyMember');

		// Removed on the observations page: gone from the acta too, and no longer files.
		const juan = listed.find((c) => c.agentId === agents.juan)!;
		removeCommitteeMember(db, official, municipalityId, roundId, juan.id);
		expect(agentsOf(actaDocument(db, municipalityId, roundId).content.committee)).toEqual([agents.rosa]);
		expect(canFileObservation(db, as('juan'), municipalityId, roundId, '2027-06-01')).toBe(false);
		// Removed through the acta: gone from the observations page; seated again by the acta, without the old term.
		const rosa = listCommittee(db, municipalityId, roundId).find((c) => c.agentId === agents.rosa)!;
		unseatFromActa(db, official, municipalityId, roundId, rosa.id);
		expect(listCommittee(db, municipalityId, roundId)).toEqual([]);
		seatInActa(db, official, municipalityId, roundId, { agentId: agents.rosa, role: 'secretary' });
		expect(listCommittee(db, municipalityId, roundId)).toMatchObject([
			{ agentId: agents.rosa, role: 'secretary', termStart: null }
		]);
		expect(canFileObservation(db, as('rosa'), municipalityId, roundId, '2027-06-01')).toBe(false);
		expect(() => unseatFromActa(db, official, municipalityId, roundId, juan.id)).toThrowError('notFound');
	});
});
