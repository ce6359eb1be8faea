// When results may be computed: the stations that stop the count, and the empty count that needs saying so.
import { describe, expect, it } from 'vitest';
import { computeBlocks, MIN_REASON_LENGTH, zeroBallotsMatter } from './results-guards';
import { isUserError, UserError } from './errors';

const station = (stationId: number, pendingBatches: number, agrees: boolean) => ({
	stationId,
	name: `Mesa ${stationId}`,
	pendingBatches,
	agrees
});

describe('computeBlocks', () => {
	it('a pending batch stops the count (before disagreement), then counts that do not agree', () => {
		expect(
			computeBlocks([station(1, 0, true), station(2, 1, true), station(3, 2, false), station(4, 0, false)], new Set())
		).toEqual([
			{ stationId: 2, code: 'results.guard.pending', params: { station: 'Mesa 2', n: 1 } },
			{ stationId: 3, code: 'results.guard.pending', params: { station: 'Mesa 3', n: 2 } },
			{ stationId: 4, code: 'results.guard.unreconciled', params: { station: 'Mesa 4', n: 0 } }
		]);
	});

	it('a station an official unblocked stops nothing', () => {
		expect(computeBlocks([station(3, 2, false), station(4, 0, false)], new Set([3, 4]))).toEqual([]);
		expect(computeBlocks([station(3, 2, false), station(4, 0, false)], new Set([4]))).toHaveLength(1);
	});
});

describe('zeroBallotsMatter', () => {
	it('only when votes decide (alone or mixed) and none were counted', () => {
		expect(zeroBallotsMatter({ rule: 'votes' }, 0)).toBe(true);
		expect(zeroBallotsMatter({ rule: 'mix', voteWeight: 50, scoreWeight: 50 }, 0)).toBe(true);
		expect(zeroBallotsMatter({ rule: 'scores' }, 0)).toBe(false);
		expect(zeroBallotsMatter({ rule: 'votes' }, 1)).toBe(false);
		expect(MIN_REASON_LENGTH).toBe(10);
	});
});

describe('UserError', () => {
	it('carries its code, parameters and status (400 unless said)', () => {
		const e = new UserError('round.closed', { n: 2 }, 409);
		expect([e.code, e.params, e.status, e.message, e.name]).toEqual([
			'round.closed',
			{ n: 2 },
			409,
			'round.closed',
			'UserError'
		]);
		expect(new UserError('x')).toMatchObject({ params: {}, status: 400 });
		expect(isUserError(e)).toBe(true);
		expect(isUserError(new Error('round.closed'))).toBe(false);
	});
});
