/** Participation figures of a workshop. Pure: the caller loads the rows. */

export interface Participant {
	isAgent: boolean;
	hasVote: boolean;
	gender: 'f' | 'm' | 'x' | null;
	language: 'es' | 'qu' | 'other' | null;
	/** Zone name, or null when not recorded. */
	zone: string | null;
}

export interface Breakdown {
	key: string;
	count: number;
}

export interface ParticipationStats {
	total: number;
	agents: number;
	agentsWithVote: number;
	others: number;
	/** Registered agents of the round who came, out of all registered (null when the round has none). */
	agentTurnout: { came: number; registered: number } | null;
	byGender: Breakdown[];
	byLanguage: Breakdown[];
	byZone: Breakdown[];
}

function breakdown(values: (string | null)[], order: readonly string[] = []): Breakdown[] {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v ?? 'unknown', (counts.get(v ?? 'unknown') ?? 0) + 1);
	const rank = (k: string) => (k === 'unknown' ? 1e9 : order.includes(k) ? order.indexOf(k) : 1e6);
	return [...counts.entries()]
		.map(([key, count]) => ({ key, count }))
		.sort((a, b) => rank(a.key) - rank(b.key) || b.count - a.count || a.key.localeCompare(b.key));
}

/** Counts by gender, language and zone; "unknown" where not recorded (shown as such, never guessed). */
export function participationStats(people: readonly Participant[], registeredAgents?: number): ParticipationStats {
	const agents = people.filter((p) => p.isAgent);
	return {
		total: people.length,
		agents: agents.length,
		agentsWithVote: agents.filter((p) => p.hasVote).length,
		others: people.length - agents.length,
		agentTurnout: registeredAgents ? { came: agents.length, registered: registeredAgents } : null,
		byGender: breakdown(
			people.map((p) => p.gender),
			['f', 'm', 'x']
		),
		byLanguage: breakdown(
			people.map((p) => p.language),
			['qu', 'es', 'other']
		),
		byZone: breakdown(people.map((p) => p.zone))
	};
}
