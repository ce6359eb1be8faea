export * from './execution';
export * from './observations';
