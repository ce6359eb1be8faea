/**
 * The application's half of migration 0015 (one Comité de Vigilancia): the SQL merged the acta's list and the
 * observations' list and left each difference it resolved in committee_merge_diff; this records them, one audit
 * event per municipality (the chain's hashes are computed here), and drops the table. Runs at every open and does
 * something only once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { appendAudit } from '../platform/audit';

interface Diff {
	m: number;
	roundId: number;
	agentId: number;
	kind: 'onlyInObservations' | 'onlyInActa' | 'removedInObservations';
	role: string;
	termStart: string | null;
	termEnd: string | null;
}

export function finishCommitteeMerge(db: Db) {
	const exists = db.$client
		.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'committee_merge_diff'`)
		.get();
	if (!exists) return;
	const diffs = db.$client
		.prepare(
			`SELECT municipality_id AS m, round_id AS roundId, agent_id AS agentId, kind, role, term_start AS termStart,
				term_end AS termEnd FROM committee_merge_diff ORDER BY municipality_id, round_id, agent_id`
		)
		.all() as Diff[];
	db.transaction(
		(t) => {
			const tx = t as unknown as Db;
			const byMunicipality = new Map<number, Diff[]>();
			for (const d of diffs) byMunicipality.set(d.m, [...(byMunicipality.get(d.m) ?? []), d]);
			for (const [municipalityId, list] of byMunicipality)
				appendAudit(tx, {
					municipalityId,
					actorUserId: null,
					type: 'committee.merged',
					personal: true,
					payload: {
						migration: '0015',
						differences: list.map(({ roundId, agentId, kind, role, termStart, termEnd }) => ({
							roundId,
							agentId,
							kind,
							role,
							termStart,
							termEnd
						}))
					}
				});
			tx.run(sql`DROP TABLE committee_merge_diff`);
		},
		{ behavior: 'immediate' }
	);
}
