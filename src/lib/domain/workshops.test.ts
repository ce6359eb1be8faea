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
	it('fixed order for gender and language whatever the counts, zones by count then name, unrecorded last', () => {
		const people = [
			...Array.from({ length: 5 }, () => p({})),
			...Array.from({ length: 3 }, () => p({ gender: 'x', language: 'other', zone: 'Centro' })),
			...Array.from({ length: 2 }, () => p({ gender: 'm', language: 'es', zone: 'Sur' })),
			p({ gender: 'f', language: 'qu', zone: 'Norte' }),
			p({ gender: 'f', language: 'qu', zone: 'Alto' })
		];
		const s = participationStats(people);
		expect(s.byGender).toEqual([
			{ key: 'f', count: 2 },
			{ key: 'm', count: 2 },
			{ key: 'x', count: 3 },
			{ key: 'unknown', count: 5 }
		]);
		expect(s.byLanguage).toEqual([
			{ key: 'qu', count: 2 },
			{ key: 'es', count: 2 },
			{ key: 'other', count: 3 },
			{ key: 'unknown', count: 5 }
		]);
		expect(s.byZone).toEqual([
			{ key: 'Centro', count: 3 },
			{ key: 'Sur', count: 2 },
			{ key: 'Alto', count: 1 },
			{ key: 'Norte', count: 1 },
			{ key: 'unknown', count: 5 }
		]);
	});
});
