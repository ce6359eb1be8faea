/**
 * The result engine in a Web Worker (issue 12 point 5): the same code as the server and the CLI, run on `.pb` files
 * in the browser, off the page's thread. Progress per file; the page cancels by terminating the worker.
 */
import { parsePb, runRule } from '../domain/tally/index';
import type { FromWorker, RecountOutcome, ToWorker } from './protocol';

const post = (m: FromWorker) => (self as unknown as { postMessage: (m: FromWorker) => void }).postMessage(m);

self.onmessage = (ev: MessageEvent<ToWorker>) => {
	const { id, files } = ev.data;
	const outcomes: RecountOutcome[] = [];
	files.forEach((f, i) => {
		post({ id, kind: 'progress', done: i, total: files.length });
		try {
			const r = runRule(parsePb(f.text), { rule: f.rule, ties: f.ties, scoreFrom: f.scoreFrom });
			outcomes.push({
				name: f.name,
				result: {
					voters: r.voters,
					budget: r.budget,
					selected: r.selected,
					totalCost: r.totalCost,
					unspent: r.unspent,
					ranking: r.ranking.map((x) => ({
						id: x.id,
						name: x.name,
						cost: x.cost,
						votes: x.votes,
						score: x.score,
						selected: x.selected
					}))
				}
			});
		} catch (e) {
			outcomes.push({ name: f.name, error: e instanceof Error ? e.message : String(e) });
		}
	});
	post({ id, kind: 'progress', done: files.length, total: files.length });
	post({ id, kind: 'done', outcomes });
};
