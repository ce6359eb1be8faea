// The results feature: compute (compute.ts, one budget in budget.ts; in a worker thread: compute-job.ts), publish (publish.ts), read (read.ts) and
// open-data exports (exports.ts).
export * from './read';
export * from './compute';
export * from './compute-job';
export * from './publish';
export * from './exports';
export * from './guards';
