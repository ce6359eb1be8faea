export * from './proposals';
export * from './evaluation';
