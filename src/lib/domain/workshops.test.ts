import { describe, expect, it } from 'vitest';
import { participationStats, type Participant } from './workshops';

const p = (o: Partial<Participant>): Participant => ({
	isAgent: false,
	hasVote: false,
	gender: null,
	language: null,
	zone: null,
	...o
});

describe('workshop participation', () => {
	it('counts by gender, language and zone, keeping the unrecorded visible', () => {
		const s = participationStats(
			[
				p({ isAgent: true, hasVote: true, gender: 'f', language: 'qu', zone: 'Norte' }),
				p({ isAgent: true, hasVote: false, gender: 'm', language: 'es', zone: 'Sur' }),
				p({ gender: 'f', language: 'qu', zone: 'Norte' }),
				p({})
			],
			5
		);
		expect(s).toMatchObject({
			total: 4,
			agents: 2,
			agentsWithVote: 1,
			others: 2,
			agentTurnout: { came: 2, registered: 5 }
		});
		expect(s.byGender).toEqual([
			{ key: 'f', count: 2 },
			{ key: 'm', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
		expect(s.byLanguage).toEqual([
			{ key: 'qu', count: 2 },
			{ key: 'es', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
		expect(s.byZone).toEqual([
			{ key: 'Norte', count: 2 },
			{ key: 'Sur', count: 1 },
			{ key: 'unknown', count: 1 }
		]);
	});
	it('has no turnout without registered agents', () => {
		expect(participationStats([]).agentTurnout).toBeNull();
	});
});
