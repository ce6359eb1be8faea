export * from './rounds';
export * from './checklist';
export * from './steps';
