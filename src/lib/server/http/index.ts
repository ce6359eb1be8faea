export * from './forms';
export * from './round-routes';
export * from './compress';
export * from './bench';
export * from './role-hint';
export * from './security-headers';
export * from './page-cache';
