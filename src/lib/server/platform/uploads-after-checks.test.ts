/**
 * Every upload path writes its file only after the command's permission and validation checks (security review M4):
 * a refused request leaves nothing in the uploads folder. One block per path: proposal photos (resident, on behalf,
 * edit), milestone photos (new, reached), round ordinances (new, edit), agents' accreditations, audio recordings.
 * Observation attachments are covered in execution/execution.test.ts.
 */
import { describe, expect, it, beforeAll, beforeEach } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openDatabase, writeTx, type Db } from '../db/client';
import { municipalities, persons, users } from '../db/schema/index';
import { DEFAULT_RULES } from '../../domain/round-rules';
import { changePhase, createRound, updateRound, type RoundInput } from '../rounds';
import { submitProposal, updateProposal, type ProposalInput } from '../proposals';
import { addMilestone, completeMilestone } from '../execution';
import { registerAgent } from '../agents';
import { attachAudio } from '../audio';
import type { Actor } from './policy';
import { preparePdf, preparePhoto, uploadsDir, type PreparedPhoto, type PreparedUpload } from './uploads';
import { minimalPdf } from '../../../../tests/support/pdf';

process.env.MINKA_SECRET = 'test';
let db: Db;
let mId: number;
let roundId: number;
const actor = (n: number, roles: string[], verified = true): Actor => ({
	userId: n,
	personId: n,
	municipalityId: 0,
	roles: new Set(roles) as Actor['roles'],
	verified
});
const official = actor(1, ['official']);
const author = actor(2, []);
const unverified = actor(3, [], false);
const neighbour = actor(4, []);

/** Every file under the uploads folder (relative paths). */
function filesInUploads(dir = uploadsDir(), prefix = ''): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((n) =>
		statSync(join(dir, n)).isDirectory() ? filesInUploads(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]
	);
}

let colour = 0;
/** A distinct small photo each time (content-addressed files would otherwise coincide). */
async function photo(): Promise<PreparedPhoto> {
	colour += 1;
	const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: colour, g: 90, b: 40 } } })
		.png()
		.toBuffer();
	return preparePhoto(new File([new Uint8Array(png)], 'p.png', { type: 'image/png' }));
}
const pdf = (note: string): Promise<PreparedUpload> =>
	preparePdf(new File([new Uint8Array(minimalPdf(note))], 'o.pdf', { type: 'application/pdf' }), 'ordinances');

const roundInput = (over: Partial<RoundInput> = {}): RoundInput => ({
	fiscalYear: 2027,
	titleEs: 'PP 2027',
	titleQu: null,
	descriptionEs: null,
	descriptionQu: null,
	ordinanceNumber: '001-2026-MDX',
	ordinanceDate: '2026-01-15',
	budgetCents: 1_000_000_00,
	budgets: [],
	timetable: [],
	rules: DEFAULT_RULES,
	...over
});
const proposalInput = (title: string): ProposalInput => ({
	originalLocale: 'es',
	title,
	description: 'Una obra para el barrio',
	category: 'other',
	zoneId: null,
	estimatedCostCents: 10_000_00,
	beneficiaries: 10,
	latitude: null,
	longitude: null
});

beforeAll(() => {
	const dir = mkdtempSync(join(tmpdir(), 'minka-upl-'));
	process.env.DATABASE_URL = join(dir, 't.db');
	process.env.MINKA_UPLOADS = join(dir, 'uploads');
	db = openDatabase(process.env.DATABASE_URL);
	writeTx(db, (tx) => {
		mId = tx
			.insert(municipalities)
			.values({
				slug: 'x',
				ubigeo: '080105',
				name: 'X',
				kind: 'distrital',
				department: 'C',
				province: 'C',
				createdAt: 1
			})
			.returning()
			.get().id;
		for (const n of [1, 2, 3, 4]) {
			tx.insert(persons)
				.values({ municipalityId: mId, fullName: `P${n}`, createdAt: 1 })
				.run();
			tx.insert(users)
				.values({
					municipalityId: mId,
					personId: n,
					passwordHash: 'x',
					privacyConsentAt: 1,
					privacyNoticeVersion: '1',
					createdAt: 1
				})
				.run();
		}
	});
	for (const a of [official, author, unverified, neighbour]) a.municipalityId = mId;
	roundId = createRound(db, official, mId, roundInput()).id;
	changePhase(db, official, mId, roundId, 'propuestas');
});

beforeEach(() => rmSync(uploadsDir(), { recursive: true, force: true }));

describe('proposal photos', () => {
	it('a refused proposal (unverified resident, resident filing on behalf, cost above the ceiling) writes none', async () => {
		const ph = await photo();
		expect(() => submitProposal(db, unverified, mId, roundId, proposalInput('A'), [ph])).toThrow('notVerified');
		expect(() =>
			submitProposal(db, author, mId, roundId, proposalInput('B'), [ph], { fullName: 'Ana', dni: null })
		).toThrow('forbidden');
		expect(() =>
			submitProposal(db, author, mId, roundId, { ...proposalInput('C'), estimatedCostCents: 2_000_000_00 }, [ph])
		).toThrow('proposals.costAboveCeiling');
		expect(filesInUploads()).toEqual([]);
		// The same photo on an accepted proposal is written, where the proposal says.
		submitProposal(db, author, mId, roundId, proposalInput('D'), [ph]);
		expect(filesInUploads()).toEqual([ph.path]);
	});

	it('a refused edit (a neighbour; too many photos) writes none', async () => {
		const p = submitProposal(db, author, mId, roundId, proposalInput('E'), []);
		const ph = await photo();
		expect(() => updateProposal(db, neighbour, mId, roundId, p.id, proposalInput('E2'), [ph], [])).toThrow('forbidden');
		const four = [ph, await photo(), await photo(), await photo()];
		expect(() => updateProposal(db, author, mId, roundId, p.id, proposalInput('E3'), four, [])).toThrow(
			'upload.tooManyPhotos'
		);
		expect(filesInUploads()).toEqual([]);
		updateProposal(db, author, mId, roundId, p.id, proposalInput('E4'), [ph], []);
		expect(filesInUploads()).toEqual([ph.path]);
	});
});

describe('milestone photos', () => {
	it('a refused milestone (a resident; an unknown project or milestone) writes none', async () => {
		const ph = await photo();
		const m = { title: 'Hito', dueOn: '2026-04-30', doneOn: '', note: '' };
		expect(() => addMilestone(db, author, mId, roundId, 1, m, [ph], '2026-03-01')).toThrow('forbidden');
		expect(() => addMilestone(db, official, mId, roundId, 999, m, [ph], '2026-03-01')).toThrow('notFound');
		expect(() =>
			completeMilestone(db, author, mId, roundId, 1, 1, { doneOn: '2026-03-01' }, [ph], '2026-03-01')
		).toThrow('forbidden');
		expect(() =>
			completeMilestone(db, official, mId, roundId, 999, 1, { doneOn: '2026-03-01' }, [ph], '2026-03-01')
		).toThrow('notFound');
		expect(filesInUploads()).toEqual([]);
	});
});

describe('round ordinances', () => {
	it('a refused round (a resident; an unknown zone or round) writes no ordinance', async () => {
		const doc = await pdf('new');
		expect(() => createRound(db, author, mId, roundInput(), doc)).toThrow('forbidden');
		expect(() =>
			createRound(db, official, mId, roundInput({ budgets: [{ zoneId: 999, amountCents: 1 }] }), doc)
		).toThrow('zone.unknown');
		expect(() => updateRound(db, author, mId, roundId, roundInput(), doc)).toThrow('forbidden');
		expect(() =>
			updateRound(db, official, mId, roundId, roundInput({ budgets: [{ zoneId: 999, amountCents: 1 }] }), doc)
		).toThrow('zone.unknown');
		expect(() => updateRound(db, official, mId, 999, roundInput(), doc)).toThrow('notFound');
		expect(filesInUploads()).toEqual([]);
		createRound(db, official, mId, roundInput({ fiscalYear: 2028 }), doc);
		expect(filesInUploads()).toEqual([doc.path]);
	});
});

describe('agents’ accreditations', () => {
	it('a refused registration (a resident; an unknown round; the same agent twice) writes no accreditation', async () => {
		const agent = {
			fullName: 'Rosa Quispe',
			dni: '45678912',
			organisation: 'Junta vecinal',
			hasVote: true,
			gender: 'f' as const,
			language: 'qu' as const
		};
		const first = await pdf('first');
		registerAgent(db, official, mId, roundId, agent, first);
		expect(filesInUploads()).toEqual([first.path]);
		rmSync(uploadsDir(), { recursive: true, force: true });
		const doc = await pdf('second');
		expect(() => registerAgent(db, author, mId, roundId, agent, doc)).toThrow('forbidden');
		expect(() => registerAgent(db, official, mId, 999, agent, doc)).toThrow('notFound');
		expect(() => registerAgent(db, official, mId, roundId, agent, doc)).toThrow('agents.duplicate');
		expect(filesInUploads()).toEqual([]);
	});
});

describe('audio recordings', () => {
	it('a refused recording (a resident; an unknown proposal; no language) writes none', async () => {
		const mp3 = () => new File([new Uint8Array(readFileSync('tests/fixtures/audio/ballot-es.mp3'))], 'a.mp3');
		const ballot = { kind: 'ballot' as const };
		await expect(attachAudio(db, author, mId, roundId, ballot, 'es', mp3())).rejects.toThrow('forbidden');
		await expect(
			attachAudio(db, official, mId, roundId, { kind: 'proposal', proposalId: 999 }, 'es', mp3())
		).rejects.toThrow('notFound');
		await expect(attachAudio(db, official, mId, roundId, ballot, 'fr', mp3())).rejects.toThrow('audio.locale');
		expect(filesInUploads()).toEqual([]);
		await attachAudio(db, official, mId, roundId, ballot, 'es', mp3());
		expect(filesInUploads()).toHaveLength(1);
	});
});
