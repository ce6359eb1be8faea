export * from './accounts';
export * from './personal-data';
