import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { persons, roleGrants, users } from '../db/schema/index';
import { actorFor } from '../accounts';
import { censusEntryOf } from '../residents';
import type { Actor } from '../platform/policy';
import { UserError } from '../../domain/errors';
import type { BallotPaper } from '../voting';
import { ballotForVoter, castWebBallot, createBatch, createStation, enterBatch, markForPaper } from '../voting';
import type { SectionChoices } from '../../domain/ballot';
import { dniHmac } from '../platform/secret';

/** Deterministic pseudo-random numbers, so the demo looks the same each time. */
function rng(seed: number) {
	let s = seed >>> 0 || 1;
	return () => (s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
}

/** A plausible choice for each section under the round's rule (always valid). */
function choose(paper: BallotPaper, rand: () => number): SectionChoices[] {
	return paper.sections.map((s) => {
		const shuffled = [...s.projects].sort(() => rand() - 0.5);
		const r = paper.rule;
		if (r.type === 'approval')
			return {
				approve: shuffled
					.slice(0, 1 + Math.floor(rand() * r.maxChoices))
					.map((p) => p.id)
					.sort((a, b) => a - b)
			};
		if (r.type === 'knapsack') {
			let left = s.budgetCents;
			const ids: number[] = [];
			for (const p of shuffled)
				if (p.costCents <= left && rand() < 0.8) {
					ids.push(p.id);
					left -= p.costCents;
				}
			return { approve: ids.sort((a, b) => a - b) };
		}
		if (r.type === 'cumulative') {
			let left = r.points;
			const pts: [number, number][] = [];
			for (const p of shuffled) {
				if (!left) break;
				const n = Math.min(left, r.maxPerProject, 1 + Math.floor(rand() * r.maxPerProject));
				pts.push([p.id, n]);
				left -= n;
			}
			return { points: pts.sort((a, b) => a[0] - b[0]) };
		}
		return { rank: shuffled.slice(0, r.k).map((p) => p.id) };
	});
}

/**
 * Demo ballots for a round in its voting phase: most verified residents vote online (a few replace their
 * ballot), and, when the municipality has two officials/admins, a polling station with a paper batch keyed twice.
 */
export function seedVotingDemo(db: Db, municipalityId: number, roundId: number) {
	const rand = rng(roundId * 7919 + municipalityId);
	const residents = db
		.select({ id: persons.id, dniHmac: persons.dniHmac, birthDate: persons.birthDate })
		.from(persons)
		.where(and(eq(persons.municipalityId, municipalityId), isNotNull(persons.verifiedAt)))
		.all();
	const staff = db
		.select({ user: users })
		.from(roleGrants)
		.innerJoin(users, eq(roleGrants.userId, users.id))
		.where(
			and(
				eq(roleGrants.municipalityId, municipalityId),
				inArray(roleGrants.role, ['official', 'admin']),
				isNull(roleGrants.revokedAt)
			)
		)
		.all();
	const officials = [...new Map(staff.map((s) => [s.user.id, s.user])).values()].map((u) => actorFor(db, u));
	let web = 0;
	let paper = 0;
	const paperVoters: number[] = [];
	for (const r of residents) {
		const actor: Actor = { userId: 0, personId: r.id, municipalityId, roles: new Set(), verified: true };
		const roll = rand();
		if (roll < 0.15) {
			paperVoters.push(r.id);
			continue;
		}
		if (roll > 0.85) continue; // did not vote
		try {
			const { paper: ballotPaper } = ballotForVoter(db, actor, municipalityId, roundId, 'es');
			castWebBallot(db, actor, municipalityId, roundId, choose(ballotPaper, rand));
			if (rand() < 0.1) castWebBallot(db, actor, municipalityId, roundId, choose(ballotPaper, rand)); // changed their mind
			web++;
		} catch (e) {
			if (!(e instanceof UserError)) throw e; // not eligible (age, zone): skip, as in real life
		}
	}
	if (officials.length >= 2 && paperVoters.length) {
		const [a, b] = officials;
		const station = createStation(db, a, municipalityId, roundId, 'Local comunal (mesa 1)');
		// Group the paper voters by the zone printed on their ballot paper.
		const byZone = new Map<number | null, number>();
		for (const personId of paperVoters) {
			const p = residents.find((x) => x.id === personId)!;
			if (!p.dniHmac) continue;
			const actor: Actor = { userId: 0, personId, municipalityId, roles: new Set(), verified: true };
			let ballotPaper: BallotPaper;
			try {
				ballotPaper = ballotForVoter(db, actor, municipalityId, roundId, 'es').paper;
			} catch (e) {
				if (e instanceof UserError) continue;
				throw e;
			}
			// The station looks voters up by DNI; the demo holds only the HMAC, so mark through the same rule directly.
			const dni = dniForDemo(db, p.dniHmac);
			if (!dni) continue;
			// The card's birth date is the census's (or, without a census entry, the recorded one).
			const card = censusEntryOf(db, municipalityId, p.dniHmac)?.birthDate ?? p.birthDate;
			if (!card) continue;
			markForPaper(db, a, municipalityId, roundId, station.id, dni, card);
			const zone = ballotPaper.sections.find((s) => s.zoneId !== null)?.zoneId ?? null;
			byZone.set(zone, (byZone.get(zone) ?? 0) + 1);
			const lines = (demoLines.get(zone) ?? []).concat(lineFor(ballotPaper, choose(ballotPaper, rand)));
			demoLines.set(zone, lines);
		}
		let n = 1;
		for (const [zoneId, lines] of demoLines) {
			const batch = createBatch(db, a, municipalityId, roundId, {
				stationId: station.id,
				zoneId,
				label: `Sobre ${n++}`,
				declaredCount: lines.length
			});
			enterBatch(db, a, municipalityId, roundId, batch.id, lines.join('\n'));
			enterBatch(db, b, municipalityId, roundId, batch.id, lines.join('\n'));
			paper += lines.length;
		}
		demoLines.clear();
	}
	return { web, paper };
}

const demoLines = new Map<number | null, string[]>();

/** A keyed line for choices on this paper (public numbers, sections separated by |). */
function lineFor(paper: BallotPaper, choices: SectionChoices[]): string {
	return paper.sections
		.map((s, i) => {
			const seq = new Map(s.projects.map((p) => [p.id, p.seq]));
			const c = choices[i];
			const parts =
				'approve' in c
					? c.approve.map((id) => String(seq.get(id)))
					: 'points' in c
						? c.points.map(([id, n]) => `${seq.get(id)}:${n}`)
						: c.rank.map((id) => String(seq.get(id)));
			return parts.join(' ') || '-';
		})
		.join(' | ');
}

/** Only DNI HMACs are stored: find the demo resident's DNI among the demo's known numbers, to look them up at the station. */
function dniForDemo(db: Db, hmac: string): string | null {
	void db;
	for (const candidate of demoDniCandidates()) if (dniHmac(candidate) === hmac) return candidate;
	return null;
}

function* demoDniCandidates(): Generator<string> {
	// The foundation demo's DNIs are 70000100 + i × 37 (see demoDni in demo/foundation.ts); anything else is skipped.
	for (let i = 0; i <= 400; i++) yield String(70_000_100 + i * 37);
}
