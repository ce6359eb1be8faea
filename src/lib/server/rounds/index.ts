export * from './rounds';
export * from './checklist';
