// The results feature: compute (compute.ts, one budget in budget.ts), publish (publish.ts), read (read.ts) and
// open-data exports (exports.ts).
export * from './read';
export * from './compute';
export * from './publish';
export * from './exports';
export * from './guards';
