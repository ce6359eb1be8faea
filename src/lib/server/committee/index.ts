export * from './committee';
export { finishCommitteeMerge } from './merge';
