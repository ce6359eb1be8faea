export * from './amendments';
